"""The demo's warm line: Granite Peer Support (sample) answers the sample directory's
round-the-clock line, open every minute of every day. Run after load_sample_data and
demo_seed. Everything here is fictional."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alongside.core.management.commands.demo_seed import DEMO_PASSWORD
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.directory.selectors import listings_for_referral
from alongside.warmline import services
from alongside.warmline.models import Line, Topic

ORGANIZATION = "granite-peer"
LISTING = "Round-the-Clock Peer Text and Talk Line (sample)"
TOPICS = [
    "Loneliness",
    "Stress or worry",
    "Recovery and staying well",
    "Family and relationships",
    "Housing or money",
    "Work or school",
    "Grief and loss",
    "Just wanted to talk",
]


class Command(BaseCommand):
    help = "Create the demo's warm line (open around the clock) and its topics; safe to rerun."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=ORGANIZATION).first()
        if organization is None:
            raise CommandError("Run `alongside demo_seed` first.")
        found, _problems = listings_for_referral(query=LISTING, limit=5)
        listing = next((r for r in found if r.name == LISTING), None)
        if listing is None:
            raise CommandError("Run `alongside load_sample_data` first: the listing is missing.")
        with organization_scope(organization):
            line = Line.objects.filter(slug="granite-warm-line").first()
            if line is None:
                services.line_create(
                    organization=organization,
                    actor=None,
                    name="Granite Peer Warm Line (sample)",
                    slug="granite-warm-line",
                    listing_id=listing.service_id,
                    sms_number="+16035550150",
                )
            existing = set(Topic.objects.values_list("name", flat=True))
            for name in TOPICS:
                if name not in existing:
                    services.topic_create(organization=organization, actor=None, name=name)
        self.stdout.write(
            "Warm line (sample, open around the clock): chat at /warmline/; answer it at "
            f"/staff/warmline/ as  warmline / {DEMO_PASSWORD}  (supervisor view: supervisor)."
        )
