"""Instruments as data: read, check and load YAML files (``alongside instruments_load PATH...``).

One file per language of an instrument's version; a translation is another file with the same
``code`` and ``version`` and its own ``language``. Every file of a load is checked before
anything is written, and the load is one transaction: a bad file among several changes
nothing, and the error names the file, the key and what is wrong. Loading the same file again
changes nothing (by ``code``, ``version`` and ``language``). The keys are in docs/outcomes.md.

The score is the sum of the item values; the file's ``minimum`` and ``maximum`` must be what
the items' options add up to, so a typo in either is caught here and not in a person's total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from alongside.care.models import Focus
from alongside.core.models import Organization
from alongside.lib.datafiles import DataFileError, FileChecker, Loaded, yaml_files
from alongside.outcomes.models import Instrument

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
KEY = re.compile(r"^[a-z0-9_]{1,20}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

TOP_KEYS = {
    "code", "version", "language", "name", "short_name", "citation", "licence", "focus",
    "instructions", "options", "items", "scoring", "sources", "note",
}  # fmt: skip
REQUIRED_TOP = (
    "code", "version", "language", "name", "short_name", "citation", "licence", "focus",
    "items", "scoring",
)  # fmt: skip
ITEM_KEYS = {"key", "text", "options"}
OPTION_KEYS = {"value", "label"}
SCORING_KEYS = {"method", "minimum", "maximum", "reference_points"}
REFERENCE_KEYS = {"value", "label", "citation"}


class InstrumentFileError(DataFileError):
    """An instrument file that cannot be loaded: which file, which key, and why."""


class _Checker(FileChecker):
    error = InstrumentFileError

    def integer(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "must be a whole number")
        return value

    def options(self, value: Any, key: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or len(value) < 2:
            raise self.fail(key, "must be a list of at least two {value, label}")
        options, seen = [], set()
        for index, raw in enumerate(value):
            where = f"{key}[{index}]"
            option = self.mapping(raw, where, OPTION_KEYS, ("value", "label"))
            number = self.integer(option["value"], f"{where}.value")
            if number in seen:
                raise self.fail(f"{where}.value", f"{number} is already an option of this item")
            seen.add(number)
            label = option["label"]
            label = "" if label is None else self.text(str(label), f"{where}.label", blank=True)
            options.append({"value": number, "label": label})
        return options


def _items(check: _Checker, value: Any, shared: list[dict[str, Any]] | None) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise check.fail("items", "must be a list of at least one {key, text}")
    items, seen = [], set()
    for index, raw in enumerate(value):
        where = f"items[{index}]"
        item = check.mapping(raw, where, ITEM_KEYS, ("key", "text"))
        key = str(item["key"])
        if not KEY.match(key):
            raise check.fail(f"{where}.key", "must be 1-20 small letters, digits or _")
        if key in seen:
            raise check.fail(f"{where}.key", f"{key} is already the key of another item")
        seen.add(key)
        if "options" in item:
            options = check.options(item["options"], f"{where}.options")
        elif shared is not None:
            options = shared
        else:
            raise check.fail(f"{where}.options", "is missing (and the file has no options)")
        items.append(
            {"key": key, "text": check.text(item["text"], f"{where}.text"), "options": options}
        )
    return items


def _scoring(check: _Checker, value: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    scoring = check.mapping(value, "scoring", SCORING_KEYS, ("method", "minimum", "maximum"))
    if scoring["method"] != "sum":
        raise check.fail("scoring.method", "must be sum (the only method Alongside scores)")
    minimum = check.integer(scoring["minimum"], "scoring.minimum")
    maximum = check.integer(scoring["maximum"], "scoring.maximum")
    lowest = sum(min(o["value"] for o in item["options"]) for item in items)
    highest = sum(max(o["value"] for o in item["options"]) for item in items)
    if minimum != lowest:
        raise check.fail("scoring.minimum", f"must be {lowest}, the sum of the lowest options")
    if maximum != highest:
        raise check.fail("scoring.maximum", f"must be {highest}, the sum of the highest options")
    points = scoring.get("reference_points") or []
    if not isinstance(points, list):
        raise check.fail("scoring.reference_points", "must be a list of {value, label, citation}")
    references = []
    for index, raw in enumerate(points):
        where = f"scoring.reference_points[{index}]"
        point = check.mapping(raw, where, REFERENCE_KEYS, ("value", "label", "citation"))
        number = check.integer(point["value"], f"{where}.value")
        if not minimum <= number <= maximum:
            raise check.fail(f"{where}.value", f"must be between {minimum} and {maximum}")
        references.append(
            {
                "value": number,
                "label": check.text(point["label"], f"{where}.label"),
                "citation": check.text(point["citation"], f"{where}.citation"),
            }
        )
    return {"minimum": minimum, "maximum": maximum, "reference_points": references}


def parse_file(path: Path) -> dict[str, Any]:
    """The checked field values of one instrument file, or ``InstrumentFileError``."""
    check = _Checker(path)
    doc = check.mapping(check.read(), "", TOP_KEYS, REQUIRED_TOP)
    code = doc["code"]
    if not isinstance(code, str) or not CODE.match(code):
        raise check.fail("code", "must be capital letters, digits, - or _ (e.g. BARC-10)")
    version = check.text(str(doc["version"]), "version")
    language = check.text(str(doc["language"]), "language")
    if not LANGUAGE.match(language):
        raise check.fail("language", "must be a language tag, e.g. en or es")
    focus = doc["focus"]
    if not isinstance(focus, list) or not focus or not all(f in Focus.values for f in focus):
        raise check.fail("focus", f"must be a list of: {', '.join(Focus.values)}")
    shared = check.options(doc["options"], "options") if "options" in doc else None
    items = _items(check, doc["items"], shared)
    check.sources(doc.get("sources"))
    return {
        "code": code,
        "version": version,
        "language": language,
        "name": check.text(doc["name"], "name"),
        "short_name": check.text(doc["short_name"], "short_name"),
        "citation": check.text(doc["citation"], "citation"),
        "licence": check.text(doc["licence"], "licence"),
        "focus": list(dict.fromkeys(focus)),
        "instructions": check.text(doc.get("instructions") or "", "instructions", blank=True),
        "items": items,
        **_scoring(check, doc["scoring"], items),
    }


def instrument_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the ``.yaml``/``.yml`` files under the folders named, in order."""
    return yaml_files(paths, InstrumentFileError)


def instruments_load(
    paths: Iterable[str | Path], *, organization: Organization | None = None
) -> list[Loaded]:
    """Check every file, then create or update each instrument, all or nothing.

    With ``organization``, the instruments are that organization's own (it holds the licence).
    """
    parsed: list[tuple[Path, dict[str, Any]]] = []
    seen: dict[tuple[str, str, str], Path] = {}
    for path in instrument_files(paths):
        values = parse_file(path)
        ident = (values["code"], values["version"], values["language"])
        if ident in seen:
            raise InstrumentFileError(
                path, "code", f"{' '.join(ident)} is already loaded from {seen[ident]}"
            )
        seen[ident] = path
        parsed.append((path, values))
    results = []
    with transaction.atomic():
        for path, values in parsed:
            label = f"{values['code']} {values['version']} {values['language']}"
            existing = Instrument.objects.filter(
                organization=organization,
                code=values["code"],
                version=values["version"],
                language=values["language"],
            ).first()
            if existing is None:
                Instrument.objects.create(
                    **values, organization=organization, source_file=path.name
                )
                results.append(Loaded(label, "created", str(path)))
                continue
            changed = [name for name, value in values.items() if getattr(existing, name) != value]
            if changed:
                for name in changed:
                    setattr(existing, name, values[name])
                existing.source_file = path.name
                existing.save()
            results.append(Loaded(label, "updated" if changed else "unchanged", str(path)))
    return results
