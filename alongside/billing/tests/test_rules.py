"""Minutes to units under both roundings, and the daily cap as a plain rule."""

import pytest

from alongside.billing.rules import cap_split, dollars, units_for


@pytest.mark.parametrize(
    ("minutes", "eight_minute", "whole"),
    [(7, 0, 0), (8, 1, 0), (22, 1, 1), (23, 2, 1), (37, 2, 2), (38, 3, 2), (15, 1, 1), (0, 0, 0)],
)
def test_units_under_both_roundings(minutes, eight_minute, whole):
    assert units_for(minutes, rounding="cms_8_minute") == eight_minute
    assert units_for(minutes, rounding="whole_units") == whole


def test_cap_split_bills_what_is_left_of_the_day_and_holds_the_rest():
    assert cap_split(4, used=0, cap=None) == (4, 0)
    assert cap_split(4, used=14, cap=16) == (2, 2)
    assert cap_split(4, used=16, cap=16) == (0, 4)


def test_dollars_have_two_decimals():
    assert dollars(1500) == "15.00"
    assert dollars(5) == "0.05"
    assert dollars(-250) == "-2.50"
