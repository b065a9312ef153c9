"""Delete warm-line transcripts older than WARMLINE_RETENTION_DAYS; run it daily (cron)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.warmline import services
from alongside.warmline.models import Contact


class Command(BaseCommand):
    help = (
        "Delete the words of warm-line contacts that ended more than WARMLINE_RETENTION_DAYS "
        "(default 30) ago: messages, notes, names and numbers. Records without text stay."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override the setting.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.WARMLINE_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        total = 0
        # One organization at a time, each in its own scope.
        for organization in Organization.objects.order_by("pk"):
            with organization_scope(organization):
                due = Contact.objects.filter(
                    status=Contact.Status.ENDED,
                    ended_at__lt=cutoff,
                    transcript_deleted_at__isnull=True,
                )
                for contact in due.select_related("organization"):
                    services.transcript_delete(contact=contact)
                    total += 1
        self.stdout.write(
            f"Deleted {total} transcript(s) of contacts ended before {cutoff:%Y-%m-%d}."
        )
