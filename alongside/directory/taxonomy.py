"""Alongside's controlled vocabulary for peer support, shipped as the HSDS taxonomy ``alongside``.

Services carry these terms as HSDS attributes. Each term has a plain-language label and a
one-line description shown next to the filter, because a family member does not know what
"peer respite" means.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TAXONOMY_NAME = "alongside"
# The taxonomy and its terms have the same ids in every directory that runs Alongside, so
# that exports of two directories (or one, exported, imported elsewhere and exported again)
# agree on them.
_IDS = uuid.UUID("0b5c8a52-3f0e-4c4e-9d0a-6a1e2f7c9b41")
TAXONOMY_ID = uuid.uuid5(_IDS, TAXONOMY_NAME)


def term_id(code: str) -> uuid.UUID:
    """The id of the ``alongside`` term with this code."""
    return uuid.uuid5(_IDS, f"{TAXONOMY_NAME}:{code}")


@dataclass(frozen=True)
class Term:
    group: str
    code: str
    label: StrOrPromise
    description: StrOrPromise


GROUPS: dict[str, StrOrPromise] = {
    "type": _("Kind of support"),
    "format": _("How you connect"),
    "population": _("Who it is for"),
    "focus": _("Focus"),
    "cost": _("Cost"),
    "credential": _("Staff credentials"),
    "pathways": _("Recovery pathways welcome"),
    "access": _("Getting in"),
    "attribute": _("Who runs it"),
    "housing_level": _("Recovery housing certification"),
}
# Groups whose codes must all hold (each ticked box narrows); in every other group any one
# of the codes asked is enough.
ALL_OF_GROUPS = frozenset({"access"})
# A code that also answers a search for others: a service for both mental health and
# substance use is found by either.
ALSO_MATCHES: dict[str, tuple[str, ...]] = {"co_occurring": ("mental_health", "substance_use")}

TERMS: tuple[Term, ...] = (
    Term(
        "type",
        "peer_specialist",
        _("Peer support specialist"),
        _("One-to-one support from a trained person with lived experience of recovery."),
    ),
    Term(
        "type",
        "peer_group",
        _("Peer-led group"),
        _("A group that meets regularly, led by peers, to share and support each other."),
    ),
    Term(
        "type",
        "warm_line",
        _("Warm line"),
        _("A phone or text line to talk with a peer when you are not in crisis."),
    ),
    Term(
        "type",
        "recovery_center",
        _("Recovery community center"),
        _("A place run by people in recovery, with groups, events and recovery coaching."),
    ),
    Term(
        "type",
        "drop_in_center",
        _("Drop-in center"),
        _("A peer-run place you can walk into for company, activities and support."),
    ),
    Term(
        "type",
        "peer_respite",
        _("Peer respite"),
        _("A short, voluntary stay in a home-like house run by peers, instead of a hospital."),
    ),
    Term(
        "type",
        "family_support",
        _("Family support"),
        _("Support for parents, partners and caregivers, from people who have been there."),
    ),
    Term(
        "type",
        "online_support",
        _("Online support"),
        _("Peer support by video or chat, from wherever you are."),
    ),
    Term(
        "type",
        "cmhc_peer_program",
        _("Peer program at a mental health center"),
        _("Peer specialists who work inside a community mental health center team."),
    ),
    Term(
        "type",
        "recovery_housing",
        _("Recovery housing"),
        _("A shared, alcohol- and drug-free home that supports people in recovery."),
    ),
    Term(
        "type",
        "telephone_recovery_support",
        _("Recovery check-in calls"),
        _("A trained volunteer or peer calls you each week to see how your recovery is going."),
    ),
    Term(
        "type",
        "ed_recovery_coach",
        _("Recovery coach in the emergency department"),
        _("A recovery coach meets you at the hospital after an overdose or a crisis."),
    ),
    Term(
        "type",
        "clubhouse",
        _("Clubhouse"),
        _("A community where members living with mental illness work side by side with staff."),
    ),
    Term("format", "in_person", _("In person"), _("Meet face to face.")),
    Term("format", "phone", _("Phone"), _("Talk by phone.")),
    Term("format", "text", _("Text"), _("Send text messages.")),
    Term("format", "video", _("Video"), _("Meet on a video call.")),
    Term("format", "walk_in", _("Walk-in"), _("Come by without an appointment.")),
    Term("population", "adults", _("Adults"), _("People 18 and older.")),
    Term("population", "youth", _("Youth"), _("Young people under 18.")),
    Term("population", "young_adults", _("Young adults"), _("People about 18 to 25.")),
    Term("population", "older_adults", _("Older adults"), _("People about 60 and older.")),
    Term("population", "men", _("Men"), _("A space for men.")),
    Term("population", "women", _("Women"), _("A space for women.")),
    Term("population", "lgbtq", _("LGBTQ+"), _("Welcoming and led with LGBTQ+ people.")),
    Term("population", "veterans", _("Veterans"), _("For people who served in the military.")),
    Term("population", "families", _("Families"), _("For family members and caregivers.")),
    Term(
        "population",
        "reentry",
        _("Coming home from jail or prison"),
        _("For people leaving jail or prison, and after."),
    ),
    Term(
        "population",
        "pregnant_parenting",
        _("Pregnant and parenting people"),
        _("For people who are pregnant or raising children."),
    ),
    Term(
        "population",
        "deaf_hoh",
        _("Deaf and hard of hearing"),
        _("Welcoming and accessible to Deaf and hard of hearing people."),
    ),
    Term("population", "unhoused", _("People without a home"), _("For people who are homeless.")),
    Term("focus", "mental_health", _("Mental health"), _("Support with mental-health challenges.")),
    Term(
        "focus",
        "substance_use",
        _("Substance use"),
        _("Support with alcohol or drug use and recovery."),
    ),
    Term(
        "focus",
        "co_occurring",
        _("Both"),
        _("Support with mental health and substance use together."),
    ),
    Term("cost", "free", _("Free"), _("No charge.")),
    Term("cost", "medicaid", _("Medicaid accepted"), _("Medicaid can pay for this service.")),
    Term("cost", "sliding_scale", _("Sliding scale"), _("The fee depends on what you can pay.")),
    Term("cost", "insurance", _("Private insurance"), _("Some private insurance plans pay.")),
    Term(
        "credential",
        "cpss",
        _("Certified Peer Support Specialist"),
        _("Staff hold a state peer support certification."),
    ),
    Term(
        "credential",
        "crsw",
        _("Certified Recovery Support Worker"),
        _("Staff hold a state recovery support certification."),
    ),
    Term(
        "credential",
        "ncps",
        _("National Certified Peer Specialist"),
        _("Staff hold the national peer specialist certification."),
    ),
    Term(
        "credential",
        "iprc",
        _("Peer Recovery credential (IC&RC)"),
        _("Staff hold the international peer recovery credential."),
    ),
    Term(
        "pathways",
        "mat_welcome",
        _("Medication for opioid use disorder welcome"),
        _("People who take methadone, buprenorphine (Suboxone) or naltrexone are welcome."),
    ),
    Term(
        "pathways",
        "all_pathways",
        _("All recovery pathways welcome"),
        _("Every way of recovery is welcome: medication, twelve steps, faith, harm reduction …"),
    ),
    Term("access", "no_referral", _("No referral needed"), _("You can come without a referral.")),
    Term("access", "no_id", _("No ID needed"), _("You do not have to show identification.")),
    Term("access", "anonymous", _("Anonymous"), _("You do not have to give your name.")),
    Term(
        "access",
        "wheelchair",
        _("Wheelchair accessible"),
        _("The place can be reached and used in a wheelchair."),
    ),
    Term(
        "attribute",
        "peer_run",
        _("Peer-run"),
        _("The organization is run by people with lived experience."),
    ),
    Term(
        "housing_level",
        "narr_1",
        _("NARR Level I"),
        _("Certified as Level I (peer-run) under the NARR standard."),
    ),
    Term(
        "housing_level",
        "narr_2",
        _("NARR Level II"),
        _("Certified as Level II (monitored) under the NARR standard."),
    ),
    Term(
        "housing_level",
        "narr_3",
        _("NARR Level III"),
        _("Certified as Level III (supervised) under the NARR standard."),
    ),
    Term(
        "housing_level",
        "narr_4",
        _("NARR Level IV"),
        _("Certified as Level IV (service provider) under the NARR standard."),
    ),
)

TERMS_BY_GROUP: dict[str, tuple[Term, ...]] = {
    group: tuple(t for t in TERMS if t.group == group) for group in GROUPS
}
TERM_BY_CODE: dict[str, Term] = {t.code: t for t in TERMS}
# What a search can filter by: the groups of terms, and languages.
FILTER_GROUPS: tuple[str, ...] = (*GROUPS, "language")


def codes(group: str) -> list[str]:
    return [t.code for t in TERMS_BY_GROUP[group]]


# The languages a search can filter by (ISO 639-1, and ASL), with their names.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("ne", _("Nepali")),
    ("ar", _("Arabic")),
    ("vi", _("Vietnamese")),
    ("zh", _("Chinese")),
    ("sw", _("Swahili")),
    ("asl", _("American Sign Language")),
]


def filter_codes() -> frozenset[str]:
    """Every filter a search can ask for, as ``group:code`` ("focus:substance_use",
    "language:es"): what a search synonym's ``codes`` may name."""
    return frozenset(
        [*(f"{t.group}:{t.code}" for t in TERMS), *(f"language:{c}" for c, _l in LANGUAGES)]
    )
