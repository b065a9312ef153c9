"""Suppression of small counts and of the cells that would give them back."""

from decimal import Decimal

from alongside.reports.registry import Computed, Row
from alongside.reports.suppression import HIDDEN, SMALL, suppress


def gender(values, *, hours=None):
    rows = [Row("total", "all", "All", "participants", sum(values.values()))]
    rows += [Row("gender", k, k, "participants", v) for k, v in values.items()]
    for key, value in (hours or {}).items():
        rows.append(Row("gender", key, key, "hours", value, False))
    return Computed(sum(values.values()), rows)


def values(computed, measure="participants"):
    return {r.category: r.value for r in computed.rows if r.measure == measure}


def test_counts_from_1_to_10_read_less_than_11_and_zero_stays():
    out = suppress(gender({"woman": 40, "man": 1, "nonbinary": 10, "not_recorded": 0}))
    assert values(out) == {
        "all": 51,
        "woman": 40,
        "man": SMALL,
        "nonbinary": SMALL,
        "not_recorded": 0,
    }


def test_one_small_cell_hides_the_next_smallest_too():
    out = suppress(gender({"woman": 40, "man": 25, "nonbinary": 3, "not_recorded": 0}))
    assert values(out) == {
        "all": 68,
        "woman": 40,
        "man": HIDDEN,
        "nonbinary": SMALL,
        "not_recorded": 0,
    }


def test_two_small_cells_need_no_complement():
    out = suppress(gender({"woman": 40, "man": 2, "nonbinary": 3}))
    assert values(out)["woman"] == 40


def test_eleven_is_shown():
    out = suppress(gender({"woman": 11, "man": 20}))
    assert values(out) == {"all": 31, "woman": 11, "man": 20}


def test_a_small_total_is_suppressed():
    out = suppress(gender({"woman": 4, "man": 0}))
    assert out.value == SMALL and values(out)["all"] == SMALL


def test_hours_of_a_hidden_count_are_hidden_with_it():
    computed = gender({"woman": 40, "man": 3}, hours={"woman": Decimal(50), "man": Decimal(2)})
    out = suppress(computed)
    assert values(out, "hours") == {"woman": HIDDEN, "man": HIDDEN}


def test_a_sum_as_value_is_not_suppressed():
    out = suppress(Computed(Decimal("7.5"), [], value_is_count=False))
    assert out.value == Decimal("7.5")
