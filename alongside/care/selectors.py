"""Reading care records: the caseload dashboard, participant lists and the participant page.

Each selector starts from ``participants_visible_to`` so it is scoped to what the membership
may see, and runs a fixed number of queries however many participants there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from alongside.care.access import (
    CARE_ROLES,
    can_see_care,
    care_settings,
    participants_visible_to,
    sees_whole_team,
)
from alongside.care.models import (
    Appointment,
    BreakGlass,
    CalendarFeed,
    Consent,
    Coverage,
    EmploymentStatus,
    Encounter,
    Enrollment,
    Goal,
    HousingStatus,
    NoteAmendment,
    Participant,
    PlanVersion,
    SafetyConcern,
)
from alongside.care.models.participants import ParticipantQuerySet
from alongside.care.plan_selectors import PlansDue, plans_due
from alongside.care.plan_selectors import plan_current_on as plan_current_on
from alongside.core.models import Membership, Organization

DASHBOARD_LIMIT = 25
UPCOMING_DAYS = 7
REMINDER_WINDOW = timedelta(hours=24)
# ``plan_current_on`` (imported above) is for billing: the plan current on a date of service.


def _last_seen() -> Subquery:
    # The newest encounter's date, read from the end of the (participant, date) index: one
    # short seek a participant, where MAX with GROUP BY would read all their encounters.
    # An unanswered call or a talk with their family is work, but not seeing the person.
    return Subquery(
        Encounter.objects.filter(participant=OuterRef("pk"), contact=Encounter.Contact.PERSON)
        .order_by("-date")
        .values("date")[:1]
    )


# A consent that ends within this many days is flagged on the lists, in time to renew it.
CONSENT_EXPIRING_DAYS = 30


def with_flags(participants: ParticipantQuerySet, *, today: date) -> ParticipantQuerySet:
    """Annotate what should stand out on a list: ``flag_safety`` (a safety concern is open),
    ``flag_part2`` (a 42 CFR Part 2 record: received from a Part 2 program, or kept by one)
    and ``flag_consent_expiring`` (a consent in force ends within ``CONSENT_EXPIRING_DAYS``).

    Subqueries on the same query, so a list of any length still costs one query.
    """
    return participants.annotate(
        flag_safety=Exists(
            SafetyConcern.objects.filter(participant=OuterRef("pk"), resolved_at__isnull=True)
        ),
        flag_part2=Q(received_from_part2=True) | Q(organization__is_part2_program=True),
        flag_consent_expiring=Exists(
            Consent.objects.filter(
                participant=OuterRef("pk"),
                revoked_on__isnull=True,
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=CONSENT_EXPIRING_DAYS),
            )
        ),
    )


def participants_list(
    membership: Membership, *, which: str = "mine", search: str = "", today: date | None = None
) -> ParticipantQuerySet:
    """``mine`` (assigned to me), ``active`` (everyone enrolled) or ``unassigned``, flagged."""
    participants = participants_visible_to(membership).search(search)
    if which == "mine":
        participants = participants.filter(
            Exists(
                Participant.specialists.through.objects.filter(
                    participant_id=OuterRef("pk"), user_id=membership.user_id
                )
            )
        )
    elif which == "unassigned":
        participants = participants.enrolled().filter(
            ~Exists(Participant.specialists.through.objects.filter(participant_id=OuterRef("pk")))
        )
    else:
        participants = participants.enrolled()
    return (
        with_flags(participants, today=today or timezone.localdate())
        .annotate(last_seen=_last_seen())
        .prefetch_related("specialists")
        .order_by("preferred_name", "id")
    )


@dataclass
class Dashboard:
    team: bool
    not_seen_days: int
    today: date
    reminders: Sequence[Appointment]
    appointments_today: Sequence[Appointment]
    appointments_upcoming: Sequence[Appointment]
    not_seen: Sequence[Participant]
    goals_overdue: Sequence[Goal]
    unsigned: Sequence[Encounter]
    safety_open: Sequence[SafetyConcern]
    caseloads: list[dict[str, Any]]
    break_glass_to_review: Sequence[BreakGlass]
    consents_expiring: Sequence[Consent] = ()
    require_cosign: bool = False
    awaiting_cosign: Sequence[Encounter] = ()
    contacts: ContactCounts | None = None
    plans_due: PlansDue | None = None

    def participant_ids(self) -> list[Any]:
        """Everyone the dashboard names, for the audit trail."""
        ids = [p.pk for p in self.not_seen]
        if self.plans_due is not None:
            ids += [p.pk for p in (*self.plans_due.due, *self.plans_due.no_plan)]
        for rows in (
            self.reminders,
            self.appointments_today,
            self.appointments_upcoming,
            self.goals_overdue,
            self.unsigned,
            self.safety_open,
            self.break_glass_to_review,
            self.consents_expiring,
            self.awaiting_cosign,
        ):
            ids += [row.participant_id for row in rows]
        return ids


@dataclass
class ContactCounts:
    """Encounters of the last ``days`` (0: all of them) by whom they reached: attempts are
    work too."""

    days: int
    person: int = 0
    attempted: int = 0
    collateral: int = 0


CONTACT_DAYS = 30


def _contact_counts(encounters: Any, since: date | None) -> ContactCounts:
    counts = ContactCounts(days=CONTACT_DAYS if since else 0)
    if since is not None:
        encounters = encounters.filter(date__gte=since)
    rows = encounters.order_by().values("contact").annotate(n=Count("id"))
    for row in rows:
        if row["contact"] in Encounter.ATTEMPTED:
            counts.attempted += row["n"]
        elif row["contact"] in Encounter.COLLATERAL:
            counts.collateral += row["n"]
        else:
            counts.person += row["n"]
    return counts


def caseload_dashboard(membership: Membership, *, now: datetime | None = None) -> Dashboard:
    """What needs attention: the specialist's own caseload, or the whole team for supervisors."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    team = sees_whole_team(membership)
    settings_row = care_settings()
    visible = participants_visible_to(membership, at=now)
    user_id = membership.user_id
    scope = (
        visible
        if team
        else visible.filter(
            Exists(
                Participant.specialists.through.objects.filter(
                    participant_id=OuterRef("pk"), user_id=user_id
                )
            )
        )
    )
    scope_ids = scope.values("pk")

    start_today = datetime.combine(today, time.min, zone)
    start_tomorrow = start_today + timedelta(days=1)
    horizon = start_today + timedelta(days=UPCOMING_DAYS + 1)
    appointments = Appointment.objects.filter(
        participant__in=scope_ids,
        cancelled_at__isnull=True,
        starts_at__gte=start_today,
        starts_at__lt=horizon,
    )
    if not team:
        appointments = appointments.filter(specialist_id=user_id)
    appointments_list = list(
        appointments.select_related("participant", "specialist").order_by("starts_at")[:100]
    )

    cutoff = today - timedelta(days=settings_row.not_seen_days)
    open_enrollment = Enrollment.objects.filter(
        participant=OuterRef("pk"), discharged_on__isnull=True
    )
    not_seen = list(
        with_flags(scope.filter(Exists(open_enrollment)), today=today)
        .annotate(last_seen=_last_seen())
        .filter(Q(last_seen__lt=cutoff) | Q(last_seen__isnull=True))
        .order_by("last_seen", "preferred_name")[:DASHBOARD_LIMIT]
    )
    goals_overdue = list(
        Goal.objects.filter(
            participant__in=scope_ids, status=Goal.Status.ACTIVE, target_date__lt=today
        )
        .select_related("participant")
        .order_by("target_date")[:DASHBOARD_LIMIT]
    )
    unsigned = Encounter.objects.filter(
        participant__in=scope_ids, status=Encounter.Status.DRAFT
    ).select_related("participant", "specialist")
    if not team:
        unsigned = unsigned.filter(specialist_id=user_id)
    # The note text is not shown here; leave it encrypted.
    unsigned_list = list(
        # Notes a supervisor returned come first.
        unsigned.defer("worked_on", "response", "next_steps", "return_comment").order_by(
            F("returned_at").desc(nulls_last=True), "date"
        )[:DASHBOARD_LIMIT]
    )
    awaiting_cosign: list[Encounter] = []
    if team and settings_row.require_cosign:
        awaiting_cosign = list(
            Encounter.objects.filter(
                participant__in=scope_ids,
                status=Encounter.Status.SIGNED,
                cosigned_at__isnull=True,
            )
            .exclude(specialist_id=user_id)
            .select_related("participant", "specialist")
            .defer("worked_on", "response", "next_steps", "return_comment")
            .order_by("signed_at")[:DASHBOARD_LIMIT]
        )
    contact_scope = Encounter.objects.filter(participant__in=scope_ids)
    if not team:
        contact_scope = contact_scope.filter(specialist_id=user_id)
    contacts = _contact_counts(contact_scope, today - timedelta(days=CONTACT_DAYS))
    safety_open = list(
        SafetyConcern.objects.filter(participant__in=scope_ids, resolved_at__isnull=True)
        .select_related("participant", "raised_by")
        .defer("note")
        .order_by("-created_at")[:DASHBOARD_LIMIT]
    )
    consents_expiring = list(
        Consent.objects.filter(
            participant__in=scope_ids,
            revoked_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=CONSENT_EXPIRING_DAYS),
        )
        .select_related("participant")
        .order_by("expires_on")[:DASHBOARD_LIMIT]
    )
    caseloads: list[dict[str, Any]] = []
    to_review: list[BreakGlass] = []
    if team:
        # Each row carries an unsaved user built from the names read, for the person filter.
        User = get_user_model()
        caseloads = [
            {
                "user": User(
                    pk=row["user_id"],
                    username=row["user__username"],
                    first_name=row["user__first_name"],
                    last_name=row["user__last_name"],
                ),
                "size": row["size"],
            }
            for row in Participant.specialists.through.objects.filter(
                participant__in=Participant.objects.enrolled(),
            )
            .values("user_id", "user__username", "user__first_name", "user__last_name")
            .annotate(size=Count("participant_id"))
            .order_by("user__first_name", "user__last_name", "user__username")
        ]
        to_review = list(
            BreakGlass.objects.filter(reviewed_at__isnull=True)
            .select_related("user", "participant")
            .order_by("-opened_at")[:DASHBOARD_LIMIT]
        )
    return Dashboard(
        team=team,
        not_seen_days=settings_row.not_seen_days,
        today=today,
        # The user's own appointments in the next 24 hours, from the list already read.
        reminders=[
            a
            for a in appointments_list
            if a.specialist_id == user_id and now <= a.starts_at < now + REMINDER_WINDOW
        ],
        appointments_today=[a for a in appointments_list if a.starts_at < start_tomorrow],
        appointments_upcoming=[a for a in appointments_list if a.starts_at >= start_tomorrow],
        not_seen=not_seen,
        goals_overdue=goals_overdue,
        unsigned=unsigned_list,
        safety_open=safety_open,
        caseloads=caseloads,
        break_glass_to_review=to_review,
        consents_expiring=consents_expiring,
        require_cosign=settings_row.require_cosign,
        awaiting_cosign=awaiting_cosign,
        contacts=contacts,
        plans_due=plans_due(membership, today=today, limit=DASHBOARD_LIMIT),
    )


@dataclass
class ParticipantRecord:
    participant: Participant
    enrollment: Enrollment | None
    enrollments: Sequence[Enrollment]
    consents: list[Any]
    restrictions: list[Any]
    plan_versions: list[Any]
    goals: Sequence[Goal]
    encounters: Sequence[Encounter]
    referrals: list[Any]
    appointments: list[Appointment]
    safety_concerns: list[SafetyConcern]
    disclosures: list[Any]
    pathway_changes: list[Any]
    contacts: ContactCounts | None = None
    housing: Sequence[HousingStatus] = ()
    employment: Sequence[EmploymentStatus] = ()
    coverages: Sequence[Coverage] = ()

    @property
    def housing_now(self) -> HousingStatus | None:
        return _latest_by(self.housing, timezone.localdate())

    @property
    def employment_now(self) -> EmploymentStatus | None:
        return _latest_by(self.employment, timezone.localdate())


def participant_record(
    participant: Participant, *, encounters_limit: int = 20
) -> ParticipantRecord:
    """Everything the participant page shows."""
    enrollments = list(participant.enrollments.all())
    goals = list(participant.goals.prefetch_related("progress"))
    encounters = list(
        participant.encounters.select_related("specialist", "signed_by")
        .prefetch_related(
            "goals",
            Prefetch(
                "amendments",
                queryset=NoteAmendment.objects.select_related("written_by"),
                to_attr="amendment_list",
            ),
        )
        .order_by("-date", "-start_time")[:encounters_limit]
    )
    versions = list(
        PlanVersion.objects.filter(plan__participant=participant).select_related("created_by")
    )
    return ParticipantRecord(
        participant=participant,
        enrollment=next((e for e in enrollments if e.discharged_on is None), None),
        enrollments=enrollments,
        consents=list(participant.consents.all()),
        restrictions=list(participant.restrictions.all()),
        plan_versions=versions,
        goals=goals,
        encounters=encounters,
        referrals=list(participant.referrals.all()),
        appointments=list(
            participant.appointments.filter(
                starts_at__gte=timezone.now() - timedelta(days=1), cancelled_at__isnull=True
            ).select_related("specialist")
        ),
        safety_concerns=list(
            participant.safety_concerns.select_related("raised_by", "resolved_by")
        ),
        disclosures=list(participant.disclosures.select_related("user")),
        pathway_changes=list(participant.pathway_changes.select_related("changed_by")),
        contacts=_contact_counts(participant.encounters.all(), None),
        housing=list(participant.housing_statuses.order_by("-since", "-created_at")),
        employment=list(participant.employment_statuses.order_by("-since", "-created_at")),
        coverages=list(participant.coverages.order_by("-starts_on", "-created_at")),
    )


def _latest_by(rows: Sequence[Any], day: date) -> Any:
    """The first of ``rows`` (newest ``since`` first) that had started by ``day``."""
    return next((row for row in rows if row.since <= day), None)


def housing_on(participant: Participant, day: date) -> HousingStatus | None:
    """Where the person lived on ``day``: the latest housing noted from that day or before."""
    return (
        participant.housing_statuses.filter(since__lte=day)
        .order_by("-since", "-created_at")
        .first()
    )


def employment_on(participant: Participant, day: date) -> EmploymentStatus | None:
    """The person's work on ``day``: the latest status noted from that day or before."""
    return (
        participant.employment_statuses.filter(since__lte=day)
        .order_by("-since", "-created_at")
        .first()
    )


def coverage_on(participant: Participant, day: date) -> list[Coverage]:
    """The coverages in force on ``day`` (a person may have more than one), newest first."""
    return list(
        participant.coverages.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on", "-created_at")
    )


@dataclass
class CalendarDay:
    day: date
    appointments: list[Appointment]


@dataclass
class CalendarWeek:
    start: date
    days: list[CalendarDay]  # only the days with appointments

    @property
    def previous(self) -> date:
        return self.start - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.start + timedelta(days=7)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def calendar_week(membership: Membership, *, specialist_id: Any, start: date) -> CalendarWeek:
    """A specialist's appointments (cancelled ones too) in the week from ``start``, by day."""
    zone = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, zone)
    appointments = (
        Appointment.objects.filter(
            specialist_id=specialist_id,
            participant__in=participants_visible_to(membership).values("pk"),
            starts_at__gte=begin,
            starts_at__lt=begin + timedelta(days=7),
        )
        .select_related("participant", "transportation_arranged_by")
        .order_by("starts_at")
    )
    days: dict[date, list[Appointment]] = {}
    for appointment in appointments:
        days.setdefault(timezone.localtime(appointment.starts_at, zone).date(), []).append(
            appointment
        )
    return CalendarWeek(start=start, days=[CalendarDay(d, a) for d, a in days.items()])


FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=366)
FEED_LIMIT = 2000


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed with this token, if its owner still works with care records there; else None."""
    # A calendar app asks with the token alone, before any organization is known.
    feed = (
        CalendarFeed.objects.with_scopes_disabled()
        .filter(token_digest=CalendarFeed.digest(token))
        .select_related("organization", "user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    membership = Membership.objects.filter(
        organization=feed.organization, user=feed.user, is_active=True
    ).first()
    return feed if can_see_care(membership) else None


def calendar_feed_appointments(
    feed: CalendarFeed, *, now: datetime | None = None
) -> list[Appointment]:
    """The feed owner's appointments from a month ago to a year ahead, without participant data."""
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(
            specialist_id=feed.user_id,
            starts_at__gte=now - FEED_PAST,
            starts_at__lt=now + FEED_FUTURE,
        )
        .only("id", "starts_at", "ends_at", "place", "cancelled_at", "updated_at")
        .order_by("starts_at")[:FEED_LIMIT]
    )


def participants_outside_caseload(membership: Membership, query: str) -> list[Participant]:
    """People of the organization matching ``query`` whom ``membership`` cannot open yet."""
    if len(query) < 2:
        return []
    return list(
        Participant.objects.search(query)
        .exclude(pk__in=participants_visible_to(membership).values("pk"))
        .only("id", "preferred_name")[:20]
    )


def caseload_keepers(organization: Organization) -> QuerySet[Any]:
    """Members with a care role, deactivated ones too: theirs are the caseloads to move."""
    members = Membership.objects.filter(organization=organization)
    user_ids = [m.user_id for m in members if m.has_role(*CARE_ROLES)]
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .order_by("last_name", "first_name", "username")
    )


def signed_encounter_minutes(specialist_id: Any, *, until: date) -> int:
    """Minutes of a specialist's own signed encounters up to ``until``: the experience the care
    records already hold, which the workforce module counts toward certification."""
    total = Encounter.objects.filter(
        specialist_id=specialist_id, status=Encounter.Status.SIGNED, date__lte=until
    ).aggregate(minutes=Sum("duration_minutes"))["minutes"]
    return int(total or 0)
