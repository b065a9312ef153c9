from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core.audit_words import event_phrase, participant_names
from alongside.core.models import AuditEvent, Membership, Organization
from alongside.core.people import display_name


def team_for_org(organization: Organization) -> QuerySet[Membership]:
    """The organization's members by name, active first, each marked whether two-factor is set."""
    # Memberships are read per organization here and in ``core.tenancy``, the two places
    # that know a membership has no scoped manager (it is how a scope is chosen).
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .annotate(
            has_two_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
            )
        )
        .order_by("-is_active", "user__last_name", "user__first_name", "user__username")
    )


def audit_events_for_org(
    organization: Organization, filters: dict[str, Any]
) -> QuerySet[AuditEvent]:
    """The organization's audit events, filtered and sorted as the report form asks."""
    # The trail is one hash chain across organizations (sign-ins have none), so it has no
    # scoped manager: this selector is where an organization's part of it is read.
    events = AuditEvent.objects.filter(organization=organization).select_related("actor")
    if filters.get("user"):
        events = events.filter(_staff_named(filters["user"]))
    if filters.get("participant"):
        ids = filters["participant"]
        events = events.filter(participant_id__in=[ids] if isinstance(ids, str) else ids)
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(
            occurred_at__gte=datetime.combine(filters["date_from"], time.min, zone)
        )
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone)
        events = events.filter(occurred_at__lt=end)
    sort = filters.get("sort") or "-occurred_at"
    return events.order_by(sort, "-id")


def _staff_named(text: str) -> Q:
    """Events by the staff member with this username, or whose names start with these words."""
    people = get_user_model().objects.all()
    for word in text.split():
        people = people.filter(
            Q(first_name__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(username__iexact=word)
        )
    return Q(actor_username__iexact=text.strip()) | Q(actor_id__in=people.values("pk"))


@dataclass(frozen=True)
class AuditRow:
    """One event as the report shows it: who, what in words, and about whom by name."""

    event: AuditEvent
    who: str
    what: str
    participant: str


def audit_rows(organization: Organization, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The events in words, naming their participants with one look-up for the lot."""
    events = list(events)
    names = participant_names(organization, [e.participant_id for e in events])
    return [
        AuditRow(
            event=e,
            who=display_name(e.actor) or e.actor_username,
            what=event_phrase(e),
            participant=names.get(e.participant_id, e.participant_id),
        )
        for e in events
    ]
