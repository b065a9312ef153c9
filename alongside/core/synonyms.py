"""The words people search with, and what they mean here: shared by the directory and the
library search.

"alcohol" or "my son uses drugs" rarely appear as such in a listing or an article. Each group
below names the everyday words of one meaning (``words``, single words or phrases), the plain
words our own texts use for it (``means``, for a text search), and the directory filters that
answer it (``codes``, ``group:code`` of the directory's taxonomy, OR-ed within a group).

A line of data: add a group, or a word to one, and both searches follow. The directory's
editors add their own in the staff area (``directory.SearchSynonym``, through
``synonyms_source_add``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Synonyms:
    words: tuple[str, ...]
    means: str
    codes: tuple[str, ...] = ()


SYNONYMS: tuple[Synonyms, ...] = (
    Synonyms(
        (
            "alcohol",
            "alcoholic",
            "alcoholism",
            "drinking",
            "drink",
            "drugs",
            "drug",
            "addiction",
            "addicted",
            "opioid",
            "opioids",
            "heroin",
            "fentanyl",
            "cocaine",
            "meth",
            "sober",
            "sobriety",
            "substance",
            "substances",
        ),
        "substance use",
        ("focus:substance_use",),
    ),
    Synonyms(
        ("aa", "na", "meeting", "meetings", "12 step", "twelve step", "support group"),
        "group",
        ("type:peer_group",),
    ),
    Synonyms(
        (
            "suboxone",
            "methadone",
            "mat",
            "moud",
            "buprenorphine",
            "naltrexone",
            "vivitrol",
            "sublocade",
        ),
        "medication",
        ("pathways:mat_welcome", "pathways:all_pathways"),
    ),
    Synonyms(
        (
            "depression",
            "depressed",
            "anxiety",
            "anxious",
            "bipolar",
            "schizophrenia",
            "psychosis",
            "ptsd",
            "trauma",
            "panic",
            "lonely",
            "loneliness",
        ),
        "mental health",
        ("focus:mental_health",),
    ),
    Synonyms(
        (
            "son",
            "daughter",
            "child",
            "kid",
            "kids",
            "husband",
            "wife",
            "brother",
            "sister",
            "loved one",
            "family",
            "caregiver",
        ),
        "family",
        ("population:families",),
    ),
    Synonyms(
        ("sober house", "sober living", "recovery home", "recovery residence", "halfway house"),
        "recovery housing",
        ("type:recovery_housing",),
    ),
    Synonyms(("deaf", "hard of hearing", "hoh"), "deaf", ("population:deaf_hoh",)),
    Synonyms(("homeless", "unhoused", "shelter"), "homeless", ("population:unhoused",)),
    Synonyms(
        ("prison", "jail", "parole", "probation", "reentry"), "reentry", ("population:reentry",)
    ),
    Synonyms(
        ("pregnant", "pregnancy", "baby"), "pregnant parenting", ("population:pregnant_parenting",)
    ),
    Synonyms(("veteran", "vet", "military"), "veterans", ("population:veterans",)),
    Synonyms(("wheelchair",), "wheelchair", ("access:wheelchair",)),
)

# Where more groups come from (the directory's editors' own, kept in its database): each a
# function returning them. Registered by the app that keeps them, when it is ready.
_SOURCES: list[Callable[[], Iterable[Synonyms]]] = []


def synonyms_source_add(source: Callable[[], Iterable[Synonyms]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def all_synonyms() -> tuple[Synonyms, ...]:
    """The groups kept in code, then those of every registered source."""
    return (*SYNONYMS, *(group for source in _SOURCES for group in source()))


# Words that say nothing about what is looked for, dropped once a synonym has been read
# ("my son uses drugs" asks for family support with substance use, not for the word "my").
FILLER = frozenset(
    (
        "a",
        "an",
        "and",
        "am",
        "are",
        "for",
        "from",
        "help",
        "i",
        "im",
        "in",
        "is",
        "it",
        "looking",
        "me",
        "my",
        "need",
        "needs",
        "of",
        "on",
        "or",
        "our",
        "someone",
        "support",
        "the",
        "their",
        "them",
        "they",
        "to",
        "use",
        "uses",
        "using",
        "want",
        "who",
        "with",
    )
)

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Reading:
    """A query as read: what is left for a text search, the filter codes its everyday words
    asked for, and those words ("alcohol") with what they were read as."""

    rest: str
    codes: tuple[str, ...]
    read: tuple[tuple[str, str], ...]


def read_query(query: str, synonyms: tuple[Synonyms, ...] | None = None) -> Reading:
    """Take the everyday words of ``query`` out as filter codes. When any is found, the words
    left over that say nothing (``FILLER``) go too; when none is, the query is left whole."""
    words = _WORD.findall(query.lower())
    if not words:
        return Reading("", (), ())
    synonyms = all_synonyms() if synonyms is None else synonyms
    codes: list[str] = []
    read: list[tuple[str, str]] = []
    # Longest phrases first, so that "sober house" is housing before "sober" is recovery.
    phrases = sorted(
        ((tuple(w.split()), group) for group in synonyms for w in group.words),
        key=lambda item: -len(item[0]),
    )
    for phrase, group in phrases:
        size = len(phrase)
        index = 0
        while index + size <= len(words):
            if tuple(words[index : index + size]) == phrase:
                read.append((" ".join(phrase), group.means))
                codes.extend(c for c in group.codes if c not in codes)
                words[index : index + size] = [""]
            index += 1
    if not read:
        return Reading(query.strip(), (), ())
    rest = " ".join(w for w in words if w and w not in FILLER)
    return Reading(rest, tuple(codes), tuple(read))


def with_plain_words(query: str, synonyms: tuple[Synonyms, ...] | None = None) -> str:
    """``query`` with its everyday words put as our texts say them ("alcohol" → "substance
    use"), for a text search that found nothing with the words as typed."""
    reading = read_query(query, synonyms)
    if not reading.read:
        return query
    means = dict.fromkeys(meaning for _word, meaning in reading.read)
    return " ".join([reading.rest, *means]).strip()
