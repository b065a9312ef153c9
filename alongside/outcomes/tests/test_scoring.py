"""BARC-10 totals, items out of range, skipped items and no prorating (outcomes.scoring)."""

import pytest
from django.core.exceptions import ValidationError

from alongside.outcomes.scoring import score

from .conftest import all_fives

pytestmark = pytest.mark.django_db


def test_all_fives_make_fifty(barc):
    assert score(barc, all_fives()).total == 50


def test_all_ones_make_ten(barc):
    assert score(barc, {str(n): 1 for n in range(1, 11)}).total == 10


def test_nine_fives_and_a_one_make_forty_six(barc):
    assert score(barc, {**all_fives(), "10": 1}).total == 46


@pytest.mark.parametrize("value", [0, 7])
def test_a_value_outside_the_options_is_refused_naming_the_item(barc, value):
    with pytest.raises(ValidationError) as refused:
        score(barc, {**all_fives(), "4": value})
    assert list(refused.value.message_dict) == ["item_4"]
    assert "Item 4" in refused.value.message_dict["item_4"][0]


def test_an_item_the_measure_does_not_have_is_refused(barc):
    with pytest.raises(ValidationError) as refused:
        score(barc, {**all_fives(), "11": 3})
    assert "item_11" in refused.value.message_dict


def test_a_skipped_item_leaves_no_total_and_is_named(barc):
    answers = all_fives()
    del answers["3"]
    answers["7"] = ""
    result = score(barc, answers)
    assert result.total is None and not result.complete
    assert result.missing == ["3", "7"]


def test_no_prorating_even_when_one_item_of_ten_is_missing(barc):
    answers = {str(n): 6 for n in range(1, 10)}
    result = score(barc, answers)
    assert result.total is None  # not 54 scaled up to 60
    assert result.missing == ["10"]


def test_every_item_may_be_skipped(barc):
    result = score(barc, {})
    assert result.total is None and len(result.missing) == 10
