"""The demo's billing sample data: last month has billable lines, held lines with reasons, a
group billed with HQ and a day past the cap; and a second load changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from alongside.billing.holds import Hold
from alongside.billing.management.commands.load_billing_sample_data import last_month
from alongside.billing.models import BillingIdentity, Payer
from alongside.billing.services import batch_build, batch_file_prepare
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope


def test_last_month_bills_and_holds_and_the_file_validates(db, django_user_model):
    for command in (
        "demo_seed",
        "load_care_sample_data",
        "load_workforce_sample_data",
        "load_billing_sample_data",
        "load_billing_sample_data",
    ):
        call_command(command, stdout=StringIO())
    organization = Organization.objects.get(slug="granite-peer")
    clerk = django_user_model.objects.get(username="billing")
    starts_on, ends_on = last_month(timezone.localdate())
    with organization_scope(organization):
        assert BillingIdentity.objects.count() == 1
        batch = batch_build(
            organization=organization,
            payer=Payer.objects.get(code="DEMO"),
            starts_on=starts_on,
            ends_on=ends_on,
            actor=clerk,
        )
        lines = list(batch.lines.all())
        reasons = {reason for line in lines for reason in line.reasons}
        assert any(not line.reasons for line in lines)
        assert any(line.modifiers == ["HQ"] and not line.reasons for line in lines)
        assert {Hold.daily_cap(), Hold.restricted(), Hold.no_credential()} <= reasons
        batch = batch_file_prepare(batch=batch)
        assert batch.file_errors == [] and batch.file_text.startswith("ISA*")
