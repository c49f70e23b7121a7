"""红黄绿 grades, worked out by hand from the definitions in vetservice.indicators.grades."""

from __future__ import annotations

import pytest

from vetservice.indicators import Kind, Status, Target
from vetservice.indicators.grades import Grade, counts, distance, grade

AT_LEAST_ALL = Target(">=", 1.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, Grade.GREEN),  # met
        (0.96, Grade.YELLOW),  # 4 points short
        (0.90, Grade.YELLOW),  # exactly 10 points short: still close
        (0.8999, Grade.RED),  # 10.01 points short
        (0.158, Grade.RED),  # the 15.8 %
    ],
)
def test_a_ratio_is_close_within_10_percentage_points(value, expected):
    status = Status.MET if value >= 1.0 else Status.NOT_MET
    assert grade(Kind.RATIO, status, value, AT_LEAST_ALL) is expected


def test_a_count_is_close_from_90_percent_of_its_target():
    target = Target(">=", 20)
    # 18 is 90 % of 20: close; 17 is 85 %: far.
    assert grade(Kind.COUNT, Status.NOT_MET, 18, target) is Grade.YELLOW
    assert grade(Kind.COUNT, Status.NOT_MET, 17, target) is Grade.RED
    at_most = Target("<=", 10)  # at most 10: 11 is 10 % over, 12 is 20 %
    assert grade(Kind.COUNT, Status.NOT_MET, 11, at_most) is Grade.YELLOW
    assert grade(Kind.COUNT, Status.NOT_MET, 12, at_most) is Grade.RED


def test_a_count_target_of_zero_has_no_room():
    # "No overdue petitions": one overdue is already 红.
    assert grade(Kind.COUNT, Status.NOT_MET, 1, Target("<=", 0)) is Grade.RED


def test_the_band_is_the_targets_own():
    narrow = Target(">=", 1.0, band=0.05)
    assert grade(Kind.RATIO, Status.NOT_MET, 0.96, narrow) is Grade.YELLOW
    assert grade(Kind.RATIO, Status.NOT_MET, 0.94, narrow) is Grade.RED
    wide = Target(">=", 0.8, band=0.25)  # 80 % target, close down to 55 %
    assert grade(Kind.COMPLIANCE, Status.NOT_MET, 0.55, wide) is Grade.YELLOW
    assert grade(Kind.COMPLIANCE, Status.NOT_MET, 0.54, wide) is Grade.RED
    assert narrow.as_json() == {"op": ">=", "value": 1.0, "band": 0.05}
    assert AT_LEAST_ALL.as_json() == {"op": ">=", "value": 1.0}


def test_other_statuses_keep_their_grade():
    assert grade(Kind.RATIO, Status.NO_DATA, None, AT_LEAST_ALL) is Grade.NO_DATA
    assert grade(Kind.RATIO, Status.NO_TARGET, 0.5, None) is Grade.NO_TARGET
    assert grade(Kind.RATIO, Status.FAILED, None, AT_LEAST_ALL) is Grade.FAILED


def test_distance_in_points_for_ratios_and_shares_for_counts():
    assert distance(Kind.RATIO, 0.75, AT_LEAST_ALL) == pytest.approx(0.25)
    assert distance(Kind.RATIO, 1.0, AT_LEAST_ALL) == 0
    assert distance(Kind.RATIO, 0.2, Target("<=", 0.1)) == pytest.approx(0.1)
    assert distance(Kind.COUNT, 15, Target(">=", 20)) == pytest.approx(0.25)
    assert distance(Kind.COUNT, 3, Target("<=", 0)) == 3


def test_counts_add_up_with_every_grade_present():
    found = counts([Grade.GREEN, Grade.RED, Grade.RED, Grade.NO_DATA])
    assert found == {
        Grade.GREEN: 1,
        Grade.YELLOW: 0,
        Grade.RED: 2,
        Grade.NO_TARGET: 0,
        Grade.NO_DATA: 1,
        Grade.FAILED: 0,
    }
    assert sum(found.values()) == 4
