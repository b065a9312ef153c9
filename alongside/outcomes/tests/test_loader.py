"""Instruments as data: ``instruments_load`` is idempotent and refuses a bad file whole."""

import pytest
from django.core.management import CommandError, call_command

from alongside.outcomes.loader import InstrumentFileError, instruments_load
from alongside.outcomes.models import Instrument

from .conftest import BARC, INSTRUMENTS

pytestmark = pytest.mark.django_db


def _bad(tmp_path, old, new, name="bad.yaml"):
    path = tmp_path / name
    text = BARC.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_barc_10_loads_with_its_published_shape(barc):
    assert len(barc.items) == 10
    assert {o["value"] for item in barc.items for o in item["options"]} == set(range(1, 7))
    assert (barc.minimum, barc.maximum) == (10, 60)
    assert barc.reference_points[0]["value"] == 47
    assert "Vilsaint" in barc.reference_points[0]["citation"] and "Vilsaint" in barc.citation
    assert barc.focus == ["substance_use", "co_occurring"]


def test_loading_again_changes_nothing(barc):
    results = instruments_load([INSTRUMENTS])
    assert [r.outcome for r in results] == ["unchanged"]
    assert Instrument.objects.count() == 1


def test_a_translation_is_another_file_of_the_same_instrument(barc, tmp_path):
    spanish = _bad(tmp_path, "language: en", "language: es", "barc-10.es.yaml")
    instruments_load([spanish])
    assert Instrument.objects.filter(code="BARC-10").count() == 2


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("maximum: 60", "maximum: 61", "scoring.maximum"),
        ("focus: [substance_use, co_occurring]", "focus: [gambling]", "focus"),
        ("value: 47", "value: 70", "scoring.reference_points[0].value"),
        ('{key: "2", ', '{key: "1", ', "items[1].key"),
        ("short_name: BARC-10", "short_name: BARC-10\ncolour: red", "colour"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_file_key_and_reason(tmp_path, old, new, key):
    good = tmp_path / "good.yaml"
    good.write_text(BARC.read_text(encoding="utf-8").replace("BARC-10\n", "GOOD-10\n"))
    bad = _bad(tmp_path, old, new)
    with pytest.raises(InstrumentFileError) as refused:
        instruments_load([good, bad])
    assert refused.value.path.endswith("bad.yaml") and refused.value.key == key
    assert refused.value.reason
    assert not Instrument.objects.exists()


def test_an_organization_loads_one_it_holds_a_licence_for(org, tmp_path):
    own = _bad(tmp_path, "code: BARC-10", "code: OWN-10")
    call_command("instruments_load", str(own), "--organization", org.slug)
    assert Instrument.objects.get(code="OWN-10").organization == org


def test_the_command_says_nothing_was_loaded(tmp_path):
    bad = _bad(tmp_path, "method: sum", "method: average")
    with pytest.raises(CommandError, match=r"Nothing loaded.*bad.yaml: scoring.method"):
        call_command("instruments_load", str(bad))
