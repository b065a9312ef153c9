"""Fictional recovery measures for the demo: BARC-10 filled in several times over a year.

Everything here is made up: the people are care's sample participants, and their answers are
drawn at random, drifting upward a little with some dips, a skipped item, an "I'd rather not"
and a corrected mistake, so every part of the pages has something to show. Run
``demo_seed`` and ``load_care_sample_data`` first; running this again changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.care.models import Participant
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.outcomes import services
from alongside.outcomes.loader import instruments_load
from alongside.outcomes.models import Administration, Via
from alongside.outcomes.selectors import instrument_by_code

INSTRUMENTS = Path(settings.BASE_DIR) / "content" / "instruments"
ORGANIZATIONS = ("granite-peer", "riverbend-recovery")
# At most this many people per organization get a history of measures.
PEOPLE = 8


class Command(BaseCommand):
    help = "Load fictional recovery measures (BARC-10 over a year) for the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        instruments_load([INSTRUMENTS])
        rng = random.Random(26)  # noqa: S311 -- sample data, not security
        for slug in ORGANIZATIONS:
            organization = Organization.objects.filter(slug=slug).first()
            if organization is None:
                raise CommandError(f"Run `alongside demo_seed` first (no organization {slug}).")
            with organization_scope(organization), transaction.atomic():
                if Administration.objects.exists():
                    self.stdout.write(f"{slug}: outcomes sample data already loaded.")
                    continue
                barc = instrument_by_code(organization, "BARC-10")
                if barc is None:
                    raise CommandError("BARC-10 did not load from content/instruments/.")
                people = [
                    p
                    for p in Participant.objects.prefetch_related("specialists").order_by(
                        "created_at", "id"
                    )
                    if services.instrument_suits(barc, p) and p.specialists.all()
                ][:PEOPLE]
                if not people:
                    raise CommandError("Run `alongside load_care_sample_data` first.")
                for number, person in enumerate(people):
                    self._history(rng, person, barc, number)
            self.stdout.write(f"{slug}: BARC-10 histories for {len(people)} sample participants.")

    def _history(self, rng: random.Random, person: Participant, barc: Any, number: int) -> None:
        today = timezone.localdate()
        specialist = person.specialists.all()[0]
        level = rng.uniform(2.2, 3.6)
        times = rng.randint(3, 6)
        for time in range(times):
            day = today - timedelta(days=round(360 * (times - 1 - time) / max(times - 1, 1)))
            level = min(5.8, max(1.2, level + rng.uniform(-0.4, 0.9)))
            answers: dict[str, Any] = {
                key: min(6, max(1, round(level + rng.uniform(-1, 1)))) for key in barc.item_keys
            }
            if number == 1 and time == 1:
                answers.pop("4")  # a skipped item: no total that time
            kept = services.administration_record(
                participant=person,
                instrument=barc,
                answers=answers,
                completed_on=day,
                actor=specialist,
                via=Via.STAFF if time % 2 else Via.LINK,
                declined=number == 2 and time == 2,
            )
            if number == 0 and time == times - 1:
                # A mistake noticed afterwards: corrected by a new entry; both are kept.
                services.administration_record(
                    participant=person,
                    instrument=barc,
                    answers={**answers, "1": min(6, answers["1"] + 1)},
                    completed_on=day,
                    actor=specialist,
                    supersedes=kept,
                )
