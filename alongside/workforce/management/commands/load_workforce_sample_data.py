"""Fictional staff credentials, training and supervision for the demo organization.

Staff hold credentials of every state whose rules are loaded: one active, one expiring next
month, one in its grace period, one lapsed, and one person working toward the CRSW with
supervision logged under an approved agreement. Credential rules come from
``content/credentials/`` (the test files until those ship). Everyone is made up and says so.
Run ``demo_seed`` and ``load_care_sample_data`` first; running this again changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.core.management.commands.demo_seed import DEMO_PASSWORD
from alongside.core.models import Membership, Organization
from alongside.core.roles import Role
from alongside.core.services import user_create
from alongside.core.tenancy import organization_scope
from alongside.workforce import rules, services
from alongside.workforce.loader import credential_files, credentials_load
from alongside.workforce.models import CredentialType, StaffProfile

ORGANIZATION = "granite-peer"
CONTENT = Path(settings.BASE_DIR) / "content" / "credentials"
TEST_FILES = Path(__file__).resolve().parents[2] / "tests" / "credentials"
# Username, first and last name (made up) of the extra staff the demo needs.
NEW_STAFF = [
    ("sol", "Sol", "Harborview"),
    ("lee", "Lee", "Marchbank"),
    ("kit", "Kit", "Alderbrook"),
]


def _topic(ctype: CredentialType, preferred: str) -> str:
    """``preferred``, unless the type allows only other topics."""
    if ctype.topics is None or preferred in ctype.topics:
        return preferred
    return str(ctype.topics[0])


class Command(BaseCommand):
    help = "Load fictional staff credentials, training and supervision for the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=ORGANIZATION).first()
        if organization is None:
            raise CommandError("Run `alongside demo_seed` first.")
        folder = CONTENT if CONTENT.is_dir() and credential_files([CONTENT]) else TEST_FILES
        credentials_load([folder])
        self.stdout.write(f"Credential rules loaded from {folder}.")
        with organization_scope(organization), transaction.atomic():
            if StaffProfile.objects.exists():
                self.stdout.write("Workforce sample data already loaded.")
                return
            self._load(organization, timezone.localdate())
        self.stdout.write("Workforce sample data loaded (fictional).")

    def _member(self, organization: Organization, username: str) -> Membership:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = next((f, la) for u, f, la in NEW_STAFF if u == username)
            user = user_create(
                username=username,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                organization=organization,
                roles=[Role.PEER_SPECIALIST],
                first_name=first,
                last_name=last,
            )
        membership = user.memberships.filter(organization=organization).first()
        if membership is None:
            raise CommandError(f"{username} is not a member of {organization.slug}.")
        return membership

    def _profile(self, organization: Organization, username: str, actor: Any) -> StaffProfile:
        return services.staff_profile_ensure(
            membership=self._member(organization, username), actor=actor
        )

    def _hold(
        self, profile: StaffProfile, ctype: CredentialType, expires_on: date, number: str
    ) -> None:
        today = timezone.localdate()
        cycle = ctype.cycle_months or 24  # sample dates only, where the rules give no cycle
        issued_on = min(rules.add_months(expires_on, -cycle), today - timedelta(1))
        services.credential_add(
            profile=profile,
            actor=profile.user,
            data={
                "type": ctype,
                "number": f"{number} (sample)",
                "issued_on": issued_on,
                "expires_on": expires_on,
            },
        )

    def _load(self, organization: Organization, today: date) -> None:
        types = list(CredentialType.objects.order_by("jurisdiction", "code"))
        if not types:
            raise CommandError("No credential types loaded.")
        admin = self._member(organization, "admin").user
        supervisor = self._profile(organization, "supervisor", admin)
        crsw = next((t for t in types if t.code == "nh-crsw"), None) or next(
            (t for t in types if t.jurisdiction == "NH"), types[0]
        )
        with_grace = max(types, key=lambda t: t.grace_days)
        others = [t for t in types if t not in (crsw, with_grace)] or [crsw]

        # Active, with some CE done this cycle.
        self._hold(supervisor, crsw, rules.add_months(today, 15), "CRSW-0101")
        self._training(
            supervisor, today - timedelta(days=120), 6, "ethics", "Ethics and boundaries"
        )
        self._training(
            supervisor, today - timedelta(days=60), 4, "recovery_wellness", "Wellness tools"
        )
        # Expiring next month.
        sol = self._profile(organization, "sol", admin)
        self._hold(sol, others[0], today + timedelta(days=35), "PS-0102")
        self._training(
            sol, today - timedelta(days=200), 3, _topic(others[0], "ethics"), "Refresher"
        )
        # In grace: expired a few days ago, inside the type's grace period.
        lee = self._profile(organization, "lee", admin)
        days_late = max(1, with_grace.grace_days // 3)
        self._hold(lee, with_grace, today - timedelta(days=days_late), "PS-0103")
        # Lapsed: expired and past grace.
        kit = self._profile(organization, "kit", admin)
        lapsed = others[-1]
        self._hold(kit, lapsed, today - timedelta(days=lapsed.grace_days + 45), "PS-0104")
        # Every other state's credential is held by someone, active.
        held = {crsw, with_grace, others[0], lapsed}
        for index, ctype in enumerate(t for t in types if t not in held):
            self._hold(supervisor, ctype, rules.add_months(today, 9 + index), f"X-{index:04d}")
        self._working_toward(organization, crsw, supervisor, today)

    def _training(
        self, profile: StaffProfile, day: date, hours: float, topic: str, title: str
    ) -> None:
        services.training_add(
            profile=profile,
            actor=profile.user,
            data={
                "date": day,
                "hours": hours,
                "topic": topic,
                "title": f"{title} (sample)",
                "provider": "Granite Peer Support training team (sample)",
            },
        )

    def _working_toward(
        self,
        organization: Organization,
        crsw: CredentialType,
        supervisor: StaffProfile,
        today: date,
    ) -> None:
        """The demo's peer specialist works toward the CRSW under the demo supervisor."""
        peer = self._profile(organization, "peer", supervisor.user)
        services.certification_goal_set(profile=peer, actor=peer.user, data={"type": crsw})
        topics = list(crsw.training_by_topic) or ["ethics"]
        for index, topic in enumerate(topics):
            need = float(crsw.training_by_topic.get(topic, 6))
            # Most topics done, the last one half done: the page shows what is left.
            hours = need / 2 if index == len(topics) - 1 else need
            while hours > 0:
                part = min(hours, 8.0)
                self._training(
                    peer,
                    today - timedelta(days=300 - index * 20 - int(hours)),
                    part,
                    topic,
                    topic.replace("_", " ").capitalize(),
                )
                hours -= part
        approved_on = today - timedelta(days=150)
        services.agreement_add(
            supervisee=peer,
            actor=supervisor.user,
            data={
                "supervisor": supervisor,
                "approved_on": approved_on,
                "approved_by": "Board of Licensing (sample approval)",
            },
        )
        # One session before the approval: logged, but it does not count.
        sessions = [(approved_on - timedelta(days=10), 60, "individual", ["getting_started"])]
        for week in range(1, 19):
            fmt = "group" if week % 3 == 0 else "individual"
            sessions.append(
                (
                    approved_on + timedelta(days=7 * week),
                    90 if fmt == "group" else 60,
                    fmt,
                    ["ethics", "boundaries"] if week % 2 else ["self_care"],
                )
            )
        for day, minutes, fmt, topics_covered in sessions:
            services.supervision_add(
                supervisee=peer,
                actor=supervisor.user,
                data={
                    "supervisor": supervisor,
                    "date": day,
                    "minutes": minutes,
                    "format": fmt,
                    "topics": topics_covered,
                    "note": "Talked through the week's hardest moment and what helped (sample).",
                },
            )
        services.other_work_add(
            profile=peer,
            actor=peer.user,
            data={
                "date": today - timedelta(days=30),
                "hours": 6,
                "description": "Recovery centre open house (sample)",
            },
        )
