"""Search synonyms: what people type, and what search should look for as well.

One list for the whole deployment, used by the library's search and the directory's. Groups
are data (``SearchSynonym``), loaded from ``content/synonyms.yaml`` and edited by the
operator's directory editors; every change is audited.

Matching works on word stems, so "meetings" matches the term "meeting", and a term of
several words matches only those words in that order ("my son").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from alongside.core.audit import Action, audit_record
from alongside.core.models import SearchSynonym
from alongside.core.records import record_create, record_update
from alongside.core.search import word_stems

SYNONYM_FIELDS = ("terms", "expansions")
GROUP_KEYS = frozenset({"key", *SYNONYM_FIELDS})


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


def _contains(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return bool(needle) and any(
        haystack[start : start + width] == needle for start in range(len(haystack) - width + 1)
    )


def expand_terms(words: Iterable[str]) -> list[str]:
    """The words as given, then what the synonym groups add for them, without repeats.

    ``words`` are the words of a search (``["my", "son", "uses", "drugs"]``); each item of
    the answer is a word or a phrase to search for (``"substance use"``). One query.
    """
    given = [word.lower() for word in words if word.strip()]
    stems = [stem for word in given for stem in word_stems(word)]
    expanded: list[str] = []
    for word in given:
        if word not in expanded:
            expanded.append(word)
    if not stems:
        return expanded
    for group in SearchSynonym.objects.only(*SYNONYM_FIELDS):
        if any(_contains(stems, word_stems(term)) for term in group.terms):
            expanded.extend(e for e in phrases_clean(group.expansions) if e not in expanded)
    return expanded


# --- Changing -----------------------------------------------------------------------------


@transaction.atomic
def search_synonym_save(
    *,
    key: str,
    terms: Iterable[str],
    expansions: Iterable[str],
    actor: Any = None,
    synonym: SearchSynonym | None = None,
) -> tuple[SearchSynonym, bool]:
    """Create the group ``key`` or change it (or ``synonym``); True when something changed."""
    data = {
        "key": key.strip(),
        "terms": phrases_clean(terms),
        "expansions": phrases_clean(expansions),
    }
    if synonym is None:
        synonym = SearchSynonym.objects.select_for_update().filter(key=data["key"]).first()
    if synonym is None:
        return record_create(SearchSynonym(), actor=actor, fields=list(data), data=data), True
    changed = record_update(synonym, actor=actor, fields=("key", *SYNONYM_FIELDS), data=data)
    return synonym, bool(changed)


@transaction.atomic
def search_synonym_delete(*, synonym: SearchSynonym, actor: Any = None) -> None:
    audit_record(action=Action.DELETE, actor=actor, obj=synonym)
    synonym.delete()


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
        parsed.append(
            {
                "key": key,
                "terms": list(group.get("terms") or []),
                "expansions": list(group.get("expansions") or []),
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
