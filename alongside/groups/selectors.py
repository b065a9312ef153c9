"""Reading groups for the staff pages, in a fixed number of queries however many there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

from alongside.care.models import Participant
from alongside.groups.models import Attendance, Group, Registration, Session
from alongside.groups.schedule import Occurrence, occurrences

# How far ahead a group's next meeting is looked for on the list.
LOOK_AHEAD = timedelta(days=56)


@dataclass(frozen=True)
class GroupRow:
    group: Group
    next: Occurrence | None


def groups_with_next(now: datetime, today: date) -> list[GroupRow]:
    """The organization's groups, each with its next meeting not cancelled (three queries)."""
    groups = Group.objects.prefetch_related(
        "meeting_times",
        Prefetch(
            "sessions",
            queryset=Session.objects.filter(date__gte=today - timedelta(days=1)),
            to_attr="recent_sessions",
        ),
    )
    rows = []
    for group in groups:
        found = occurrences(
            group,
            today - timedelta(days=1),
            today + LOOK_AHEAD,
            rules=group.meeting_times.all(),
            sessions=group.recent_sessions,  # type: ignore[attr-defined]
        )
        upcoming = (o for o in found if not o.cancelled and o.ends_at > now)
        rows.append(GroupRow(group, next(upcoming, None)))
    return rows


def registrations_of(group: Group) -> QuerySet[Registration]:
    return group.registrations.filter(withdrawn_at__isnull=True).select_related("participant")


def attendance_sheet(session: Session) -> dict[Any, Attendance]:
    """The attendance recorded for a session, by participant id, with each group encounter."""
    return {
        a.participant_id: a
        for a in session.attendance.select_related("participant", "encounter").order_by(
            "participant__preferred_name"
        )
    }


def roster_people(session: Session, sheet: dict[Any, Attendance]) -> list[Participant]:
    """Registered participants and anyone attendance names, by preferred name (one query)."""
    registered = list(
        Participant.objects.filter(
            pk__in=session.group.registrations.filter(
                participant__isnull=False, withdrawn_at__isnull=True
            ).values("participant")
        )
    )
    people = {p.pk: p for p in registered}
    for attendance in sheet.values():
        people.setdefault(attendance.participant_id, attendance.participant)
    return sorted(people.values(), key=lambda p: (p.preferred_name.casefold(), str(p.pk)))


@dataclass(frozen=True)
class SessionTotals:
    sessions: int
    walk_ins: int
    present: list[Any]  # the participant of each "present" mark: one per attendance


def session_totals(start: date, end: date) -> SessionTotals:
    """Sessions held in ``start``..``end`` (attendance taken, not cancelled), their walk-ins,
    and who was marked present (two queries). For reports: counts, never names."""
    held = Session.objects.filter(
        date__gte=start, date__lte=end, cancelled=False, attendance_taken_at__isnull=False
    ).order_by()
    totals = held.aggregate(sessions=Count("pk"), walk_ins=Sum("walk_ins"))
    present = Attendance.objects.filter(
        session__in=held, status=Attendance.Status.PRESENT
    ).values_list("participant_id", flat=True)
    return SessionTotals(totals["sessions"] or 0, totals["walk_ins"] or 0, list(present))
