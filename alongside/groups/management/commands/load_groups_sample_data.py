"""Fictional peer-led groups for the demo: in person and online, with a few weeks of sessions.

Everything here is made up and says so: names end in "(sample)", addresses are fictional and
phone numbers are in the 555-01xx range. Run ``demo_seed`` and ``load_care_sample_data``
first; running this again changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.care.models import Participant
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.groups import attendance as taking
from alongside.groups import services
from alongside.groups.models import Group
from alongside.groups.schedule import occurrences

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, SATURDAY = 0, 1, 2, 3, 5
CONCORD = {"city": "Concord", "state": "NH", "postal_code": "03301"}
# Each group: its fields, weekly (weekday, start, end) times, facilitators' usernames, and
# how many of the organization's participants register.
GROUPS: dict[str, list[dict[str, Any]]] = {
    "granite-peer": [
        {
            "data": {
                "name": "Tuesday Evening Recovery Circle (sample)",
                "slug": "sample-tuesday-recovery-circle",
                "description": (
                    "A drop-in circle for anyone in or thinking about recovery. We go round "
                    "the room: share if you like, or just listen. (Sample group.)"
                ),
                "kind": Group.Kind.PEER_SUPPORT,
                "service_category": "illness_management",
                "focus": ["substance_use", "co_occurring"],
                "is_open": True,
                "format": Group.Format.IN_PERSON,
                "location_name": "Granite Drop-in Center (sample)",
                "address": "14 Sample Street",
                **CONCORD,
                "listed_publicly": True,
            },
            "weekly": [(TUESDAY, time(18), time(19))],
            "facilitators": ["peer"],
            "register": 5,
        },
        {
            "data": {
                "name": "Online Men's Peer Group (sample)",
                "slug": "sample-online-mens-group",
                "description": (
                    "Men supporting men, on video or by phone. Members only: register to get "
                    "the link. (Sample group.)"
                ),
                "kind": Group.Kind.PEER_SUPPORT,
                "service_category": "illness_management",
                "focus": ["mental_health"],
                "populations": ["men"],
                "is_open": False,
                "format": Group.Format.ONLINE,
                "conference_url": "https://meet.example.org/sample-mens-group",
                "conference_phone": "603-555-0150",
                "conference_public": False,
                "capacity": 12,
                "listed_publicly": True,
            },
            "weekly": [(THURSDAY, time(19), time(20, 30))],
            "facilitators": ["supervisor"],
            "register": 6,
        },
        {
            "data": {
                "name": "Family and Friends Lunch Circle (sample)",
                "slug": "sample-family-lunch-circle",
                "description": (
                    "For people who love someone in recovery. Come to the room or join on "
                    "video. (Sample group.)"
                ),
                "kind": Group.Kind.FAMILY,
                "service_category": "education",
                "populations": ["families"],
                "is_open": True,
                "format": Group.Format.HYBRID,
                "location_name": "Granite Drop-in Center (sample)",
                "address": "14 Sample Street",
                **CONCORD,
                "conference_url": "https://meet.example.org/sample-family-circle",
                "conference_public": True,
                "listed_publicly": True,
            },
            "weekly": [(MONDAY, time(12), time(13)), (WEDNESDAY, time(12), time(13))],
            "facilitators": ["peer", "supervisor"],
            "register": 0,
        },
    ],
    "riverbend-recovery": [
        {
            "data": {
                "name": "Saturday WRAP Workshop (sample)",
                "slug": "sample-saturday-wrap",
                "description": (
                    "Build your own Wellness Recovery Action Plan, one part each week. "
                    "(Sample group.)"
                ),
                "kind": Group.Kind.WELLNESS,
                "service_category": "illness_management",
                "is_open": False,
                "format": Group.Format.IN_PERSON,
                "location_name": "Riverbend Community Room (sample)",
                "address": "3 Fictional Way",
                "city": "Manchester",
                "state": "NH",
                "postal_code": "03101",
                "capacity": 10,
                "listed_publicly": True,
            },
            "weekly": [(SATURDAY, time(10), time(11, 30))],
            "facilitators": ["riverbend"],
            "register": 4,
        },
    ],
}
SUMMARIES = [
    "Went round the room on what helped this week; talked about asking for help early.",
    "Shared ways to get through the holidays; made a list of places open late.",
    "Talked about sleep and routines; two people shared what works for them.",
    "Practised saying no without explaining; role-played in pairs.",
]
NOTES = [
    "Spoke for the first time tonight.",
    "Said the group is the part of the week they look forward to.",
    "Asked about the Saturday workshop.",
    "",
    "",
]
WEEKS_BACK = 4


class Command(BaseCommand):
    help = "Load fictional groups with a few weeks of sessions and attendance for the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(24)  # noqa: S311 -- sample data, not security
        for slug, groups in GROUPS.items():
            organization = Organization.objects.filter(slug=slug).first()
            if organization is None:
                raise CommandError(f"Run `alongside demo_seed` first (no organization {slug}).")
            with organization_scope(organization), transaction.atomic():
                if Group.objects.exists():
                    self.stdout.write(f"{slug}: group sample data already loaded.")
                    continue
                people = list(Participant.objects.enrolled().order_by("created_at", "id"))
                if not people:
                    raise CommandError("Run `alongside load_care_sample_data` first.")
                for number, spec in enumerate(groups):
                    self._group(rng, organization, spec, people[number:] + people[:number])
            self.stdout.write(f"{slug}: {len(groups)} sample groups with sessions.")

    def _group(
        self,
        rng: random.Random,
        organization: Organization,
        spec: dict[str, Any],
        people: list[Participant],
    ) -> None:
        facilitators = list(
            get_user_model().objects.filter(username__in=spec["facilitators"]).order_by("pk")
        )
        lead = facilitators[0]
        today = timezone.localdate()
        group = services.group_create(
            organization=organization,
            actor=lead,
            data={"timezone": "America/New_York", **spec["data"]},
            meeting_times=[
                {"weekday": day, "start_time": start, "end_time": end, "starts_on": None}
                for day, start, end in spec["weekly"]
            ],
            facilitators=facilitators,
        )
        registered = people[: spec["register"]]
        for person in registered:
            services.registration_add(group=group, actor=lead, participant=person)
        if not group.is_open:
            services.registration_add(
                group=group, actor=lead, first_name="Jordan", contact="603-555-0163"
            )
        regulars = registered or people[:4]
        past = occurrences(group, today - timedelta(weeks=WEEKS_BACK), today - timedelta(days=1))
        for occurrence in past:
            self._attendance(rng, group, occurrence.scheduled_date, lead, regulars)
        self._changes_ahead(group, today, lead)

    def _attendance(
        self,
        rng: random.Random,
        group: Group,
        day: date,
        lead: Any,
        regulars: list[Participant],
    ) -> None:
        session = services.session_get_or_create(group=group, scheduled_date=day, actor=lead)
        present = [p for p in regulars if rng.random() < 0.75]
        absent = [p for p in regulars if p not in present]
        notes = {p: note for p in present if (note := rng.choice(NOTES))}
        taking.attendance_take(
            session=session,
            actor=lead,
            present=present,
            absent=absent,
            walk_ins=rng.randint(0, 5) if group.is_open else 0,
            summary=rng.choice(SUMMARIES),
            notes=notes,
        )

    def _changes_ahead(self, group: Group, today: date, lead: Any) -> None:
        """Cancel the second date ahead and move the third by half an hour."""
        ahead = occurrences(group, today + timedelta(days=1), today + timedelta(weeks=4))
        if len(ahead) >= 3:
            services.session_cancel(
                group=group,
                scheduled_date=ahead[1].scheduled_date,
                actor=lead,
                public_note="The room is closed for a holiday (sample).",
            )
            moved = ahead[2]
            services.session_move(
                group=group,
                scheduled_date=moved.scheduled_date,
                actor=lead,
                date=moved.date,
                start_time=time(moved.start_time.hour, 30),
                end_time=time(moved.end_time.hour, 30),
                public_note="Starts half an hour later this week (sample).",
            )
