"""Reading workforce records: a credential's status, progress toward one, the team's table,
and the question billing asks (``credential_active_on``). Everything here runs inside an
organization scope and works out its figures with ``workforce.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from alongside.care.selectors import signed_encounter_minutes
from alongside.core.models import Membership
from alongside.core.roles import Role
from alongside.workforce import rules
from alongside.workforce.access import members_visible_to
from alongside.workforce.models import (
    CertificationGoal,
    Credential,
    CredentialType,
    OtherWork,
    StaffProfile,
    Status,
    SupervisionSession,
    SupervisoryAgreement,
    Training,
)

MINUTES = Decimal(60)
CREDENTIALED_ROLES = (Role.PEER_SPECIALIST, Role.SUPERVISOR)


def _credentials_in_force(
    on: date, *, code: str | None, jurisdiction: str | None
) -> QuerySet[Credential]:
    credentials = Credential.objects.filter(issued_on__lte=on, expires_on__gte=on)
    if code:
        credentials = credentials.filter(type__code=code)
    if jurisdiction:
        credentials = credentials.filter(type__jurisdiction=jurisdiction)
    return credentials


def credential_active_on(
    user: Any, on: date, *, code: str | None = None, jurisdiction: str | None = None
) -> bool:
    """Was ``user`` certified on ``on`` (the date of service), in the organization in scope?

    Certified means holding a credential issued on or before that day and not yet expired
    (a credential in its grace period is expired: see ``rules.is_in_force``). ``code`` or
    ``jurisdiction`` narrow the question to one credential type or one state.
    """
    credentials = _credentials_in_force(on, code=code, jurisdiction=jurisdiction)
    return bool(credentials.filter(profile__user_id=getattr(user, "pk", user)).exists())


def credentialed_on(
    user_ids: Iterable[Any],
    on: date,
    *,
    code: str | None = None,
    jurisdiction: str | None = None,
) -> set[Any]:
    """Of ``user_ids``, those ``credential_active_on`` ``on``: the same question, one query."""
    credentials = _credentials_in_force(on, code=code, jurisdiction=jurisdiction)
    return set(
        credentials.filter(profile__user_id__in=list(user_ids)).values_list(
            "profile__user_id", flat=True
        )
    )


def profile_for(membership: Membership) -> StaffProfile | None:
    return StaffProfile.objects.filter(membership=membership).first()


@dataclass
class CredentialStatus:
    """A credential on one day: status, CE had and needed in the current cycle, what is missing."""

    credential: Credential
    on: date
    status: Status
    ce: rules.Tally
    cycle_start: date

    @property
    def met(self) -> bool:
        return self.ce.met

    @property
    def missing(self) -> list[str]:
        return self.ce.missing()

    @property
    def expires_on(self) -> date:
        return self.credential.expires_on

    @property
    def days_left(self) -> int:
        return (self.credential.expires_on - self.on).days

    @property
    def is_problem(self) -> bool:
        return self.status != Status.ACTIVE or not self.met

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "expires_on": self.expires_on,
            "ce": self.ce.as_dict(),
            "met": self.met,
            "missing": self.missing,
        }


def credential_status(
    credential: Credential, on: date, *, trainings: list[Training] | None = None
) -> CredentialStatus:
    """``credential``'s status on ``on`` (pass the holder's ``trainings`` to save a query)."""
    ctype = credential.type
    start = rules.cycle_start(ctype, credential.issued_on, credential.expires_on)
    if trainings is None:
        trainings = list(
            Training.objects.filter(profile_id=credential.profile_id, date__gte=start, date__lte=on)
        )
    counted = [(t.topic, t.hours) for t in trainings if start <= t.date <= on]
    return CredentialStatus(
        credential=credential,
        on=on,
        status=rules.status_on(ctype, credential.expires_on, on),
        ce=rules.tally(counted, total_need=ctype.ce_hours, by_topic=ctype.ce_by_topic),
        cycle_start=start,
    )


def approved_supervision(sessions: QuerySet[SupervisionSession]) -> QuerySet[SupervisionSession]:
    """The sessions held under an agreement between the two that was approved by that day."""
    agreement = SupervisoryAgreement.objects.filter(
        supervisor_id=OuterRef("supervisor_id"),
        supervisee_id=OuterRef("supervisee_id"),
        approved_on__isnull=False,
        approved_on__lte=OuterRef("date"),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
    return sessions.filter(Exists(agreement))


@dataclass
class Progress:
    """Someone working toward ``type``: each requirement as have/need, and what is left."""

    type: CredentialType
    on: date
    training: rules.Tally
    experience: tuple[Decimal, Decimal | None]
    supervised: tuple[Decimal, Decimal | None]
    exam_passed_on: date | None
    experience_from_encounters: Decimal = Decimal(0)
    unapproved_supervision: Decimal = Decimal(0)
    missing: list[str] = field(default_factory=list)

    @property
    def exam_needed(self) -> bool:
        return bool(self.type.exam)

    @property
    def met(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict[str, Any]:
        def pair(values: tuple[Decimal, Decimal | None]) -> dict[str, float | None]:
            have, need = values
            return {"have": float(have), "need": None if need is None else float(need)}

        return {
            "credential": self.type.code,
            "status": "met" if self.met else "in_progress",
            "training": self.training.as_dict(),
            "experience_hours": pair(self.experience),
            "supervised_hours": pair(self.supervised),
            "exam": {
                "need": self.type.exam or None,
                "passed": self.exam_passed_on is not None,
                "passed_on": self.exam_passed_on,
            },
            "met": self.met,
            "missing": self.missing,
        }


def _sum_hours(queryset: QuerySet[Any], name: str) -> Decimal:
    return Decimal(queryset.aggregate(total=Sum(name))["total"] or 0)


def progress(profile: StaffProfile | None, ctype: CredentialType, on: date) -> Progress:
    """How far ``profile`` is toward ``ctype`` on ``on`` (an empty record for no profile)."""
    if profile is None:
        trainings: list[tuple[str, Decimal]] = []
        encounter_hours = other = supervised = unapproved = Decimal(0)
        exam_passed_on = None
    else:
        trainings = [
            (t.topic, t.hours) for t in Training.objects.filter(profile=profile, date__lte=on)
        ]
        encounter_hours = Decimal(signed_encounter_minutes(profile.user_id, until=on)) / MINUTES
        other = _sum_hours(OtherWork.objects.filter(profile=profile, date__lte=on), "hours")
        sessions = SupervisionSession.objects.filter(supervisee=profile, date__lte=on)
        counted = _sum_hours(approved_supervision(sessions), "minutes")
        supervised = counted / MINUTES
        unapproved = (_sum_hours(sessions, "minutes") - counted) / MINUTES
        goal = CertificationGoal.objects.filter(profile=profile, type=ctype).first()
        exam_passed_on = goal.exam_passed_on if goal and goal.exam_passed_on else None
        if exam_passed_on and exam_passed_on > on:
            exam_passed_on = None
    training = rules.tally(
        trainings, total_need=ctype.training_hours, by_topic=ctype.training_by_topic
    )
    result = Progress(
        type=ctype,
        on=on,
        training=training,
        experience=(encounter_hours + other, ctype.experience_hours),
        supervised=(supervised, ctype.supervised_hours),
        exam_passed_on=exam_passed_on,
        experience_from_encounters=encounter_hours,
        unapproved_supervision=unapproved,
    )
    result.missing = _progress_missing(result)
    return result


def _progress_missing(p: Progress) -> list[str]:
    from django.utils.translation import gettext as _

    missing = [_("training: %(line)s") % {"line": line} for line in p.training.missing()]
    for label, (have, need) in (
        (_("experience"), p.experience),
        (_("supervised experience"), p.supervised),
    ):
        if need is not None and have < need:
            missing.append(
                _("%(what)s %(have)s of %(need)s hours")
                % {"what": label, "have": rules.hours_text(have), "need": rules.hours_text(need)}
            )
    if p.exam_needed and p.exam_passed_on is None:
        missing.append(_("exam: %(exam)s not passed yet") % {"exam": p.type.exam})
    return missing


@dataclass
class MemberRow:
    """One line of the team table: a member and the status of each credential they hold."""

    member: Membership
    profile: StaffProfile | None
    statuses: list[CredentialStatus]
    goals: list[CertificationGoal]

    @property
    def soonest(self) -> date:
        return min((s.expires_on for s in self.statuses), default=date.max)

    @property
    def has_problem(self) -> bool:
        return any(s.is_problem for s in self.statuses)


def current_credentials(credentials: list[Credential]) -> list[Credential]:
    """The newest credential of each type (a renewal is a new record; the old one stays)."""
    newest: dict[int, Credential] = {}
    for credential in credentials:
        kept = newest.get(credential.type_id)
        if kept is None or credential.expires_on > kept.expires_on:
            newest[credential.type_id] = credential
    return sorted(newest.values(), key=lambda c: c.expires_on)


def profiles_with_records(profiles: QuerySet[StaffProfile]) -> QuerySet[StaffProfile]:
    return profiles.prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.select_related("type")),
        "credentials__history",
        "trainings",
        Prefetch("goals", queryset=CertificationGoal.objects.select_related("type")),
    )


def member_row(member: Membership, profile: StaffProfile | None, on: date) -> MemberRow:
    if profile is None:
        return MemberRow(member=member, profile=None, statuses=[], goals=[])
    trainings = list(profile.trainings.all())
    statuses = [
        credential_status(c, on, trainings=trainings)
        for c in current_credentials(list(profile.credentials.all()))
    ]
    return MemberRow(
        member=member, profile=profile, statuses=statuses, goals=list(profile.goals.all())
    )


def team_table(membership: Membership, on: date) -> list[MemberRow]:
    """Everyone ``membership`` may see, soonest problem first.

    A lapsed credential expired longest ago comes first, then each by expiry date (the day its
    trouble starts or started); people with no credential recorded come last.
    """
    members = list(members_visible_to(membership).order_by("user__first_name", "user__username"))
    profiles = {
        p.membership_id: p
        for p in profiles_with_records(
            StaffProfile.objects.filter(membership__in=[m.pk for m in members])
        )
    }
    # Staff whose work needs a credential, and anyone with records here; not the billing
    # clerk or the directory editor who never had one.
    rows = [
        member_row(m, profiles.get(m.pk), on)
        for m in members
        if m.pk in profiles or m.has_role(*CREDENTIALED_ROLES)
    ]
    return sorted(rows, key=lambda r: (r.soonest, not r.has_problem))


def my_status(membership: Membership, on: date) -> MemberRow:
    profile = profiles_with_records(StaffProfile.objects.filter(membership=membership)).first()
    return member_row(membership, profile, on)


def supervision_report(supervisee: StaffProfile, start: date, end: date) -> dict[str, Any]:
    """Sessions between ``start`` and ``end``, and hours by format and by topic; each session
    says whether an approved agreement covered it (only those count toward certification)."""
    sessions = SupervisionSession.objects.filter(
        supervisee=supervisee, date__gte=start, date__lte=end
    ).select_related("supervisor__user")
    approved = set(approved_supervision(sessions).values_list("pk", flat=True))
    rows = []
    by_format: dict[str, Decimal] = {}
    by_topic: dict[str, Decimal] = {}
    total = counted = Decimal(0)
    for session in sorted(sessions, key=lambda s: s.date):
        hours = Decimal(session.minutes) / MINUTES
        total += hours
        under_agreement = session.pk in approved
        if under_agreement:
            counted += hours
        by_format[session.get_format_display()] = (
            by_format.get(session.get_format_display(), Decimal(0)) + hours
        )
        for topic in session.topics or []:
            by_topic[topic] = by_topic.get(topic, Decimal(0)) + hours
        rows.append({"session": session, "hours": hours, "approved": under_agreement})
    return {
        "sessions": rows,
        "by_format": sorted(by_format.items()),
        "by_topic": sorted(by_topic.items()),
        "total": total,
        "counted": counted,
        "agreements": list(
            SupervisoryAgreement.objects.filter(supervisee=supervisee).select_related(
                "supervisor__user"
            )
        ),
    }


def credential_types() -> QuerySet[CredentialType]:
    return CredentialType.objects.all()


def types_by_state() -> dict[str, list[CredentialType]]:
    states: dict[str, list[CredentialType]] = {}
    for ctype in CredentialType.objects.order_by("jurisdiction", "name"):
        states.setdefault(ctype.jurisdiction, []).append(ctype)
    return states


@dataclass
class TeamLine:
    member: Membership
    status: CredentialStatus | None
    goals: list[CertificationGoal]


def team_lines(membership: Membership, on: date) -> list[TeamLine]:
    """The team table's lines, one per credential held (or one saying none is), soonest
    problem first: the credential lapsed longest ago, then each by expiry date; a credential
    with CE still missing before one whose CE is done on the same date; nobody-holds-one last."""
    lines = [
        TeamLine(member=row.member, status=status, goals=row.goals)
        for row in team_table(membership, on)
        for status in (row.statuses or [None])  # type: ignore[list-item]
    ]
    return sorted(
        lines,
        key=lambda line: (
            line.status.expires_on if line.status else date.max,
            not (line.status and line.status.is_problem),
        ),
    )


# The order in which a person's best credential is chosen: in force first.
STATUS_RANK = (
    Status.ACTIVE,
    Status.EXPIRING,
    Status.GRACE,
    Status.LAPSED,
    Status.RETRAINING_REQUIRED,
)
NO_CREDENTIAL = "none"


def staff_by_credential_status(on: date) -> dict[str, int]:
    """How many credentialed staff (active members who are peer specialists or supervisors)
    stand in each status on ``on``, by their best credential issued by then; those with none
    under ``NO_CREDENTIAL`` (two queries)."""
    profiles = [
        p.pk
        for p in StaffProfile.objects.select_related("membership")
        if p.membership.is_active and p.membership.has_role(*CREDENTIALED_ROLES)
    ]
    best: dict[Any, int] = {}
    for credential in Credential.objects.filter(
        profile_id__in=profiles, issued_on__lte=on
    ).select_related("type"):
        rank = STATUS_RANK.index(rules.status_on(credential.type, credential.expires_on, on))
        best[credential.profile_id] = min(rank, best.get(credential.profile_id, rank))
    counts = {str(status): 0 for status in STATUS_RANK} | {NO_CREDENTIAL: 0}
    for pk in profiles:
        key = str(STATUS_RANK[best[pk]]) if pk in best else NO_CREDENTIAL
        counts[key] += 1
    return counts
