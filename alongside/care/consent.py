"""The consent gate for disclosures, with the 42 CFR Part 2 rules.

Alongside asks for a covering consent before any disclosure, because peer support is
voluntary; for a Part 2 record (the organization is a Part 2 program, or the records came
from one) the disclosure also carries the re-disclosure notice of 42 CFR § 2.32.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import (
    CATEGORIES,
    TPO_PURPOSES,
    Consent,
    Disclosure,
    InformationCategory,
    Participant,
    Purpose,
    Restriction,
    category_labels,
)
from alongside.core.audit import Action, audit_record

PART2_NOTICE = (
    "Notice under 42 CFR § 2.32. The information shared with you comes from records that "
    "federal confidentiality rules for substance use disorder records (42 CFR part 2) protect. "
    "You may not use it, or testimony about it, in any civil, criminal, administrative or "
    "legislative proceeding against the person it is about unless that person consents in "
    "writing or a court orders it as part 2 allows. You may not share it again or use it in "
    "any other way unless the person's written consent or part 2 itself permits that. "
    "A general permission to release medical information does not meet this requirement. "
    "In short: 42 CFR part 2 prohibits unauthorized use or disclosure of these records."
)


class Missing:
    NO_CONSENT = "no_consent"
    NOT_SIGNED_YET = "not_signed_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"
    RECIPIENT = "recipient_not_covered"
    PURPOSE = "purpose_not_covered"
    RESTRICTED = "restricted_by_the_person"
    CATEGORY = "category_not_covered"
    # An older consent says in words only what it covers: a person reviewing it must choose.
    CHOOSE_CATEGORIES = "categories_not_chosen"


# A use the person asked us not to make, and the purposes of sharing that would make it.
RESTRICTED_PURPOSES: dict[str, set[str]] = {
    Restriction.Use.BILLING_INSURANCE: {Purpose.PAYMENT},
    Restriction.Use.FAMILY_CONTACT: {Purpose.FAMILY},
}


@dataclass(frozen=True)
class DisclosureCheck:
    """The covering consent, or what is missing."""

    consent: Consent | None
    missing: list[str] = field(default_factory=list)
    part2: bool = False

    @property
    def allowed(self) -> bool:
        return self.consent is not None

    def explanation(self) -> str:
        messages = {
            Missing.NO_CONSENT: _("There is no consent on file for sharing this person's record."),
            Missing.NOT_SIGNED_YET: _("The consent was not signed yet on that date."),
            Missing.EXPIRED: _("The consent that would cover this has expired."),
            Missing.REVOKED: _("The person revoked the consent that would cover this."),
            Missing.RECIPIENT: _("No consent names this recipient."),
            Missing.PURPOSE: _("No consent for this recipient covers this purpose."),
            Missing.RESTRICTED: _("The person asked us not to share their record for this."),
            Missing.CATEGORY: _(
                "The consent for this recipient and purpose does not cover all of the "
                "information chosen."
            ),
            Missing.CHOOSE_CATEGORIES: _(
                "The consent on file is an older one that says what may be shared only in "
                "words. Read it and choose which kinds of information to release."
            ),
        }
        return " ".join(messages[m] for m in self.missing)


class DisclosureRefused(Exception):
    def __init__(self, check: DisclosureCheck) -> None:
        super().__init__(", ".join(check.missing))
        self.check = check


def is_part2(participant: Participant) -> bool:
    return bool(participant.organization.is_part2_program or participant.received_from_part2)


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def _covers_recipient(consent: Consent, recipient: str, purpose: str) -> bool:
    if _normal(recipient) in {_normal(r) for r in consent.recipient_list}:
        return True
    return consent.general_designation and purpose in TPO_PURPOSES


def _problems(
    consent: Consent, recipient: str, purpose: str, on: date, categories: Collection[str]
) -> list[str]:
    problems = []
    if not _covers_recipient(consent, recipient, purpose):
        problems.append(Missing.RECIPIENT)
    elif purpose not in consent.purposes:
        problems.append(Missing.PURPOSE)
    elif not consent.as_described and not set(categories) <= set(consent.information_categories):
        problems.append(Missing.CATEGORY)
    if consent.signed_on and consent.signed_on > on:
        problems.append(Missing.NOT_SIGNED_YET)
    if consent.revoked_on and consent.revoked_on <= on:
        problems.append(Missing.REVOKED)
    if consent.expires_on and consent.expires_on < on:
        problems.append(Missing.EXPIRED)
    return problems


def disclosure_check(
    participant: Participant,
    recipient: str,
    purpose: str,
    at: datetime | date | None = None,
    categories: Collection[str] = (),
) -> DisclosureCheck:
    """Whether a consent on file covers sharing with ``recipient`` for ``purpose`` at ``at``.

    ``categories`` (``InformationCategory`` codes) are the kinds of information to share; a
    consent with categories must cover them all. An older, "as described" consent is checked
    for recipient, purpose and time only: the person reviewing it chooses the categories.
    """
    moment = at or timezone.now()
    on = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    part2 = is_part2(participant)
    # A restriction the person asked for outranks any consent.
    restricted = {
        blocked
        for restriction in Restriction.objects.filter(participant=participant, active=True)
        for blocked in RESTRICTED_PURPOSES.get(restriction.use, set())
    }
    if purpose in restricted:
        return DisclosureCheck(None, [Missing.RESTRICTED], part2)
    consents = list(Consent.objects.filter(participant=participant).order_by("-created_at"))
    if not consents:
        return DisclosureCheck(None, [Missing.NO_CONSENT], part2)
    ranked = []
    for consent in consents:
        problems = _problems(consent, recipient, purpose, on, categories)
        if not problems:
            return DisclosureCheck(consent, [], part2)
        # Report the consent that came closest: a time problem beats a scope problem.
        scope = (
            (Missing.RECIPIENT in problems) * 3
            + (Missing.PURPOSE in problems) * 2
            + (Missing.CATEGORY in problems)
        )
        ranked.append((scope, problems))
    best = min(ranked, key=lambda pair: pair[0])[1]
    return DisclosureCheck(None, best, part2)


def release_scope(
    consent: Consent, chosen: Collection[str] = (), carried: Collection[str] = CATEGORIES
) -> tuple[list[str], list[str]]:
    """The categories released and those withheld under ``consent``, in the usual order.

    ``chosen`` narrows what goes out (and is required for an "as described" consent);
    ``carried`` is what the form of the disclosure can hold at all (a FHIR bundle has no
    referrals).
    Withheld is what the consent, or the person reviewing it, keeps back.
    """
    allowed = set(chosen) if chosen or consent.as_described else set(consent.information_categories)
    released = [c.value for c in CATEGORIES if c in allowed and c in set(carried)]
    withheld = [c.value for c in CATEGORIES if c not in allowed]
    return released, withheld


def withheld_sentence(withheld: Collection[str]) -> str:
    """A line for the recipient: what this consent does not let us share."""
    if not withheld:
        return ""
    return _("Withheld under this consent: %(kinds)s.") % {
        "kinds": ", ".join(label.lower() for label in category_labels(withheld))
    }


@transaction.atomic
def disclose(
    *,
    participant: Participant,
    recipient: str,
    purpose: str,
    description: str,
    actor: Any,
    at: datetime | None = None,
    categories: Collection[str] = (),
    carried: Collection[str] = CATEGORIES,
) -> tuple[Disclosure, str]:
    """Record a disclosure the consent gate allows; return it and the notice to attach.

    ``categories`` are the kinds of information shared (all the consent covers when empty);
    under an "as described" consent they must be given: the reviewer's choice. The disclosure
    records what was released and what withheld.
    """
    at = at or timezone.now()
    chosen = [c for c in categories if c != InformationCategory.AS_DESCRIBED]
    check = disclosure_check(participant, recipient, purpose, at, chosen)
    if not check.allowed:
        raise DisclosureRefused(check)
    assert check.consent is not None
    if check.consent.as_described and not chosen:
        raise DisclosureRefused(DisclosureCheck(None, [Missing.CHOOSE_CATEGORIES], check.part2))
    released, withheld = release_scope(check.consent, chosen, carried)
    disclosure = Disclosure(
        organization=participant.organization,
        participant=participant,
        disclosed_at=at,
        user=actor,
        recipient=recipient,
        purpose=purpose,
        description=description,
        consent=check.consent,
        released_categories=released,
        withheld_categories=withheld,
    )
    disclosure.full_clean()
    disclosure.save()
    audit_record(
        action=Action.DISCLOSE,
        actor=actor,
        organization=participant.organization,
        obj=disclosure,
        participant_id=str(participant.pk),
        changed_fields=[
            "recipient",
            "purpose",
            "description",
            "consent",
            "released_categories",
            "withheld_categories",
        ],
    )
    return disclosure, PART2_NOTICE if check.part2 else ""
