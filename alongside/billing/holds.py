"""Why a line is held: every reason that applies, in plain words, for one payer.

What is checked depends on the payer's ``requires`` (signed note, active credential, current
plan, diagnosis on file, consent for payment); coverage on the date, the person's request not
to bill insurance, timely filing and billing twice are always checked. The facts of a run are
read once for all its encounters (``Facts.load``), so a month of notes is a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from alongside.billing.models import Claim, Line, Payer, Requirement
from alongside.care.consent import is_part2
from alongside.care.models import (
    Consent,
    Coverage,
    Encounter,
    Participant,
    PlanVersion,
    Purpose,
    Restriction,
)
from alongside.care.models.consent import InformationCategory
from alongside.care.plan_selectors import plan_current_on
from alongside.workforce.selectors import credential_active_on, credentialed_on


class Hold:
    """The reasons, as words a billing clerk reads (and the API returns)."""

    @staticmethod
    def not_signed() -> str:
        return _("note not signed")

    @staticmethod
    def no_credential() -> str:
        return _("credential not active on the date of service")

    @staticmethod
    def no_plan() -> str:
        return _("no plan current on the date of service")

    @staticmethod
    def no_diagnosis() -> str:
        return _("no diagnosis on file")

    @staticmethod
    def no_coverage() -> str:
        return _("no coverage on that date")

    @staticmethod
    def no_consent() -> str:
        return _("42 CFR Part 2 record with no consent covering payment to this payer")

    @staticmethod
    def restricted() -> str:
        return _("the participant asked not to bill insurance")

    @staticmethod
    def timely_filing() -> str:
        return _("past timely filing")

    @staticmethod
    def already_billed() -> str:
        return _("already billed")

    @staticmethod
    def daily_cap() -> str:
        return _("daily cap")

    @staticmethod
    def attempt() -> str:
        return _("no service with the person (an attempt to reach them)")

    @staticmethod
    def under_a_unit() -> str:
        return _("too few minutes for one unit")

    @staticmethod
    def no_rate() -> str:
        return _("no rate on file for this service")


# Claims whose lines count as billed: sent, or answered by the payer. A void or a replaced
# claim no longer holds its lines (a replacement carries them itself).
BILLED_STATUSES = (
    Claim.Status.SUBMITTED,
    Claim.Status.PAID,
    Claim.Status.PARTIAL,
    Claim.Status.DENIED,
)


# Ids per ``IN (...)`` list: SQLite refuses a statement with more than 32,766 parameters, and a
# month's run has far more encounters than that.
IN_CHUNK = 5000


def in_chunks(values: Iterable[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size``, for queries that filter on ``__in``."""
    listed = list(values)
    for start in range(0, len(listed), size):
        yield listed[start : start + size]


def billed_encounter_ids(encounter_ids: Any) -> set[Any]:
    """The encounters, of those given, on a claim that went out and was not voided."""
    billed: set[Any] = set()
    for chunk in in_chunks(encounter_ids):
        billed.update(
            Line.objects.filter(
                encounter_id__in=chunk, claim__status__in=BILLED_STATUSES
            ).values_list("encounter_id", flat=True)
        )
    return billed


def billed_in_range(encounters: list[Encounter]) -> set[Any]:
    """``billed_encounter_ids`` for a run's many encounters: one read of the billed lines of
    the run's dates (a join, not a list of ids), kept for the run's encounters."""
    ids = {e.pk for e in encounters}
    on = [e.date for e in encounters]
    billed = Line.objects.filter(
        encounter__date__gte=min(on),
        encounter__date__lte=max(on),
        claim__status__in=BILLED_STATUSES,
    ).values_list("encounter_id", flat=True)
    return {encounter_id for encounter_id in billed if encounter_id in ids}


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


# What a claim tells the payer about the person: who they are, their coverage, when we met.
CLAIM_CATEGORIES = frozenset(
    {
        InformationCategory.DEMOGRAPHICS,
        InformationCategory.COVERAGE,
        InformationCategory.ENCOUNTER_DATES,
    }
)


def consent_covers_payment(consents: list[Consent], payer: Payer, on: date) -> bool:
    """A consent names the payer (or is a general designation) for payment, covers what a
    claim carries (an older "as described" consent is taken as written), in force on ``on``."""
    for consent in consents:
        named = _normal(payer.name) in {_normal(r) for r in consent.recipient_list}
        if not (named or consent.general_designation):
            continue
        if Purpose.PAYMENT not in consent.purposes:
            continue
        if (
            not consent.as_described
            and not set(consent.information_categories or []) >= CLAIM_CATEGORIES
        ):
            continue
        if consent.signed_on and consent.signed_on > on:
            continue
        if consent.revoked_on and consent.revoked_on <= on:
            continue
        if consent.expires_on and consent.expires_on < on:
            continue
        return True
    return False


@dataclass
class Facts:
    """What the holds need to know about a run's encounters, read once."""

    payer: Payer
    today: date
    coverages: dict[Any, list[Coverage]] = field(default_factory=dict)
    restricted: set[Any] = field(default_factory=set)
    consents: dict[Any, list[Consent]] = field(default_factory=dict)
    billed: set[Any] = field(default_factory=set)
    # Each person's plan versions as (agreed_on, number, review_by), when loaded for a run.
    plan_versions: dict[Any, list[tuple[date, int, date]]] | None = None
    _credentials: dict[tuple[Any, date], bool] = field(default_factory=dict)
    _plans: dict[tuple[Any, date], bool] = field(default_factory=dict)

    @classmethod
    def load(cls, payer: Payer, encounters: list[Encounter], *, today: date) -> Facts:
        participant_ids = list({e.participant_id for e in encounters})
        facts = cls(payer=payer, today=today)
        coverages: dict[Any, list[Coverage]] = defaultdict(list)
        restricted: set[Any] = set()
        for chunk in in_chunks(participant_ids):
            for coverage in Coverage.objects.filter(
                participant_id__in=chunk, payer_code=payer.code
            ).order_by("-starts_on"):
                coverages[coverage.participant_id].append(coverage)
            restricted.update(
                Restriction.objects.filter(
                    participant_id__in=chunk,
                    use=Restriction.Use.BILLING_INSURANCE,
                    active=True,
                ).values_list("participant_id", flat=True)
            )
        facts.coverages = dict(coverages)
        facts.restricted = restricted
        part2 = {e.participant_id for e in encounters if is_part2(e.participant)}
        consents: dict[Any, list[Consent]] = defaultdict(list)
        for chunk in in_chunks(part2):
            for consent in Consent.objects.filter(participant_id__in=chunk):
                consents[consent.participant_id].append(consent)
        facts.consents = {pid: consents.get(pid, []) for pid in part2}
        if len(encounters) > 1:
            facts.billed = billed_in_range(encounters)
        else:
            facts.billed = billed_encounter_ids([e.pk for e in encounters])
        if len(encounters) > 1:
            versions: dict[Any, list[tuple[date, int, date]]] = defaultdict(list)
            for chunk in in_chunks(participant_ids):
                for row in PlanVersion.objects.filter(plan__participant_id__in=chunk).values_list(
                    "plan__participant_id", "agreed_on", "number", "review_by"
                ):
                    versions[row[0]].append(row[1:])
            facts.plan_versions = dict(versions)
            if Requirement.CREDENTIAL_ACTIVE in payer.requires:
                facts._load_credentials(encounters)
        return facts

    def _load_credentials(self, encounters: list[Encounter]) -> None:
        """Who was certified on each day of the run: a query a day, not one per person-day."""
        specialists: dict[date, set[Any]] = defaultdict(set)
        for encounter in encounters:
            specialists[encounter.date].add(encounter.specialist_id)
        for on, user_ids in specialists.items():
            active = credentialed_on(user_ids, on)
            for user_id in user_ids:
                self._credentials[(user_id, on)] = user_id in active

    def credential_active(self, user_id: Any, on: date) -> bool:
        key = (user_id, on)
        if key not in self._credentials:
            self._credentials[key] = credential_active_on(user_id, on)
        return self._credentials[key]

    def plan_current(self, participant: Any, on: date) -> bool:
        key = (participant.pk, on)
        if key not in self._plans:
            if self.plan_versions is None:
                self._plans[key] = plan_current_on(participant, on) is not None
            else:
                self._plans[key] = _plan_in_force(self.plan_versions.get(participant.pk, []), on)
        return self._plans[key]

    def coverage_on(self, participant_id: Any, on: date) -> Coverage | None:
        for coverage in self.coverages.get(participant_id, []):
            if coverage.in_force_on(on):
                return coverage
        return None

    def diagnoses(self, participant_id: Any, on: date) -> list[str]:
        """The codes on the coverage in force that day, else on the latest one that has any."""
        coverage = self.coverage_on(participant_id, on)
        if coverage is not None and coverage.diagnosis_list:
            return coverage.diagnosis_list
        for other in self.coverages.get(participant_id, []):
            if other.diagnosis_list:
                return other.diagnosis_list
        return []


def _plan_in_force(versions: list[tuple[date, int, date]], on: date) -> bool:
    """care.plan_selectors' rule for a current plan, on versions read once for a whole run:
    the latest version agreed by ``on`` (date, then number) is current if not past review."""
    agreed = [version for version in versions if version[0] <= on]
    return bool(agreed) and max(agreed)[2] >= on


def hold_reasons(encounter: Encounter, facts: Facts) -> list[str]:
    """Every reason this encounter cannot be billed to the payer, in a fixed order."""
    requires = set(facts.payer.requires)
    on = encounter.date
    reasons = []
    if Requirement.SIGNED_NOTE in requires and not encounter.is_signed:
        reasons.append(Hold.not_signed())
    if encounter.is_attempt:
        reasons.append(Hold.attempt())
    if Requirement.CREDENTIAL_ACTIVE in requires and not facts.credential_active(
        encounter.specialist_id, on
    ):
        reasons.append(Hold.no_credential())
    if Requirement.PLAN_CURRENT in requires and not facts.plan_current(encounter.participant, on):
        reasons.append(Hold.no_plan())
    if Requirement.DIAGNOSIS_ON_FILE in requires and not facts.diagnoses(
        encounter.participant_id, on
    ):
        reasons.append(Hold.no_diagnosis())
    if facts.coverage_on(encounter.participant_id, on) is None:
        reasons.append(Hold.no_coverage())
    if (
        Requirement.CONSENT_FOR_PAYMENT in requires
        and encounter.participant_id in facts.consents
        and not consent_covers_payment(facts.consents[encounter.participant_id], facts.payer, on)
    ):
        reasons.append(Hold.no_consent())
    if encounter.participant_id in facts.restricted:
        reasons.append(Hold.restricted())
    days = facts.payer.timely_filing_days
    if days is not None and on + timedelta(days=days) < facts.today:
        reasons.append(Hold.timely_filing())
    if encounter.pk in facts.billed:
        reasons.append(Hold.already_billed())
    return reasons


# What a run reads of an encounter: never the note's text.
RUN_FIELDS = (
    "id",
    "organization_id",
    "participant_id",
    "specialist_id",
    "type",
    "date",
    "start_time",
    "duration_minutes",
    "contact",
    "status",
)


def encounters_for_run(payer: Payer, starts_on: date, ends_on: date) -> list[Encounter]:
    """The organization's encounters in the range whose people this payer covers, or nobody.

    A person with coverage from another payer only is that payer's; a person with no coverage
    at all is shown (held: no coverage) so the clerk sees them. Each person is read once and
    shared by their encounters (a month holds many encounters per person).
    """
    from django.db.models import Exists, OuterRef, Q

    this_payer = Coverage.objects.filter(participant_id=OuterRef("participant_id"))
    encounters = list(
        Encounter.objects.filter(date__gte=starts_on, date__lte=ends_on)
        .filter(Q(Exists(this_payer.filter(payer_code=payer.code))) | ~Q(Exists(this_payer)))
        .only(*RUN_FIELDS)
        .order_by("date", "start_time", "id")
    )
    people: dict[Any, Participant] = {}
    for chunk in in_chunks({e.participant_id for e in encounters}):
        people.update(
            (person.pk, person)
            for person in Participant.objects.filter(pk__in=chunk)
            .select_related("organization")
            .only(
                "id",
                "organization__id",
                "organization__is_part2_program",
                "received_from_part2",
            )
        )
    for encounter in encounters:
        encounter.participant = people[encounter.participant_id]
    return encounters
