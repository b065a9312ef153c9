"""Roles a membership can carry, and what each may see."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organization admin")
    SUPERVISOR = "supervisor", _("Supervisor")
    PEER_SPECIALIST = "peer_specialist", _("Peer support specialist")
    BILLING = "billing", _("Billing")
    WARMLINE_RESPONDER = "warmline_responder", _("Warm line responder")
    DIRECTORY_EDITOR = "directory_editor", _("Directory editor")


# Roles that open participant records (or warm-line contacts); they must use two-factor sign-in.
SEES_PARTICIPANT_DATA = frozenset(
    {
        Role.ORG_ADMIN,
        Role.SUPERVISOR,
        Role.PEER_SPECIALIST,
        Role.BILLING,
        Role.WARMLINE_RESPONDER,
    }
)
