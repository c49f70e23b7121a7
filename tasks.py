"""The README's two commands, the same on Linux, macOS and Windows.

    python3 tasks.py demo    # install, build the demo city, write its reports
    python3 tasks.py test    # install the test dependencies, run the whole suite

Each creates ``.venv`` beside this file on first use and installs the library,
the CLI, the dashboard and the example county plugins into it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
DEMO_DIR = ROOT / "demo"
DEMO_DB = DEMO_DIR / "vetservice.db"


def run(*args: str | Path, **kwargs: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def install(extras: str) -> None:
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    plugins = [str(p.parent) for p in sorted((ROOT / "plugins").glob("*/pyproject.toml"))]
    editable = [arg for path in [f".[{extras}]", *plugins] for arg in ("-e", path)]
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *editable)


def demo() -> None:
    install("dashboard,postgresql")
    DEMO_DIR.mkdir(exist_ok=True)
    for old in DEMO_DIR.glob("vetservice.db*"):
        old.unlink()
    shutil.rmtree(DEMO_DIR / "reports", ignore_errors=True)
    url = f"sqlite:///{DEMO_DB.as_posix()}"
    vetservice = BIN / ("vetservice.exe" if os.name == "nt" else "vetservice")
    run(vetservice, "--db", url, "demo", "--seed", "2026")
    subprocess.run([str(vetservice), "--db", url, "validate"], cwd=ROOT)  # findings exit 1
    reports = DEMO_DIR / "reports"
    run(
        vetservice, "--db", url, "--as-of", "2026-11-28", "report", "--unit", "610600000000",
        "--period", "2026Q3", "--format", "html,xlsx,docx,md,json", "--out", reports,
        "--each-child",
    )
    print()
    print(f"演示数据库：{DEMO_DB}")
    print(f"延安市及 13 个县区 2026 年第三季度报表：{reports}")
    print(f"跨台账核查：{vetservice} --db {url} validate")
    print(f"打开领导驾驶舱：{vetservice} --db {url} --as-of 2026-11-28 dashboard")


def test() -> None:
    install("dev,dashboard,postgresql")
    # One worker per core, a file's tests on one worker (they share its fixtures).
    args = sys.argv[2:] or ["-n", "auto", "--dist", "loadfile"]
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    sys.exit(result.returncode)


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 {Path(__file__).name} {{{'|'.join(commands)}}} [pytest args]")
    commands[sys.argv[1]]()
