"""Where a member lands after signing in: the page where their role's work is.

Rules, first match wins, so a member with several roles lands on their main work:
- a peer support specialist, supervisor or organization admin: the caseload (supervisors and
  admins see the whole team's there);
- a directory editor: the verification queue if their organization runs the directory, else
  their organization's listing claims (the queue answers 404 to everyone else);
- billing: the billing runs;
- a warm line responder: the warm line's console.

Core may not import the apps, so the pages are named by URL name only.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from alongside.core.models import Membership
from alongside.core.roles import Role

CASELOAD_ROLES = (Role.PEER_SPECIALIST, Role.SUPERVISOR, Role.ORG_ADMIN)
# Roles whose part of Alongside is not built yet: their members land on the overview.
ROLES_WITHOUT_PAGES: tuple[str, ...] = ()


def runs_directory(membership: Membership) -> bool:
    # The same rule as ``directory.access.is_operator``, which core cannot import.
    slug = settings.ALONGSIDE_OPERATOR_ORG
    return bool(slug) and membership.organization.slug == slug


def landing_url(membership: Membership) -> str | None:
    """The page ``membership``'s work starts on, or None for the staff overview."""
    if membership.has_role(*CASELOAD_ROLES):
        return reverse("care:dashboard")
    if membership.has_role(Role.DIRECTORY_EDITOR):
        return reverse(
            "directory_staff:queue" if runs_directory(membership) else "directory_staff:claims"
        )
    if membership.has_role(Role.BILLING):
        return reverse("billing:home")
    if membership.has_role(Role.WARMLINE_RESPONDER):
        return reverse("warmline_staff:console")
    return None
