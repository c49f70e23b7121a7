import subprocess
import sys

import vetservice as vs


def test_units_import_and_closure(db: vs.Database, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "区划代码,名称,层级,上级代码,类别\n"
        "610600000000,延安市,市,,\n"
        "610602000000,宝塔区,county,610600000000,区\n"
        "610602001000,宝塔山街道,乡镇街道,610602000000,街道\n"
        "610602001001,杨家岭社区,村社区,610602001000,社区\n",
        encoding="gbk",
    )
    result = db.import_file("units", path)
    assert result.total("added") == 4
    again = db.import_file("units", path)
    assert (again.total("added"), again.total("unchanged")) == (0, 4)
    assert [u.code for u in db.descendants("610602000000")] == [
        "610602000000",
        "610602001000",
        "610602001001",
    ]


def test_importing_the_library_does_not_load_alembic():
    # Only store/migrate.py imports Alembic, when a database is opened or
    # upgraded: the command line starts, and a read runs, without it.
    code = (
        "import sys, vetservice, vetservice.store, vetservice.imports, "
        "vetservice.audit, vetservice.demo, vetservice_cli.main\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
