from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core.models import AuditEvent, Membership, Organization


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
    events = AuditEvent.objects.filter(organization=organization)
    if filters.get("user"):
        events = events.filter(actor_username__iexact=filters["user"])
    if filters.get("participant"):
        events = events.filter(participant_id=filters["participant"])
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
