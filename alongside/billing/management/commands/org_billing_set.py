"""``alongside org_billing_set --org SLUG --npi … --tin … [--taxonomy …]``: the billing identity."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.billing.services import billing_identity_set
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope

OPTIONS = {
    "legal_name": "legal name on claims (the organization's name if left out the first time)",
    "npi": "the organization's 10-digit NPI",
    "tin": "the tax id (EIN), 9 digits",
    "taxonomy": "taxonomy code (175T00000X, peer specialist, if left out the first time)",
    "address": "street address",
    "address2": "address, second line",
    "city": "city",
    "state": "two-letter state code",
    "zip": "ZIP+4, nine digits",
    "phone": "billing contact phone, ten digits",
    "submitter_id": "the submitter id the clearinghouse or state gave you",
}
FIELDS = {
    "legal_name": "legal_name",
    "npi": "npi",
    "tin": "tax_id",
    "taxonomy": "taxonomy",
    "address": "address_line1",
    "address2": "address_line2",
    "city": "city",
    "state": "state",
    "zip": "postal_code",
    "phone": "contact_phone",
    "submitter_id": "submitter_id",
}


class Command(BaseCommand):
    help = "Set or change an organization's billing identity; options left out stay as they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organization's short name (slug)")
        for name, text in OPTIONS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=text)

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization with the short name {options['org']!r}.")
        data = {FIELDS[k]: options[k] for k in OPTIONS if options.get(k) is not None}
        with organization_scope(organization):
            from alongside.billing.models import BillingIdentity

            if not BillingIdentity.objects.exists():
                data.setdefault("legal_name", organization.name[:60])
                data.setdefault("state", organization.state)
            try:
                identity = billing_identity_set(organization=organization, actor=None, data=data)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items()
                )
                raise CommandError(f"Nothing saved. {problems}") from exc
        self.stdout.write(f"Billing identity of {organization.slug}: NPI {identity.npi}.")
