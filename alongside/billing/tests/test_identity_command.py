"""``alongside org_billing_set``: the billing identity from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.billing.models import BillingIdentity
from alongside.core.tenancy import organization_scope

ADDRESS = ["--address", "1 Main St", "--city", "Concord", "--zip", "033010000"]


def test_sets_then_changes_only_what_is_given(org):
    out = StringIO()
    call_command(
        "org_billing_set", "--org", org.slug, "--npi", "1234567893", "--tin", "020000001",
        "--phone", "6035550142", *ADDRESS, stdout=out,
    )  # fmt: skip
    assert "NPI 1234567893" in out.getvalue()
    call_command("org_billing_set", "--org", org.slug, "--taxonomy", "175T00000X", stdout=out)
    with organization_scope(org):
        identity = BillingIdentity.objects.get()
    assert (identity.npi, identity.tax_id, identity.taxonomy) == (
        "1234567893",
        "020000001",
        "175T00000X",
    )


def test_a_bad_npi_saves_nothing(org):
    with pytest.raises(CommandError, match="Nothing saved. npi:"):
        call_command(
            "org_billing_set", "--org", org.slug, "--npi", "1234567890", "--tin", "020000001",
            "--phone", "6035550142", *ADDRESS, stdout=StringIO(),
        )  # fmt: skip
    with organization_scope(org):
        assert not BillingIdentity.objects.exists()
