"""Search synonyms: the words people search with, and what search should do with them.

One store for the whole deployment (``SearchSynonym``), shared by the library's search and
the directory's, loaded from ``content/synonyms.yaml`` and edited by the operator's directory
editors at /staff/search-synonyms/; every change is audited. Each group names the everyday
words (``terms``: "alcohol", "my son"), the plain words our own texts use for them
(``expansions``: "substance use"), and, optionally, the directory filters that answer them
(``codes``, ``group:code`` of the directory's taxonomy: "focus:substance_use").

The library adds the expansions to a search (``expand_terms``); the directory reads a query's
everyday words as its filters (``read_query``). Both read the groups from the cache
(``synonym_groups``): one query when it is cold, none when warm; saving, removing or loading
a group empties it.

``expand_terms`` matches word stems, so "meetings" matches the term "meeting", and a term of
several words matches only those words in that order ("my son").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from alongside.core.audit import Action, audit_record
from alongside.core.models import SearchSynonym
from alongside.core.records import record_create, record_update
from alongside.core.search import word_stems

SYNONYM_FIELDS = ("terms", "expansions")
GROUP_KEYS = frozenset({"key", *SYNONYM_FIELDS, "codes"})
CACHE_KEY = "core.synonyms.groups.v1"
# A backstop for changes made around this module (a migration): every change through it
# empties the cache at once.
CACHE_SECONDS = 300


def synonyms_file() -> Path:
    return Path(settings.BASE_DIR) / "content" / "synonyms.yaml"


def phrases_clean(values: Iterable[Any]) -> list[str]:
    """Lower-case, single-spaced, without blanks or repeats, in the order given."""
    cleaned: list[str] = []
    for value in values:
        phrase = " ".join(str(value).lower().split())
        if phrase and phrase not in cleaned:
            cleaned.append(phrase)
    return cleaned


# --- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    """One group as searches read it (``SearchSynonym``, kept in the cache)."""

    words: tuple[str, ...]  # the terms, lower-case: "alcohol", "my son"
    expansions: tuple[str, ...]  # "substance use", "recovery"
    codes: tuple[str, ...] = ()  # directory filters: "focus:substance_use"
    key: str = ""

    @property
    def means(self) -> str:
        """What the words are read as, in a sentence ("alcohol" as "substance use")."""
        return self.expansions[0] if self.expansions else ""


def synonym_groups() -> tuple[Synonyms, ...]:
    """Every group: from the cache, else one query (then kept)."""
    kept = cache.get(CACHE_KEY)
    if kept is None:
        kept = tuple(
            Synonyms(
                words=tuple(phrases_clean(row.terms)),
                expansions=tuple(phrases_clean(row.expansions)),
                codes=tuple(phrases_clean(row.codes or [])),
                key=row.key,
            )
            for row in SearchSynonym.objects.only("key", *SYNONYM_FIELDS, "codes")
        )
        cache.set(CACHE_KEY, kept, CACHE_SECONDS)
    return kept


def synonyms_forget() -> None:
    """Empty the cache now (for this transaction's own searches) and after commit (for any
    search that read the old rows meanwhile)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return bool(needle) and any(
        haystack[start : start + width] == needle for start in range(len(haystack) - width + 1)
    )


def expand_terms(words: Iterable[str]) -> list[str]:
    """The words as given, then what the synonym groups add for them, without repeats.

    ``words`` are the words of a search (``["my", "son", "uses", "drugs"]``); each item of
    the answer is a word or a phrase to search for (``"substance use"``). At most one query
    (``synonym_groups``).
    """
    given = [word.lower() for word in words if word.strip()]
    stems = [stem for word in given for stem in word_stems(word)]
    expanded: list[str] = []
    for word in given:
        if word not in expanded:
            expanded.append(word)
    if not stems:
        return expanded
    for group in synonym_groups():
        if any(_contains(stems, word_stems(term)) for term in group.words):
            expanded.extend(e for e in group.expansions if e not in expanded)
    return expanded


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


def _read(query: str, groups: Iterable[Synonyms]) -> Reading:
    words = _WORD.findall(query.lower())
    if not words:
        return Reading("", (), ())
    codes: list[str] = []
    read: list[tuple[str, str]] = []
    # Longest phrases first, so that "sober house" is housing before "sober" is recovery.
    phrases = sorted(
        ((tuple(_WORD.findall(w)), group) for group in groups for w in group.words),
        key=lambda item: -len(item[0]),
    )
    for phrase, group in phrases:
        size = len(phrase)
        index = 0
        while size and index + size <= len(words):
            if tuple(words[index : index + size]) == phrase:
                read.append((" ".join(phrase), group.means))
                codes.extend(c for c in group.codes if c not in codes)
                words[index : index + size] = [""]
            index += 1
    if not read:
        return Reading(query.strip(), (), ())
    rest = " ".join(w for w in words if w and w not in FILLER)
    return Reading(rest, tuple(codes), tuple(read))


def read_query(query: str, synonyms: Iterable[Synonyms] | None = None) -> Reading:
    """Take the everyday words of ``query`` out as the directory filters they ask for (the
    groups with ``codes``; the others are for text searches). When any is found, the words
    left over that say nothing (``FILLER``) go too; when none is, the query is left whole."""
    if not _WORD.search(query):
        return Reading("", (), ())  # nothing to read: no need of the groups
    groups = synonym_groups() if synonyms is None else synonyms
    return _read(query, [group for group in groups if group.codes])


def with_plain_words(query: str, synonyms: Iterable[Synonyms] | None = None) -> str:
    """``query`` with its everyday words put as our texts say them ("alcohol" → "substance
    use"), for a text search that found nothing with the words as typed."""
    if not _WORD.search(query):
        return query
    reading = _read(query, synonym_groups() if synonyms is None else synonyms)
    if not reading.read:
        return query
    means = dict.fromkeys(meaning for _word, meaning in reading.read if meaning)
    return " ".join([reading.rest, *means]).strip()


# What the directory's filter codes are: set by the directory when it is ready, so that a
# group's ``codes`` are checked against its taxonomy (the core cannot import the directory).
_known_codes: list[Callable[[], Collection[str]]] = []
CODE_SHAPE = re.compile(r"[a-z_]+:[a-z0-9_]+")


def synonym_codes_source_set(source: Callable[[], Collection[str]]) -> None:
    _known_codes[:] = [source]


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """The codes that are no directory filter (any of the right shape while none is known)."""
    known = _known_codes[0]() if _known_codes else None
    return [
        code
        for code in codes
        if not CODE_SHAPE.fullmatch(code) or (known is not None and code not in known)
    ]


# --- Changing -----------------------------------------------------------------------------


@transaction.atomic
def search_synonym_save(
    *,
    key: str,
    terms: Iterable[str],
    expansions: Iterable[str],
    codes: Iterable[str] = (),
    actor: Any = None,
    synonym: SearchSynonym | None = None,
) -> tuple[SearchSynonym, bool]:
    """Create the group ``key`` or change it (or ``synonym``); True when something changed.

    ``codes`` are directory filters (``focus:substance_use``), checked against its taxonomy.
    """
    data = {
        "key": key.strip(),
        "terms": phrases_clean(terms),
        "expansions": phrases_clean(expansions),
        "codes": phrases_clean(codes),
    }
    if synonym is None:
        synonym = SearchSynonym.objects.select_for_update().filter(key=data["key"]).first()
    if synonym is None:
        created = record_create(SearchSynonym(), actor=actor, fields=list(data), data=data)
        synonyms_forget()
        return created, True
    changed = record_update(
        synonym, actor=actor, fields=("key", *SYNONYM_FIELDS, "codes"), data=data
    )
    if changed:
        synonyms_forget()
    return synonym, bool(changed)


@transaction.atomic
def search_synonym_delete(*, synonym: SearchSynonym, actor: Any = None) -> None:
    audit_record(action=Action.DELETE, actor=actor, obj=synonym)
    synonym.delete()
    synonyms_forget()


class SynonymsLoadError(Exception):
    """The file could not be loaded; nothing was changed. ``problems`` say what and where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SynonymsLoaded:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def synonym_groups_parse(path: Path) -> list[dict[str, Any]]:
    """The groups of a synonyms file; SynonymsLoadError names each problem."""
    name = path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SynonymsLoadError([f"{name}: cannot be read ({exc.__class__.__name__})."]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise SynonymsLoadError([f"{name}: not valid YAML{where}."]) from None
    groups = document.get("groups") if isinstance(document, Mapping) else None
    if not isinstance(groups, list) or not groups:
        raise SynonymsLoadError([f"{name}: needs a 'groups:' list."])
    problems: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, group in enumerate(groups, start=1):
        where = f"{name}: group {number}"
        if not isinstance(group, Mapping):
            problems.append(f"{where}: needs key, terms and expansions.")
            continue
        key = group.get("key")
        where = f"{name}: group {key!r}" if isinstance(key, str) else where
        for unknown in sorted(set(group) - GROUP_KEYS):
            problems.append(f"{where}: unknown field {unknown!r} (use key, terms, expansions).")
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{where}: key: missing.")
        elif key in seen:
            problems.append(f"{where}: key: used by another group.")
        else:
            seen.add(key)
        for name_ in SYNONYM_FIELDS:
            value = group.get(name_)
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                problems.append(f"{where}: {name_}: must be a list of words or phrases.")
        codes = group.get("codes", [])
        if not isinstance(codes, list) or not all(isinstance(v, str) for v in codes):
            problems.append(f"{where}: codes: must be a list of directory filter codes.")
        parsed.append(
            {
                "key": key,
                "terms": list(group.get("terms") or []),
                "expansions": list(group.get("expansions") or []),
                "codes": list(group.get("codes") or []),
            }
        )
    if problems:
        raise SynonymsLoadError(problems)
    return parsed


def synonyms_load(path: Path | None = None, *, actor: Any = None) -> SynonymsLoaded:
    """Load the groups of ``path`` (default content/synonyms.yaml), all or nothing.

    A group whose words are unchanged is left alone; groups the file does not name are kept.
    """
    path = path or synonyms_file()
    groups = synonym_groups_parse(path)
    synonyms_forget()
    report = SynonymsLoaded()
    problems: list[str] = []
    with transaction.atomic():
        for group in groups:
            existed = SearchSynonym.objects.filter(key=group["key"]).exists()
            try:
                synonym, changed = search_synonym_save(**group, actor=actor)
            except ValidationError as exc:
                problems.extend(
                    f"{path.name}: group {group['key']!r}: {field_}: {message}"
                    for field_, messages in exc.message_dict.items()
                    for message in messages
                )
                continue
            bucket = (
                report.unchanged if not changed else report.changed if existed else report.created
            )
            bucket.append(synonym.key)
        if problems:
            raise SynonymsLoadError(problems)
    return report
