"""``alongside payers_load``: the shipped files load, twice changes nothing, a bad file is
refused whole with its file, key and reason."""

import pytest
from django.core.management import CommandError, call_command

from alongside.billing.loader import PayerFileError, payers_load
from alongside.billing.models import Payer
from alongside.billing.tests.conftest import PAYERS

DEMO = (PAYERS / "demo.yaml").read_text()


def test_the_shipped_payers_load_and_twice_changes_nothing(db):
    first = payers_load([PAYERS])
    assert {r.code: r.outcome for r in first} == {
        "DEMO": "created",
        "NH-MEDICAID": "created",
        "SC-MEDICAID": "created",
    }
    assert {r.outcome for r in payers_load([PAYERS])} == {"unchanged"}
    demo = Payer.objects.get(code="DEMO")
    assert demo.service("H0038", ("HQ",))["rate_cents"] == 500
    nh = Payer.objects.get(code="NH-MEDICAID")
    assert nh.payer_id == "" and nh.verified is False


def test_a_changed_file_updates_its_payer(db, tmp_path):
    payers_load([PAYERS / "demo.yaml"])
    path = tmp_path / "demo.yaml"
    path.write_text(DEMO.replace("daily_cap_units: 16", "daily_cap_units: 12"))
    assert [r.outcome for r in payers_load([path])] == ["updated"]
    assert Payer.objects.get(code="DEMO").daily_cap_units == 12


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("rounding: cms_8_minute", "rounding: nearest"), "rounding"),
        (("    rate: 15.00", "    rate: fifteen"), "services[0].rate"),
        (("unit_minutes: 15\n", ""), "unit_minutes"),
        (("requires:\n", "requires:\n  - a_blessing\n"), "requires"),
        (("code: DEMO", "code: demo lower"), "code"),
        (("timely_filing_days: 365", "timely_filing_days: 365\nsurprise: 1"), "surprise"),
    ],
)
def test_a_bad_file_is_refused_naming_file_key_and_reason(db, tmp_path, change, key):
    good = tmp_path / "a-good.yaml"
    good.write_text(DEMO.replace("code: DEMO", "code: GOOD"))
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(DEMO.replace(*change))
    with pytest.raises(PayerFileError) as caught:
        payers_load([tmp_path])
    assert caught.value.path.endswith("b-bad.yaml") and caught.value.key == key
    assert caught.value.reason
    assert not Payer.objects.exists()


def test_the_command_says_nothing_loaded(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [\n")
    with pytest.raises(
        CommandError, match="Nothing loaded. .*bad.yaml: \\(file\\): is not valid YAML"
    ):
        call_command("payers_load", str(bad))
    assert not Payer.objects.exists()
