"""延长县 plugin, tested with vetservice.testing the way a county IT worker would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from vetservice_yanchang import plugin

from vetservice.testing import HJB, QLC, SMALL_HIERARCHY, YANCHANG

AS_OF = dt.date(2027, 1, 15)  # the year 2026 is over


@pytest.fixture
def vetservice_plugins():
    return [plugin]


STATIONS = """\
unit_code,established_on,has_organization,has_posts,has_staff,has_funding,has_support,model
610621001000,2020-01-01,是,是,是,是,是,
610621001001,2020-01-01,是,是,是,否,是,
610621100000,2020-01-01,否,否,否,否,否,national
"""
STAFF = """\
person_id,unit_code,name,role,full_time
Y1,610621001000,王一,director,是
Y2,610621001000,王二,staff,是
Y3,610621100000,郑一,director,是
"""
# 七里村社区 is visited in ten months of 2026 (not in May and June); 黑家堡村 never.
GUIDANCE = "staff_person_id,unit_code,visited_on\n" + "".join(
    f"Y1,610621001001,2026-{month:02d}-08\n"
    for month in (1, 2, 3, 4, 7, 8, 9, 10, 11, 12)
)
PETITIONS = """\
case_no,unit_code,received_on,channel,group,level_reached,decision,accepted_on,closed_on
Y-1,610621001001,2026-03-01,visit,否,city,accepted,2026-03-05,2026-06-01
Y-2,610621100001,2026-05-01,visit,是,national,,,
"""


def test_townships_are_scored_by_hand(vetservice_db, load):
    load(
        {
            "units": SMALL_HIERARCHY,
            "stations": STATIONS,
            "staff": STAFF,
            "guidance_visits": GUIDANCE,
            "petitions": PETITIONS,
        },
        today=AS_OF,
    )
    scoring = vetservice_db.score(
        "yanchang.township_annual", YANCHANG, "2026", as_of=AS_OF
    )
    qlc, hjb = scoring[QLC], scoring[HJB]
    # 七里村街道 (its own station and 七里村社区's):
    #   阵地 25 - 2 (社区 lacks 经费) - 2 (no inspection: elements not complete at 2 stations) = 21
    #   队伍 25 - 0.5 × 2 months without guidance - 1 (社区 has no grid worker or volunteers) = 23
    #   服务保障 25 (no veterans, no hardship, no payments: nothing to deduct)
    #   信访 25 - 2 (Y-1 reached the city) - 1 (accepted 03-05, due 05-04, closed 06-01) = 22
    assert [ln.score for ln in qlc.lines] == [21, 23, 25, 22]
    assert (qlc.total, qlc.rank) == (Decimal("91"), 1)
    # 黑家堡镇: 阵地 25 - 2 - 1 + 2 (national model station) = 24;
    #   队伍 25 - 5 (one full-time worker) - 0.5 × 12 months - 1 (村 group) = 13;
    #   信访 25 - 8 (Y-2 to Beijing) = 17; Y-2 is a group petition to Beijing: the sheet is vetoed.
    assert [ln.score for ln in hjb.lines] == [24, 13, 25, 17]
    assert hjb.vetoed and (hjb.total, hjb.rank) == (Decimal("0"), 2)
    assert (
        scoring.plugin == "vetservice_yanchang.plugin" or scoring.plugin == "yanchang"
    )


def test_county_lianghui_is_a_sensitive_period_for_yanchang_only():
    from vetservice.calendar import collect_sensitive_periods, sensitive_on
    from vetservice.testing import make_plugins

    periods = collect_sensitive_periods(make_plugins(plugin))
    found = sensitive_on(periods, dt.date(2027, 1, 12))
    assert [o.id for o in found] == ["yanchang.county_lianghui"]
    lianghui = found[0].period
    assert lianghui.applies_to([QLC, YANCHANG, "610600000000"])
    assert not lianghui.applies_to(["610602001000", "610602000000", "610600000000"])
    # The days around it are ordinary days; 2026's dates end on 01-09.
    assert sensitive_on(periods, dt.date(2027, 1, 16)) == []
    assert [o.id for o in sensitive_on(periods, dt.date(2026, 1, 9))] == [
        "yanchang.county_lianghui"
    ]


def test_plugin_is_loaded_from_its_entry_point():
    from vetservice.plugins import create_plugin_manager

    assert "yanchang" in [info.name for info in create_plugin_manager().describe()]
