"""Tell specialists of consents that expire within 30 days: run it once a day.

Each person is told of each consent once, however often the command runs (see
``care.notifications.consents_expiring_notify``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from alongside.care.notifications import consents_expiring_notify
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope


class Command(BaseCommand):
    help = "Notify specialists of consents that expire within 30 days (once each; run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        total = 0
        for organization in Organization.objects.order_by("slug"):
            with organization_scope(organization):
                total += consents_expiring_notify(today=today)
        self.stdout.write(f"{total} notification(s) about consents that expire soon.")
