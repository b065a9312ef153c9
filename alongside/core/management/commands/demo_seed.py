"""Fictional organizations and staff for the demo. Every name and number here is made up."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from alongside.core.models import Organization
from alongside.core.roles import Role
from alongside.core.services import membership_set_roles, organization_create, user_create

DEMO_PASSWORD = "walk-alongside-demo"
OPERATOR = "nh-peer-directory"

ORGANIZATIONS = [
    ("Granite Peer Support (sample)", "granite-peer", Organization.Kind.PEER_SUPPORT_AGENCY, False),
    (
        "Riverbend Recovery Community (sample)",
        "riverbend-recovery",
        Organization.Kind.RECOVERY_COMMUNITY_ORGANIZATION,
        True,
    ),
    # Runs the shared directory (ALONGSIDE_OPERATOR_ORG, which defaults to it under DEBUG).
    (
        "New Hampshire Peer Support Directory (sample)",
        OPERATOR,
        Organization.Kind.OTHER,
        False,
    ),
]

# Username, organization, roles, and a made-up first and last name shown on every page.
PEOPLE = [
    ("admin", "granite-peer", [Role.ORG_ADMIN, Role.SUPERVISOR], "Avery", "Brightwater"),
    ("supervisor", "granite-peer", [Role.SUPERVISOR, Role.PEER_SPECIALIST], "Morgan", "Stillwell"),
    ("peer", "granite-peer", [Role.PEER_SPECIALIST], "Jamie", "Riverstone"),
    ("billing", "granite-peer", [Role.BILLING], "Casey", "Ledgerly"),
    ("warmline", "granite-peer", [Role.WARMLINE_RESPONDER], "Robin", "Kindlewood"),
    ("directory", OPERATOR, [Role.DIRECTORY_EDITOR], "Dana", "Wayfinder"),
    ("editor", "granite-peer", [Role.DIRECTORY_EDITOR], "Taylor", "Pagewright"),
    ("riverbend", "riverbend-recovery", [Role.ORG_ADMIN, Role.PEER_SPECIALIST], "Quinn", "Bendway"),
]


class Command(BaseCommand):
    help = "Create the demo's fictional organizations and staff accounts (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organizations = {}
        for name, slug, kind, part2 in ORGANIZATIONS:
            organizations[slug] = Organization.objects.filter(slug=slug).first() or (
                organization_create(
                    name=name, slug=slug, state="NH", kind=kind, is_part2_program=part2
                )
            )
        User = get_user_model()
        for username, slug, roles, first_name, last_name in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                user_create(
                    username=username,
                    email=f"{username}@example.org",
                    password=DEMO_PASSWORD,
                    organization=organizations[slug],
                    roles=list(roles),
                    first_name=first_name,
                    last_name=last_name,
                )
        # The editor also belongs to the second organization, to show switching.
        editor = User.objects.get(username="editor")
        if not editor.memberships.filter(organization=organizations["riverbend-recovery"]).exists():
            membership_set_roles(
                user=editor,
                organization=organizations["riverbend-recovery"],
                roles=[Role.DIRECTORY_EDITOR],
            )
        self.stdout.write("Demo accounts (all fictional), password for each: " + DEMO_PASSWORD)
        for username, slug, roles, first_name, last_name in PEOPLE:
            name = f"{first_name} {last_name}"
            self.stdout.write(f"  {username:<11} {name:<18} {slug:<20} {', '.join(roles)}")
        if settings.ALONGSIDE_OPERATOR_ORG != OPERATOR:
            self.stdout.write(
                f"Set ALONGSIDE_OPERATOR_ORG={OPERATOR} for the sample directory organization "
                "to run the directory (it is the default with DEBUG=1)."
            )
