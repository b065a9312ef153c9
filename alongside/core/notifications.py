"""Notifications: telling one person something, in Alongside and by e-mail if they chose so.

Rules:
- Apps register the kinds they send (``register_kind``, from ``AppConfig.ready``): a code, a
  label, whether e-mail is on by default, and the e-mail's words.
- ``notify`` writes one row per person, inside the caller's transaction, and sends the e-mails
  once it has committed. Each row records what happened to its e-mail (off, no address, sent
  at a time, failed), so a caller can say truthfully who was told and how.
- Only active members of the organization are told; the person who caused it is not told of
  their own act (callers leave them out).
- Titles, links and e-mails carry no participant's name or data. A link is a path with opaque
  ids; the e-mail says what kind of thing happened and links to the notification, which opens
  the record only for someone signed in who may see it.
- A ``key`` names what a notification is about (a record's id): one person is told of one
  key of one kind once, so a daily job can run again without repeating itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_scopes import get_scope
from django_scopes.exceptions import ScopeError

from alongside.core.audit import Action, audit_record
from alongside.core.models import Membership, Notification, NotificationPreference, Organization
from alongside.core.records import record_create, record_update
from alongside.core.tenancy import organization_scope

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

logger = logging.getLogger(__name__)

Email = Notification.Email


@dataclass(frozen=True)
class Kind:
    """One kind of notification an app sends."""

    code: str
    label: str | _StrPromise
    email_default: bool
    # The whole e-mail, in words that name no one: "A safety concern was raised for someone
    # on your caseload."
    email_text: str | _StrPromise
    # Who may receive it, as role codes; the settings page offers it only to them.
    roles: tuple[str, ...] = ()


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    """Add a kind of notification (called when an app starts)."""
    _kinds[kind.code] = kind


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise ValueError(f"Unknown notification kind {code!r}: register it first.") from None


def kinds_for(membership: Membership) -> list[Kind]:
    """The kinds a member may receive, for their settings page."""
    return [k for k in _kinds.values() if not k.roles or membership.has_role(*k.roles)]


def kind_label(code: str) -> str:
    registered = _kinds.get(code)
    return str(registered.label) if registered else code


def members_with_role(organization: Organization, *roles: str) -> list[Membership]:
    """The organization's active members holding any of ``roles``, with their accounts."""
    # Roles are a JSON list, which SQLite cannot search inside: the team is small, so read it.
    members = Membership.objects.filter(organization=organization, is_active=True)
    return [m for m in members.select_related("user") if m.has_role(*roles)]


# --- Sending --------------------------------------------------------------------------------


def email_wanted(users: Iterable[Any], code: str) -> dict[int, bool]:
    """Whether each person wants e-mail for this kind: their choice, else the kind's default."""
    ids = [u.pk for u in users]
    chosen = dict(
        NotificationPreference.objects.filter(kind=code, user_id__in=ids).values_list(
            "user_id", "email"
        )
    )
    default = kind(code).email_default
    return {pk: chosen.get(pk, default) for pk in ids}


def email_choices(user: Any) -> dict[str, bool]:
    """A person's e-mail choice for every kind, in the organization in scope (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "email")
    )
    return {code: chosen.get(code, k.email_default) for code, k in _kinds.items()}


def _active_members(users: Iterable[Any], organization: Organization) -> list[Any]:
    users = {u.pk: u for u in users if u is not None}
    active = set(
        Membership.objects.filter(
            organization=organization, is_active=True, user_id__in=list(users)
        ).values_list("user_id", flat=True)
    )
    return [u for pk, u in users.items() if pk in active]


def _check_link(link: str) -> None:
    # Opened by a redirect: only a path on this site, never another host.
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        raise ValueError("A notification links to a path on this site, such as /staff/care/.")


@transaction.atomic
def notify(
    recipients: Iterable[Any],
    kind_code: str,
    title: str,
    link: str,
    *,
    organization: Organization,
    actor: Any = None,
    key: str = "",
) -> list[Notification]:
    """Tell each recipient: a row in their list, and an e-mail after commit if they want one.

    Recipients who are not active members of ``organization`` are left out, and so are those
    already told of ``key`` for this kind. Returns the rows written; each one's ``email`` says
    what happened to its e-mail once the transaction has committed.
    """
    registered = kind(kind_code)
    _check_link(link)
    active = get_scope()
    if active.get("_enabled", True) and active.get("organization") not in (None, organization):
        raise ScopeError("A notification for one organization, sent in another's scope.")
    # Its own scope, also for a command that runs across organizations (the demo's loader).
    with organization_scope(organization):
        return _notify(registered, recipients, title, link, organization, actor, key)


def _notify(
    registered: Kind,
    recipients: Iterable[Any],
    title: str,
    link: str,
    organization: Organization,
    actor: Any,
    key: str,
) -> list[Notification]:
    kind_code = registered.code
    people = _active_members(recipients, organization)
    if key:
        told = set(
            Notification.objects.filter(kind=kind_code, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        people = [u for u in people if u.pk not in told]
    wanted = email_wanted(people, registered.code)
    rows = []
    for user in sorted(people, key=lambda u: u.pk):
        if not wanted[user.pk]:
            email = Email.OFF
        elif not user.email:
            email = Email.NO_ADDRESS
        else:
            email = Email.PENDING
        row = Notification(
            organization=organization,
            recipient=user,
            kind=registered.code,
            key=key,
            title=title[:200],
            link=link,
            email=email,
        )
        rows.append(
            record_create(row, actor=actor, fields=["recipient", "kind", "key", "title", "link"])
        )
    to_send = [row for row in rows if row.email == Email.PENDING]
    if to_send:
        transaction.on_commit(lambda: _send_emails(to_send))
    return rows


def _send_emails(rows: Sequence[Notification]) -> None:
    """Send the e-mails of rows just committed, and record on each whether it went."""
    connection = get_connection()
    site = settings.ALONGSIDE_SITE_NAME
    for row in rows:
        registered = kind(row.kind)
        message = EmailMessage(
            subject=f"{site}: {registered.label}",
            body=_email_body(row, registered),
            to=[row.recipient.email],
            connection=connection,
        )
        try:
            message.send()
        except Exception as exc:
            # The id and the error's kind only: an SMTP error's text can hold the address.
            logger.warning(
                "Notification e-mail failed: %s",
                type(exc).__name__,
                extra={"notification": str(row.pk)},
            )
            row.email, row.emailed_at = Email.FAILED, None
        else:
            row.email, row.emailed_at = Email.SENT, timezone.now()
        # By id, and outside any scope: this runs after the transaction (and, in a test, the
        # scope) that queued it has closed.
        Notification.objects.with_scopes_disabled().filter(pk=row.pk).update(
            email=row.email, emailed_at=row.emailed_at
        )


def _email_body(row: Notification, registered: Kind) -> str:
    path = reverse("core:notification_open", args=[row.pk])
    base = (getattr(settings, "ALONGSIDE_SITE_URL", "") or "").rstrip("/")
    lines = [str(registered.email_text), _("Sign in to see it.")]
    if base:
        lines.append(base + path)
    lines += [
        "",
        _(
            "E-mail is on for this kind of notification. To turn it off, sign in and go to "
            "Notifications, then E-mail settings."
        ),
    ]
    return "\n".join(lines) + "\n"


# --- What happened, in words -----------------------------------------------------------------


def time_words(at: datetime) -> str:
    """A time of day in the site's time zone, as people say it: "3:42 PM"."""
    return dateformat.format(timezone.localtime(at), "g:i A")


def how_told(row: Notification, who: str) -> str:
    """One sentence on how ``who`` (a name and role, "Sam Rivera, your supervisor,") was told."""
    at = time_words(row.created_at)
    if row.email == Email.SENT and row.emailed_at is not None:
        return _("%(who)s was notified by e-mail at %(time)s.") % {
            "who": who,
            "time": time_words(row.emailed_at),
        }
    if row.email == Email.OFF:
        return _("%(who)s was notified in Alongside at %(time)s (e-mail is off for them).") % {
            "who": who,
            "time": at,
        }
    if row.email == Email.NO_ADDRESS:
        return _(
            "%(who)s was notified in Alongside at %(time)s (they have no e-mail address on file)."
        ) % {"who": who, "time": at}
    if row.email == Email.FAILED:
        return _(
            "%(who)s was notified in Alongside at %(time)s, but the e-mail to them could not "
            "be sent."
        ) % {"who": who, "time": at}
    return _(
        "%(who)s was notified in Alongside at %(time)s, and an e-mail to them is on its way."
    ) % {"who": who, "time": at}


# --- Reading ---------------------------------------------------------------------------------


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's notifications in the organization in scope, newest first."""
    rows = Notification.objects.filter(recipient_id=user.pk).order_by("-created_at")
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user: Any) -> int:
    """How many of a person's notifications are unread: one query, for every staff page."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notifications_about(kind_code: str, key: str) -> list[Notification]:
    """Who was told of one thing, and how (the rows ``notify`` wrote for ``key``)."""
    return list(
        Notification.objects.filter(kind=kind_code, key=key)
        .select_related("recipient")
        .order_by("created_at", "recipient_id")
    )


# --- Changing --------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, actor: Any) -> Notification:
    """Mark one of one's own notifications read (reading it again changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This notification is someone else's."))
    if notification.read_at is None:
        record_update(
            notification, actor=actor, fields=["read_at"], data={"read_at": timezone.now()}
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any, organization: Organization) -> int:
    """Mark all of one's unread notifications read; returns how many there were."""
    count = notifications_for(actor, unread_only=True).update(read_at=timezone.now())
    if count:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            organization=organization,
            object_type="core.notification",
            object_id="all",
            changed_fields=["read_at"],
        )
    return count


@transaction.atomic
def notifications_settle(
    *, kind_code: str, key: str, actor: Any, organization: Organization
) -> int:
    """Mark everyone's unread notifications of one thing read: it has been dealt with."""
    count = Notification.objects.filter(kind=kind_code, key=key, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            organization=organization,
            object_type="core.notification",
            object_id=key[:64],
            changed_fields=["read_at"],
        )
    return count


@transaction.atomic
def notification_preferences_set(
    *, user: Any, organization: Organization, email: Mapping[str, bool], actor: Any
) -> list[str]:
    """Save a person's e-mail choice for each kind given; returns the kinds that changed."""
    existing = {
        p.kind: p for p in NotificationPreference.objects.filter(user_id=user.pk, kind__in=email)
    }
    changed = []
    for code, wanted in email.items():
        kind(code)
        row = existing.get(code)
        if row is None:
            if wanted == kind(code).email_default:
                continue
            row = NotificationPreference(organization=organization, user=user, kind=code)
            row.email = bool(wanted)
            record_create(row, actor=actor, fields=["kind", "email"])
            changed.append(code)
        elif record_update(row, actor=actor, fields=["email"], data={"email": bool(wanted)}):
            changed.append(code)
    return changed
