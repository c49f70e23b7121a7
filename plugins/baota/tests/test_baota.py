"""宝塔区 plugin, tested the way a county IT worker would, with vetservice.testing."""

from __future__ import annotations

import pytest
from vetservice_baota import plugin

from vetservice.testing import AS_OF, SMALL_HIERARCHY


@pytest.fixture
def vetservice_plugins():
    return [plugin]


STATIONS = """\
unit_code,established_on
610602001000,2020-01-01
610602100000,2020-01-01
610621001000,2020-01-01
"""
ACTIVITIES = """\
unit_code,held_on,type,title,tags
610602001000,2026-07-01,study,参观杨家岭革命旧址,红色资源
610602001000,2026-08-08,study,每月8日学习,
610602100000,2026-09-30,study,重温入党誓词,红色资源;党史
610602100000,2026-09-30,culture,篮球赛,红色资源
610602100000,2026-10-01,study,十月学习,红色资源
610621001000,2026-07-02,study,七里村学习,红色资源
"""


def test_red_study_share_in_baota_only(vetservice_db, load):
    load({"units": SMALL_HIERARCHY, "stations": STATIONS, "activities": ACTIVITIES})
    ev = vetservice_db.evaluate("610600000000", "2026Q3", as_of=AS_OF)
    result = ev["baota.red_study"]
    # 宝塔区 study activities in Q3: 3 (the culture one and the October one do not
    # count); 2 tagged 红色资源. 延长县's activity is outside the plugin's scope.
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.figure.coverage.reporting == 1 and result.figure.coverage.of == 2
    assert ev.figure("baota.red_study", "610621000000").value is None
    assert result.plugin == "baota" or result.plugin.endswith("plugin")


def test_plugin_is_loaded_from_its_entry_point():
    from vetservice.plugins import create_plugin_manager

    names = [info.name for info in create_plugin_manager().describe()]
    assert "baota" in names


def test_townships_need_three_full_time_workers(vetservice_db, load):
    staff = """\
person_id,unit_code,name,role,full_time
T1,610602001000,张一,director,是
T2,610602001000,张二,staff,是
T3,610621001000,王一,director,是
T4,610621001000,王二,staff,是
"""
    load({"units": SMALL_HIERARCHY, "stations": STATIONS, "staff": staff})
    result = vetservice_db.evaluate("610600000000", "2026Q3", as_of=AS_OF)["staff.township_fulltime"]
    # 宝塔山街道 and 李渠镇 (宝塔区) need 3; 七里村街道 (延长县) keeps the city's 2.
    assert (result.numerator, result.denominator) == (1, 3)
    assert [s.reason.render("zh") for s in result.shortfalls] == [
        "专职人员 2 人，应不少于 3 人",
        "专职人员 0 人，应不少于 3 人",
    ]
