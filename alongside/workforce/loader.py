"""Credential types as data: read, check and load the YAML files (``alongside credentials_load``).

One file per credential. Every file of a load is checked before anything is written, and the
load is one transaction: a bad file among several changes nothing, and the error names the
file, the key and what is wrong. Loading the same file again changes nothing (by ``code``).
The schema is in docs/workforce.md ("Adding a state").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from alongside.lib.datafiles import DataFileError, FileChecker, Loaded, yaml_files
from alongside.workforce.models import AfterGrace, CredentialType

FOCUS = ("mental_health", "substance_use", "co_occurring", "family")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
JURISDICTION = re.compile(r"^[A-Z]{2}$")

TOP_KEYS = {
    "code", "name", "jurisdiction", "board", "focus", "verified", "note", "sources", "topics",
    "initial", "renewal", "unverified",
}  # fmt: skip
REQUIRED_TOP = ("code", "name", "jurisdiction", "board", "sources", "initial", "renewal")
INITIAL_KEYS = {"training_hours", "experience_hours", "supervised_hours", "exam"}
RENEWAL_KEYS = {"cycle_months", "ce_hours", "grace_days", "after_grace"}
HOURS_KEYS = {"total", "by_topic"}


class CredentialFileError(DataFileError):
    """A credential file that cannot be loaded: which file, which key, and why."""


class _Checker(FileChecker):
    error = CredentialFileError

    def hours(self, value: Any, key: str, *, nullable: bool = False) -> Decimal | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number of hours" + (" or null" if nullable else ""))
        if value < 0:
            raise self.fail(key, "cannot be negative")
        return Decimal(str(value))

    def slug(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not SLUG.match(value):
            raise self.fail(key, "must be a slug: lower-case letters, digits, - or _")
        return value

    def by_topic(self, value: Any, key: str) -> dict[str, Decimal]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping of topic to minimum hours")
        return {
            self.slug(topic, f"{key}.{topic}"): self.hours(hours, f"{key}.{topic}")  # type: ignore[misc]
            for topic, hours in value.items()
        }


def _hours_block(
    check: _Checker, value: Any, key: str
) -> tuple[Decimal | None, dict[str, Decimal]]:
    block = check.mapping(value, key, HOURS_KEYS, HOURS_KEYS)
    # null: the rule gives no figure (never invent one).
    total = check.hours(block["total"], f"{key}.total", nullable=True)
    by_topic = check.by_topic(block["by_topic"], f"{key}.by_topic")
    if total is not None and sum(by_topic.values(), Decimal(0)) > total:
        raise check.fail(f"{key}.by_topic", "the topic minimums add up to more than the total")
    return total, by_topic


def parse_file(path: Path) -> dict[str, Any]:
    """The checked field values of one credential file, or ``CredentialFileError``."""
    check = _Checker(path)
    raw = check.read()
    doc = check.mapping(raw, "", TOP_KEYS, REQUIRED_TOP)

    jurisdiction = check.text(doc["jurisdiction"], "jurisdiction")
    if not JURISDICTION.match(jurisdiction):
        raise check.fail("jurisdiction", "must be a two-letter state code in capitals, or US")
    focus = doc.get("focus", [])
    if not isinstance(focus, list) or any(f not in FOCUS for f in focus):
        raise check.fail("focus", f"must be a list of: {', '.join(FOCUS)}")
    verified = doc.get("verified", False)
    if not isinstance(verified, bool):
        raise check.fail("verified", "must be true or false")
    checked_sources = check.sources(doc["sources"], required=True)
    topics = doc.get("topics")
    if topics is not None:
        if not isinstance(topics, list) or not topics:
            raise check.fail("topics", "must be null or a list of topic slugs")
        topics = [check.slug(t, "topics") for t in topics]
    unverified = doc.get("unverified", []) or []
    if not isinstance(unverified, list) or not all(isinstance(u, str) for u in unverified):
        raise check.fail("unverified", "must be a list of dotted keys, e.g. renewal.grace_days")

    initial = check.mapping(doc["initial"], "initial", INITIAL_KEYS, INITIAL_KEYS)
    training, training_by_topic = _hours_block(
        check, initial["training_hours"], "initial.training_hours"
    )
    exam = initial["exam"]
    if exam is not None:
        exam = check.text(exam, "initial.exam")

    renewal = check.mapping(doc["renewal"], "renewal", RENEWAL_KEYS, RENEWAL_KEYS)
    ce, ce_by_topic = _hours_block(check, renewal["ce_hours"], "renewal.ce_hours")
    after_grace = renewal["after_grace"]
    if after_grace not in AfterGrace.values:
        raise check.fail("renewal.after_grace", "must be lapsed or retraining_required")
    if topics is not None:
        for key, minimums in (
            ("initial.training_hours.by_topic", training_by_topic),
            ("renewal.ce_hours.by_topic", ce_by_topic),
        ):
            for topic in minimums:
                if topic not in topics:
                    raise check.fail(f"{key}.{topic}", "is not one of this file's topics")

    return {
        "code": check.slug(doc["code"], "code"),
        "name": check.text(doc["name"], "name"),
        "jurisdiction": jurisdiction,
        "board": check.text(doc["board"], "board"),
        "focus": focus,
        "verified": verified,
        "note": check.text(doc.get("note") or "", "note", blank=True),
        "sources": checked_sources,
        "topics": topics,
        "training_hours": training,
        "training_by_topic": {k: float(v) for k, v in training_by_topic.items()},
        "experience_hours": check.hours(
            initial["experience_hours"], "initial.experience_hours", nullable=True
        ),
        "supervised_hours": check.hours(
            initial["supervised_hours"], "initial.supervised_hours", nullable=True
        ),
        "exam": exam or "",
        "cycle_months": check.whole(
            renewal["cycle_months"], "renewal.cycle_months", minimum=1, nullable=True
        ),
        "ce_hours": ce,
        "ce_by_topic": {k: float(v) for k, v in ce_by_topic.items()},
        "grace_days": check.whole(renewal["grace_days"], "renewal.grace_days", minimum=0),
        "after_grace": after_grace,
        "unverified": unverified,
        "data": _plain(raw),
    }


def _plain(value: Any) -> Any:
    """The file as JSON can hold it (YAML may give dates)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def credential_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the ``.yaml``/``.yml`` files under the folders named, in order."""
    return yaml_files(paths, CredentialFileError)


def credentials_load(paths: Iterable[str | Path]) -> list[Loaded]:
    """Check every file, then create or update each credential type by ``code``, all or nothing."""
    files = credential_files(paths)
    parsed: list[tuple[Path, dict[str, Any]]] = []
    seen: dict[str, Path] = {}
    for path in files:
        values = parse_file(path)
        if values["code"] in seen:
            raise CredentialFileError(
                path, "code", f"{values['code']} is already the code of {seen[values['code']]}"
            )
        seen[values["code"]] = path
        parsed.append((path, values))
    results = []
    with transaction.atomic():
        for path, values in parsed:
            existing = CredentialType.objects.filter(code=values["code"]).first()
            if existing is None:
                CredentialType.objects.create(**values, source_file=path.name)
                results.append(Loaded(values["code"], "created", str(path)))
                continue
            changed = [
                name for name, value in values.items() if _differs(getattr(existing, name), value)
            ]
            if changed:
                for name in changed:
                    setattr(existing, name, values[name])
                existing.source_file = path.name
                existing.loaded_at = timezone.now()
                existing.save()
            results.append(Loaded(values["code"], "updated" if changed else "unchanged", str(path)))
    return results


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return bool(current != new)
