"""The notifications care sends, registered with core when the app starts, and whom they reach.

E-mail defaults: on where something must be done now or by a date and the person may not be
signed in (a safety concern; a consent about to expire), off where the person sees it the next
time they sign in (a note returned, a referral moved along, a break-glass opening to review).
Each person changes these on their E-mail settings page.

No title, link or e-mail names the participant: a link holds the record's id only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.care.access import CARE_ROLES, TEAM_ROLES
from alongside.care.models import Consent, Participant
from alongside.core.notifications import Kind, members_with_role, notify, register_kind
from alongside.core.people import display_name


class Code:
    SAFETY_CONCERN = "safety_concern"
    BREAK_GLASS = "break_glass"
    NOTE_RETURNED = "note_returned"
    CONSENT_EXPIRING = "consent_expiring"
    REFERRAL_UPDATED = "referral_updated"


# Consents are flagged this many days before they expire (once, by the daily command).
CONSENT_NOTICE_DAYS = 30

KINDS = (
    Kind(
        code=Code.SAFETY_CONCERN,
        label=gettext_lazy("Safety concern raised"),
        email_default=True,
        email_text=gettext_lazy("A safety concern was raised for someone on your caseload."),
        roles=TEAM_ROLES,
    ),
    Kind(
        code=Code.NOTE_RETURNED,
        label=gettext_lazy("Note returned to you with a comment"),
        email_default=False,
        email_text=gettext_lazy("A supervisor returned one of your notes with a comment."),
        roles=CARE_ROLES,
    ),
    Kind(
        code=Code.CONSENT_EXPIRING,
        label=gettext_lazy("Consent about to expire"),
        email_default=True,
        email_text=gettext_lazy(
            "A consent to share information expires within 30 days for someone you work with."
        ),
        roles=CARE_ROLES,
    ),
    Kind(
        code=Code.REFERRAL_UPDATED,
        label=gettext_lazy("Referral updated"),
        email_default=False,
        email_text=gettext_lazy("A referral for someone you work with was updated."),
        roles=CARE_ROLES,
    ),
    Kind(
        code=Code.BREAK_GLASS,
        label=gettext_lazy("Record opened with break-glass"),
        email_default=False,
        email_text=gettext_lazy(
            "Someone opened a record outside their caseload with break-glass access. "
            "Review it on the caseload page."
        ),
        roles=TEAM_ROLES,
    ),
)


def register() -> None:
    """Called from ``CareConfig.ready``."""
    for kind in KINDS:
        register_kind(kind)


def participant_link(participant_id: Any, anchor: str = "") -> str:
    path = reverse("care:participant", args=[participant_id])
    return f"{path}#{anchor}" if anchor else path


def _link_to_note(encounter: Any) -> str:
    return reverse("care:encounter", args=[encounter.participant_id, encounter.pk])


def tell_note_returned(encounter: Any, *, actor: Any) -> None:
    """The note's author learns that a supervisor returned it with a comment."""
    notify(
        [encounter.specialist],
        Code.NOTE_RETURNED,
        _("%(name)s returned a note of yours with a comment") % {"name": display_name(actor)},
        _link_to_note(encounter),
        organization=encounter.organization,
        actor=actor,
    )


def tell_referral_updated(referral: Any, *, actor: Any) -> None:
    """The referral's maker and the person's specialists learn its new status (not the actor)."""
    people = [referral.made_by, *referral.participant.specialists.all()]
    notify(
        [u for u in people if u.pk != actor.pk],
        Code.REFERRAL_UPDATED,
        _("A referral was moved to “%(status)s” by %(name)s")
        % {"status": referral.get_status_display(), "name": display_name(actor)},
        participant_link(referral.participant_id, "referrals"),
        organization=referral.organization,
        actor=actor,
    )


def consents_expiring_notify(*, today: date) -> int:
    """Tell of each consent that expires within ``CONSENT_NOTICE_DAYS``, once per person.

    For the organization in scope (the daily command runs it for each). The person's
    specialists are told, or the supervisors and admins when nobody is assigned. Returns the
    number of notifications written.
    """
    consents = (
        Consent.objects.filter(
            participant__in=Participant.objects.enrolled(),
            revoked_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=CONSENT_NOTICE_DAYS),
        )
        .select_related("participant", "organization")
        .prefetch_related("participant__specialists")
        .order_by("expires_on", "pk")
    )
    written = 0
    team: list[Any] | None = None
    for consent in consents:
        people = list(consent.participant.specialists.all())
        if not people:
            if team is None:
                team = [m.user for m in members_with_role(consent.organization, *TEAM_ROLES)]
            people = team
        written += len(
            notify(
                people,
                Code.CONSENT_EXPIRING,
                _("A consent to share expires on %(date)s")
                # The query asked for a date: ``expires_on`` is never None here.
                % {"date": formats.date_format(consent.expires_on or today, "M j, Y")},
                participant_link(consent.participant_id, "consents"),
                organization=consent.organization,
                key=str(consent.pk),
            )
        )
    return written
