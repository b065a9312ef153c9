"""Appointments, and each specialist's private calendar feed."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import Appointment, CalendarFeed, Participant
from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.records import record_create, record_update

APPOINTMENT_FIELDS = (
    "specialist",
    "starts_at",
    "ends_at",
    "place",
    "transportation",
    "transportation_arranged_by",
    "transportation_note",
)


def appointment_create(
    *,
    participant: Participant,
    actor: Any,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    specialist: Any = None,
    transportation: str = Appointment.Transportation.NONE,
    transportation_arranged_by: Any = None,
    transportation_note: str = "",
) -> Appointment:
    """Book an appointment, noting any help needed to get there."""
    appointment = Appointment(
        organization=participant.organization,
        participant=participant,
        specialist=specialist or actor,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        transportation=transportation,
        transportation_arranged_by=transportation_arranged_by,
        transportation_note=transportation_note,
    )
    return record_create(
        appointment,
        actor=actor,
        fields=["starts_at", "ends_at", "place", "specialist", "transportation"],
    )


@transaction.atomic
def appointment_update(
    *, appointment: Appointment, actor: Any, data: dict[str, Any]
) -> Appointment:
    """Move an appointment, change its place or specialist, or note the transportation."""
    if appointment.cancelled_at is not None:
        raise ValidationError(_("This appointment was cancelled; book a new one."))
    record_update(appointment, actor=actor, fields=APPOINTMENT_FIELDS, data=data)
    return appointment


def appointment_cancel(
    *, appointment: Appointment, actor: Any, at: datetime | None = None
) -> Appointment:
    """Cancel an appointment; it stays on file, and calendar feeds mark it cancelled."""
    if appointment.cancelled_at is None:
        record_update(
            appointment,
            actor=actor,
            fields=["cancelled_at"],
            data={"cancelled_at": at or timezone.now()},
        )
    return appointment


@transaction.atomic
def calendar_feed_reset(*, organization: Organization, user: Any) -> str:
    """Give ``user`` a new calendar feed token (the old one stops working); return the token.

    The token is shown once: only its SHA-256 digest is stored.
    """
    token = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.update_or_create(
        organization=organization,
        user=user,
        defaults={"token_digest": CalendarFeed.digest(token), "last_used_at": None},
    )
    audit_record(
        action=Action.UPDATE,
        actor=user,
        organization=organization,
        obj=feed,
        changed_fields=["token_digest"],
    )
    return token


@transaction.atomic
def calendar_feed_delete(*, user: Any) -> None:
    """Turn off ``user``'s calendar feed in the organization in scope."""
    for feed in CalendarFeed.objects.filter(user=user):
        audit_record(action=Action.DELETE, actor=user, organization=feed.organization, obj=feed)
        feed.delete()


def calendar_feed_used(*, feed: CalendarFeed, at: datetime) -> None:
    """Note when a calendar app last fetched the feed (shown on the calendar page)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=at)
