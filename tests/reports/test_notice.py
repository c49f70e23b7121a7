"""The 情况通报 as a 公文: its parts, its problems and requirements, 红黄绿, plugins.

Data: the hand-written ledgers of ``tests/fixtures/records`` (figures worked
out by hand in tests/test_report_end_to_end.py): 延安市 with 宝塔区 and
延长县, 2026 as of 2026-11-28. 服务站建成率 is 4/8 = 50.0 % at the city,
4/5 = 80.0 % at 宝塔区 and 0/3 = 0.0 % at 延长县, all short of 100 % by more
than 10 points (红) under the default band.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from fixtures import FILES

import vetservice as vs
from vetservice.indicators import Override, Target
from vetservice.indicators.grades import Grade, counts
from vetservice.markers import hookimpl
from vetservice.reports import render
from vetservice.reports.attachments import gap_counts, grade_table
from vetservice.reports.build import build_report
from vetservice.reports.charts import grade_bars, grade_counts, png, svg
from vetservice.reports.notice import (
    NoticeParagraphs,
    NoticeParts,
    NoticeSettings,
    _problem,
    notice,
    notice_parts,
)
from vetservice.testing import AS_OF, BAOTA, CITY, YANCHANG, make_plugins


class Bands:
    """宝塔区 reads 服务站建成率 with a 25-point band (80 % is then 接近)."""

    @hookimpl
    def vetservice_register_overrides(self):
        return [
            Override(
                "env.station_established",
                BAOTA,
                target=Target(">=", 1.0, band=0.25),
            )
        ]


class Paragraphs:
    @hookimpl
    def vetservice_register_notice_parts(self):
        return [
            NoticeSettings(unit=CITY, code_prefix="延市退役军人函", number=7),
            NoticeParagraphs(
                "achievements",
                lambda n: [f"{n.unit_name}开展红色教育活动。"],
                scope=(CITY,),
            ),
            NoticeParagraphs(
                "overview", lambda n: ["只有这一段。"], scope=(CITY,), replace=True
            ),
            NoticeParagraphs("problems", lambda n: 1 / 0, scope=(CITY,)),
        ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vs.Database]:
    path = tmp_path_factory.mktemp("notice") / "vetservice.db"
    database = vs.open(
        f"sqlite:///{path.as_posix()}",
        actor="tester",
        plugins=make_plugins(Bands(), Paragraphs()),
    )
    database.import_files([(p.stem, p) for p in FILES], today=AS_OF)
    yield database
    database.close()


@pytest.fixture(scope="module")
def report(db: vs.Database):
    return build_report(db.report(CITY, "2026", as_of=AS_OF), "zh")


def test_grades_follow_the_band_of_the_subtree(report):
    row = report.row("env.station_established")
    assert row.value_text == "50.0%"
    assert row.grade is Grade.RED  # 50 points short
    children = {c.unit.code: c for c in row.children}
    assert children[BAOTA].value_text == "80.0%"
    assert children[BAOTA].grade is Grade.YELLOW  # 20 points short, band 25
    assert children[YANCHANG].grade is Grade.RED  # 100 points short
    assert row.status_text == "未达标"
    assert children[BAOTA].status_text == "接近"


def test_status_counts_add_up(report):
    graded = counts(r.grade for r in report.rows())
    assert sum(graded.values()) == len(report.rows())
    text = notice(report).part("overview").paragraphs[0]
    assert f"共计算指标{len(report.rows())}项" in text
    assert f"达标{graded[Grade.GREEN]}项" in text
    assert f"未达标{graded[Grade.RED]}项" in text


def test_the_notice_has_the_parts_of_a_gongwen(report):
    written = notice(report)
    assert written.mark == "延安市退役军人事务局文件"
    assert written.number_text == "延市退役军人发〔2026〕1号"  # the year's 通报 is 1号
    assert written.title == "关于2026年全市退役军人服务保障体系建设情况的通报"
    assert written.recipients == "各县区退役军人事务局"
    assert [p.heading for p in written.parts] == [
        "总体情况",
        "主要成效",
        "存在问题",
        "下步要求",
    ]
    assert written.attachments == (
        "各县区主要指标完成情况（红黄绿）",
        "各县区差距清单统计",
        "各县区指标完成情况图",
    )
    assert written.date_text == "2026年11月28日"
    assert written.copy_to == "市委办公室，市人民政府办公室"
    assert written.printed_on == "2026年11月28日印发"


def test_three_to_five_problems_each_with_a_requirement_and_deadline(report):
    written = notice(report)
    problems = written.part("problems")
    requirements = written.part("requirements")
    assert 3 <= len(problems.paragraphs) <= 5
    # One requirement per problem, then one citing the live petitions lists.
    assert len(requirements.paragraphs) == len(problems.paragraphs) + 1
    assert len(written.problems) == len(problems.paragraphs)
    for text in requirements.paragraphs[:-1]:
        # 30 days after 2026-11-28 is 2026-12-28, moved to the month's end.
        assert "2026年12月31日前" in text
    # On 2026-11-28 YA2026-0002 (accepted 05-12, extended, due 08-10) is open
    # and past its deadline; no open petition falls due in the next 30 days.
    assert requirements.titles[-1] == "抓紧办结超期和临近期限的信访件"
    assert requirements.paragraphs[-1] == (
        "截至2026年11月28日，全市仍有超期未办结信访件1件，"
        "要逐件明确责任人，在时限内办结。"
    )
    for problem_id, text in zip(written.problems, problems.paragraphs, strict=True):
        row = report.row(problem_id)
        assert row.grade in (Grade.RED, Grade.YELLOW)
        assert row.value_text in text
        assert "个百分点" in text or row.kind.value in ("count", "money")


def test_a_problem_names_the_weakest_children_with_figures(report):
    title, text = _problem(report, report.row("env.station_established"), "全市")
    assert title == "服务站（中心）建成率差距较大"
    # 延长县 (0.0 %) is further below 100 % than 宝塔区 (80.0 %); 8 - 4 = 4 short.
    assert text == (
        "全市服务站（中心）建成率为50.0%（4/8），低于目标（≥100%）50.0个百分点，"
        "缺口4个；其中延长县（0.0%）、宝塔区（80.0%）差距最大。"
    )


def test_the_same_report_writes_the_same_words(report):
    assert notice(report) == notice(report)


def test_plugins_set_the_number_and_add_or_replace_paragraphs(db, report):
    failures: list[str] = []
    parts = NoticeParts(
        settings=(NoticeSettings(unit=CITY, code_prefix="延市退役军人函", number=7),),
        paragraphs=(
            NoticeParagraphs(
                "achievements", lambda n: [f"{n.unit_name}开展红色教育活动。"]
            ),
            NoticeParagraphs("overview", lambda n: ["只有这一段。"], replace=True),
            NoticeParagraphs("problems", lambda n: [1 / 0]),
            NoticeParagraphs("overview", lambda n: ["别处的。"], scope=(BAOTA,)),
        ),
        failed=lambda part, error: failures.append(type(error).__name__),
    )
    with notice_parts(parts):
        written = notice(report)
    assert written.number_text == "延市退役军人函〔2026〕7号"
    assert written.part("overview").paragraphs == ("只有这一段。",)
    assert written.part("achievements").paragraphs[-1] == "延安市开展红色教育活动。"
    assert written.part("problems") == notice(report).part("problems")
    assert failures == ["ZeroDivisionError"]


def test_the_hook_reaches_every_renderer(db):
    full = db.report(CITY, "2026", as_of=AS_OF)
    text = render(db.plugins, full, "md", "zh")
    assert "延市退役军人函〔2026〕7号" in text
    assert "延安市开展红色教育活动。" in text
    assert any(
        f.hook == "vetservice_register_notice_parts" for f in db.plugins.failures
    )


def test_attachment_tables(report):
    grid = grade_table(report)
    assert grid.columns[2:] == ("延安市", "宝塔区", "延长县")
    names = [line[0] for line in grid.rows]
    index = names.index("服务站（中心）建成率")
    assert grid.rows[index][2:] == ("50.0%", "80.0%", "0.0%")
    assert grid.grades[index][2:] == (Grade.RED, Grade.YELLOW, Grade.RED)
    counted = gap_counts(report)
    # Every shortfall is counted once, under its county: those the gap list
    # names (down to the townships) and those below it.
    assert counted.total == len(report.gaps) + report.unlisted_total
    by_unit = {line[0]: line for line in counted.table.rows}
    column = counted.table.columns.index("服务站（中心）建成率")
    # 宝塔区 lacks 杨家岭社区's station; 延长县, 黑家堡镇 and 黑家堡村 have none.
    assert by_unit["宝塔区"][column] == "1"
    assert by_unit["延长县"][column] == "3"
    assert by_unit["合计"][column] == "4"


def test_the_chart_of_attachment_3_counts_each_childs_grades(report):
    """附件3's bars are the children's grades of the targeted indicators, the
    child with most 未达标 first, in the report's 红黄绿 colours."""
    targeted = [r for r in report.targeted() if r.grade is not Grade.FAILED]
    counted = dict(grade_counts(report))
    assert list(counted) == sorted(
        counted,
        key=lambda name: (-counted[name][Grade.RED], -counted[name][Grade.YELLOW]),
    )
    for index, child in enumerate(report.children):
        grades = counted[child.name]
        assert sum(grades.values()) == len(targeted)
        assert grades == Counter(r.children[index].grade for r in targeted)
    # 宝塔区's 80 % 服务站建成率 is 接近 under its 25-point band.
    assert counted["宝塔区"][Grade.YELLOW] >= 1
    spec = grade_bars(report)
    bars = {(v["unit"], v["grade"]): v["count"] for v in spec["data"]["values"]}
    assert bars[("宝塔区", "接近")] == counted["宝塔区"][Grade.YELLOW]
    assert spec["encoding"]["color"]["scale"] == {
        "domain": ["达标", "接近", "未达标", "无数据"],
        "range": ["#1E8E3E", "#E8A200", "#D93025", "#9AA0A6"],
    }
    assert spec["encoding"]["y"]["sort"] == list(counted)
    assert png(spec)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "宝塔区" in svg(spec)
