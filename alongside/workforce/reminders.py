"""Renewal reminders (``alongside credentials_remind``, run daily).

Rules: a credential's holder is e-mailed 90, 60 and 30 days before it expires and once more
when it lapses (past its grace period); the organization's admins are copied on the lapse.
Each reminder goes once per expiry date: a renewal (a new credential record with a new expiry)
starts them again, and only the newest credential of each type is reminded about. A day the
command did not run is caught up with the most urgent reminder due, not with all the missed
ones. Each run also records a status change in the credential's history.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.core.roles import Role
from alongside.core.selectors import team_for_org
from alongside.core.tenancy import organization_scope
from alongside.workforce import rules
from alongside.workforce.models import (
    Credential,
    CredentialStatusChange,
    ReminderSent,
    StaffProfile,
    Status,
)
from alongside.workforce.selectors import current_credentials

Kind = ReminderSent.Kind
# Most urgent first.
URGENCY = [Kind.LAPSED, Kind.DAYS_30, Kind.DAYS_60, Kind.DAYS_90]
LAPSED = (Status.LAPSED, Status.RETRAINING_REQUIRED)


def reminder_due(credential: Credential, on: date) -> Kind | None:
    """The most urgent reminder that applies on ``on``, if any."""
    status = rules.status_on(credential.type, credential.expires_on, on)
    if status in LAPSED:
        return Kind.LAPSED
    days_left = (credential.expires_on - on).days
    if days_left < 0:
        return None  # in grace: the 30-day reminder said it; the lapse reminder will follow
    for kind, days in ((Kind.DAYS_30, 30), (Kind.DAYS_60, 60), (Kind.DAYS_90, 90)):
        if days_left <= days:
            return kind
    return None


def _message(credential: Credential, kind: str) -> tuple[str, str]:
    name = credential.type.name
    when = credential.expires_on.isoformat()
    if kind == Kind.LAPSED:
        subject = _("Your %(name)s has lapsed") % {"name": name}
        body = _(
            "Your %(name)s (number %(number)s) expired on %(when)s and its grace period is over. "
            "Peer services you deliver now cannot be billed as delivered by a certified "
            "specialist. Contact the board to renew it, and tell your supervisor."
        )
    else:
        subject = _("Your %(name)s expires on %(when)s") % {"name": name, "when": when}
        body = _(
            "Your %(name)s (number %(number)s) expires on %(when)s, in %(days)s days or fewer. "
            "Check your continuing education on the Credentials page in Alongside and send "
            "your renewal to the board in time."
        )
    return subject, body % {"name": name, "number": credential.number, "when": when, "days": kind}


def _admin_emails(profile: StaffProfile) -> list[str]:
    return [
        m.user.email
        for m in team_for_org(profile.organization).filter(is_active=True)
        if m.has_role(Role.ORG_ADMIN) and m.user.email and m.user_id != profile.user_id
    ]


def reminders_send(*, on: date) -> list[ReminderSent]:
    """Send every reminder due on ``on`` in every organization; return what was sent."""
    sent = []
    profiles = StaffProfile.objects.with_scopes_disabled().select_related(
        "organization", "user", "membership"
    )
    for profile in profiles:
        if not profile.membership.is_active:
            continue
        with organization_scope(profile.organization):
            credentials = current_credentials(
                list(Credential.objects.filter(profile=profile).select_related("type"))
            )
            for credential in credentials:
                _note_status(credential, on)
                reminder = _send_if_due(profile, credential, on)
                if reminder is not None:
                    sent.append(reminder)
    return sent


def _note_status(credential: Credential, on: date) -> None:
    status = rules.status_on(credential.type, credential.expires_on, on)
    last = (
        CredentialStatusChange.objects.filter(credential=credential).order_by("-created_at").first()
    )
    if last is None or last.status != status:
        CredentialStatusChange.objects.create(
            organization=credential.organization,
            credential=credential,
            status=status,
            on=on,
            reason="daily check",
        )


def _send_if_due(profile: StaffProfile, credential: Credential, on: date) -> ReminderSent | None:
    kind = reminder_due(credential, on)
    if kind is None:
        return None
    as_urgent = URGENCY[: URGENCY.index(kind) + 1]
    already = ReminderSent.objects.filter(
        credential=credential, expires_on=credential.expires_on, kind__in=as_urgent
    )
    if already.exists() or not profile.user.email:
        return None
    with transaction.atomic():
        reminder = ReminderSent.objects.create(
            organization=credential.organization,
            credential=credential,
            kind=kind,
            expires_on=credential.expires_on,
        )
        subject, body = _message(credential, kind)
        copies = _admin_emails(profile) if kind == Kind.LAPSED else []
        # Inside the transaction: a failed send leaves no record, so tomorrow's run retries.
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [profile.user.email, *copies],
        )
    return reminder
