"""Fictional GPRA interview dates for the demo organization, so that the GPRA pages show
something to count by hand: twelve episodes, intakes spread over the last ten months, some
followed up inside the window, one too early, some not yet. Run ``demo_seed`` and
``load_care_sample_data`` first; running this again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.care.report_selectors import participants_visible_to
from alongside.core.models import Membership, Organization
from alongside.core.tenancy import organization_scope
from alongside.lib.dates import months_after
from alongside.reports.gpra import followup_window
from alongside.reports.models import GpraEpisode
from alongside.reports.services import gpra_episode_create

SLUG = "granite-peer"
EPISODES = 12


class Command(BaseCommand):
    help = "Add fictional GPRA interview dates to the demo organization (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=SLUG).first()
        admin = get_user_model().objects.filter(username="admin").first()
        if organization is None or admin is None:
            raise CommandError("Run demo_seed and load_care_sample_data first.")
        membership = Membership.objects.get(user=admin, organization=organization)
        today = timezone.localdate()
        with organization_scope(organization):
            if GpraEpisode.objects.exists():
                self.stdout.write("GPRA sample data is already there.")
                return
            people = list(participants_visible_to(membership).order_by("preferred_name", "pk"))
            for n, person in enumerate(people[:EPISODES]):
                intake = months_after(today, -(10 - n % 10)) + timedelta(days=n)
                window = followup_window(intake)
                followup = None
                if n % 4 == 1 and window.opens_on <= today:
                    followup = min(window.opens_on + timedelta(days=10), today)
                elif n % 4 == 2 and window.opens_on - timedelta(days=5) <= today:
                    followup = window.opens_on - timedelta(days=5)  # too early: not counted
                gpra_episode_create(
                    participant=person,
                    actor=admin,
                    data={"intake_on": intake, "followup_on": followup},
                )
        self.stdout.write(f"Added {min(EPISODES, len(people))} sample GPRA episodes.")
