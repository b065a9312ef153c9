"""Reads of the warm line: its hours (the directory's answer), the queue, a returning person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.directory.selectors import service_detail
from alongside.warmline.models import Contact, ContactEvent, ContactRecord, Line, Message

Status = Contact.Status


@dataclass
class LineHours:
    """What the public page says of a line: open now (the directory's answer) and its week."""

    line: Line
    is_open: bool
    week: list[Any] = field(default_factory=list)
    next_open: datetime | None = None
    phones: list[Any] = field(default_factory=list)
    text_phones: list[Any] = field(default_factory=list)
    listing: Any = None


def public_line() -> Line | None:
    """The deployment's warm line for ``/warmline/``: the first active one."""
    # A public page has no organization scope; the line is public by design.
    lines = Line.objects.with_scopes_disabled().filter(is_active=True)
    return lines.select_related("organization").order_by("created_at").first()


def line_for_number(number: str) -> Line | None:
    """The active line whose text number is ``number`` (an SMS provider's "To")."""
    lines = Line.objects.with_scopes_disabled().filter(is_active=True, sms_number=number)
    return lines.select_related("organization").first()


def line_hours(line: Line, at: datetime | None = None) -> LineHours:
    """The line's hours and whether it is open now, as its directory listing says."""
    at = at or timezone.now()
    detail = service_detail(line.listing_id, at) if line.listing_id else None
    if detail is None or detail.hidden_reason == "inactive":
        return LineHours(line=line, is_open=False)
    phones = list(detail.service.phones.all())
    return LineHours(
        line=line,
        is_open=detail.state.open_now is True,
        week=detail.week,
        next_open=detail.state.next_open,
        phones=[p for p in phones if p.type != p.PhoneType.TEXT],
        text_phones=[p for p in phones if p.can_text],
        listing=detail.service,
    )


def line_is_open(line: Line, at: datetime | None = None) -> bool:
    return line_hours(line, at).is_open


def queue(line_ids: Any = None) -> QuerySet[Contact]:
    """Waiting contacts, chat and text together, oldest first (in the active scope)."""
    waiting = Contact.objects.filter(status=Status.QUEUED)
    if line_ids is not None:
        waiting = waiting.filter(line_id__in=line_ids)
    return waiting.order_by("queued_at", "id")


def queue_position(contact: Contact) -> int:
    """1 for the next person to be answered."""
    ahead = Contact.objects.filter(
        status=Status.QUEUED, line_id=contact.line_id, queued_at__lt=contact.queued_at
    ).count()
    return ahead + 1


def active_contacts(responder: Any = None) -> QuerySet[Contact]:
    talking = Contact.objects.filter(status=Status.ACTIVE).select_related("responder")
    if responder is not None:
        talking = talking.filter(responder=responder)
    return talking.order_by("taken_at")


def messages_after(contact: Contact, seq: int) -> list[Message]:
    return list(Message.objects.filter(contact=contact, seq__gt=seq).order_by("seq"))


def returning_history(contact: Contact) -> list[ContactRecord]:
    """The records of this person's earlier contacts, when they chose to be recognized."""
    if not contact.return_key:
        return []
    return list(
        ContactRecord.objects.filter(contact__return_key=contact.return_key)
        .exclude(contact=contact)
        .select_related("contact")
        .prefetch_related("topics")
        .order_by("-contact__queued_at")
    )


def earlier_contact_count(contact: Contact) -> int:
    if not contact.return_key:
        return 0
    return (
        Contact.objects.filter(return_key=contact.return_key, queued_at__lt=contact.queued_at)
        .exclude(pk=contact.pk)
        .count()
    )


@dataclass
class Overview:
    waiting: list[Contact]
    talking: list[Contact]
    per_hour: list[tuple[int, int]]
    longest_wait_seconds: int
    average_wait_seconds: int | None


def supervisor_overview(now: datetime, zone_name: str) -> Overview:
    """The live queue, who is talking, and contacts per hour today, in a few queries."""
    waiting = list(queue().select_related("line"))
    talking = list(active_contacts().select_related("line"))
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), datetime.min.time(), zone)
    today = list(
        Contact.objects.filter(
            queued_at__gte=start, queued_at__lt=start + timedelta(days=1)
        ).values_list("queued_at", "taken_at")
    )
    hours = Counter(q.astimezone(zone).hour for q, _t in today)
    waits = [(t - q).total_seconds() for q, t in today if t is not None]
    return Overview(
        waiting=waiting,
        talking=talking,
        per_hour=[(h, hours.get(h, 0)) for h in range(local.hour + 1)],
        longest_wait_seconds=max(
            (int((now - c.queued_at).total_seconds()) for c in waiting), default=0
        ),
        average_wait_seconds=int(sum(waits) / len(waits)) if waits else None,
    )


# --- For reports: counts only, never who ------------------------------------------------------

# The channels reports split by, so that reports need not import the warm line's models.
CHANNELS = tuple(Contact.Channel.choices)


def _began_in(start: date, end: date) -> QuerySet[Contact]:
    """Contacts that began (joined the queue) on a day ``start``..``end`` in local time."""
    zone = timezone.get_default_timezone()
    since = datetime.combine(start, time.min, zone)
    until = datetime.combine(end + timedelta(days=1), time.min, zone)
    return Contact.objects.filter(queued_at__gte=since, queued_at__lt=until).order_by()


@dataclass(frozen=True)
class ContactTimes:
    """When one contact began (in local time) and how long it waited, if it was answered."""

    channel: str
    hour: int
    wait_seconds: int | None


def contact_times(start: date, end: date) -> list[ContactTimes]:
    """Every contact that began in the period: its channel, the local hour it began and its
    wait in whole seconds (``None``: nobody answered it). One query, in a fixed order."""
    zone = timezone.get_default_timezone()
    rows = _began_in(start, end).order_by("queued_at", "id")
    return [
        ContactTimes(
            channel,
            queued.astimezone(zone).hour,
            None if taken is None else int((taken - queued).total_seconds()),
        )
        for channel, queued, taken in rows.values_list("channel", "queued_at", "taken_at")
    ]


def crisis_transfers_by_channel(start: date, end: date) -> dict[str, int]:
    """Contacts that began in the period and were connected to 988 or a crisis line: the
    responder pressed "Connect to 988" or recorded that ending. Each contact once. One query."""
    transferred = Q(events__kind=ContactEvent.Kind.CRISIS_TRANSFER) | Q(
        record__ending=ContactRecord.Ending.CRISIS_TRANSFER
    )
    ids = _began_in(start, end).filter(transferred).values("pk")
    rows = Contact.objects.filter(pk__in=ids).order_by().values_list("channel", flat=True)
    return dict(Counter(rows))
