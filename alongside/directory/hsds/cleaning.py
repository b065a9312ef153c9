"""Checking each value against HSDS and against what Alongside can keep.

An **error** (the data breaks the schema: a required field missing, a wrong type, an id that
is not a UUID, a value longer than we keep) stops the whole import. A **warning** (a value
that is present but unusable: a latitude of 100, an e-mail address without an @) drops that
value, keeps the record, and is listed in the report.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from alongside.directory.hsds.mapping import MAPPINGS
from alongside.directory.hsds.reading import Problems, RawRecord
from alongside.directory.hsds.tables import TABLES, Field
from alongside.directory.models import Phone
from alongside.lib.csvsafe import unsafe_cell

# Links the nesting implies only when the object does not say otherwise.
_FALLBACK_ONLY = {"link_entity", "resource_type"}


class Invalid(ValueError):
    """The value breaks the schema (an error)."""


class Unusable(ValueError):
    """The value is well-formed but cannot be used (a warning; the value is dropped)."""


def _kind(raw: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list"}.get(
        type(raw), "an object" if isinstance(raw, dict) else type(raw).__name__
    )


def _number(raw: Any, from_csv: bool) -> Decimal:
    if from_csv and isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise Invalid(f"{raw!r} is not a number") from None
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        raise Invalid(f"must be a number, not {_kind(raw)}")
    if not value.is_finite():
        raise Invalid(f"{raw!r} is not a number")
    return value


_validate_url = URLValidator()

# The canonical form ``str(uuid.UUID(...))`` gives; most ids already are, and a match is cheap.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_uuid(text: str) -> str:
    """``text`` as a lower-case UUID with hyphens; ValueError when it is none."""
    if _CANONICAL_UUID.fullmatch(text):
        return text
    return str(uuid.UUID(text))


def convert(f: Field, raw: Any, from_csv: bool) -> Any:
    """One value, typed; None when it is empty."""
    if raw is None:
        return None
    if f.type == "number":
        if isinstance(raw, str) and not raw.strip():
            return None
        return _number(raw, from_csv)
    if not isinstance(raw, str):
        raise Invalid(f"must be text, not {_kind(raw)}")
    text = raw.strip()
    if not text and (f.type != "string" or f.format or f.enum):
        return None
    try:
        if f.type == "date":
            if len(text) != 10:
                raise ValueError
            return date.fromisoformat(text)
        if f.type == "time":
            return time.fromisoformat(text)
        if f.type == "datetime":
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        expected = {"date": "YYYY-MM-DD", "time": "HH:MM or HH:MM:SS", "datetime": "ISO 8601"}
        raise Invalid(f"{raw!r} is not a {f.type} ({expected[f.type]})") from None
    if f.format == "uuid":
        try:
            return canonical_uuid(text)
        except ValueError:
            raise Invalid(f"{raw!r} is not a UUID") from None
    if f.enum:
        match = next((e for e in f.enum if e.lower() == text.lower()), None)
        if match is None:
            raise Invalid(f"{raw!r} is not one of: {', '.join(f.enum)}")
        return match
    try:
        if f.format == "email":
            validate_email(text)
            return text
        if f.format == "uri":
            _validate_url(text)
            return text
    except ValidationError:
        noun = "an e-mail address" if f.format == "email" else "a web address (http or https)"
        raise Unusable(f"{raw!r} is not {noun}") from None
    return raw


def _whole(value: Decimal, low: int, high: int, what: str) -> int:
    if value != value.to_integral_value() or not low <= value <= high:
        raise Unusable(f"{value} is not {what}")
    return int(value)


_ADAPTED = {"location", "service", "phone", "cost_option", "schedule"}


def _adapt(table: str, values: dict[str, Any], rec: RawRecord, problems: Problems) -> None:
    """Table rules beyond the schema: ranges, whole numbers, our phone types."""

    def drop(name: str, message: str) -> None:
        values.pop(name, None)
        problems.warning(rec.where, name, f"{message}; imported without it")

    def whole(name: str, low: int, high: int, what: str) -> None:
        if values.get(name) is not None:
            try:
                values[name] = _whole(values[name], low, high, what)
            except Unusable as exc:
                drop(name, str(exc))

    if table == "location":
        lat, lon = values.get("latitude"), values.get("longitude")
        name, problem = "", ""
        if (lat is None) != (lon is None):
            name, problem = ("latitude" if lon is None else "longitude"), "has no partner"
        elif lat is not None and not -90 <= lat <= 90:
            name, problem = "latitude", f"{lat} is outside -90..90"
        elif lon is not None and not -180 <= lon <= 180:
            name, problem = "longitude", f"{lon} is outside -180..180"
        if problem:
            # One coordinate without the other places nothing: both go.
            drop(name, f"{problem}, so the location has no coordinates")
            values.pop("latitude", None)
            values.pop("longitude", None)
        elif lat is not None and lon is not None:
            values["latitude"], values["longitude"] = float(lat), float(lon)
    elif table == "service":
        whole("minimum_age", 0, 32767, "an age in whole years")
        whole("maximum_age", 0, 32767, "an age in whole years")
    elif table == "phone":
        whole("extension", 0, 2**31 - 1, "a whole extension number")
        kind = values.get("type")
        if kind and kind.strip().lower() not in Phone.PhoneType.values:
            drop("type", f"{kind!r} is not one of: {', '.join(Phone.PhoneType.values)}")
        elif kind:
            values["type"] = kind.strip().lower()
    elif table == "cost_option" and values.get("amount") is not None:
        amount = values["amount"].quantize(Decimal("0.01"))
        if amount != values["amount"] or abs(amount) >= 10**8:
            drop("amount", f"{values['amount']} is not an amount in cents")
        else:
            values["amount"] = amount
    elif table == "schedule":
        if values.get("freq") == "MONTHLY":
            problems.warning(
                rec.where,
                "freq",
                "monthly rules (bymonthday, byweekno) are not kept; the row is read as weekly "
                "on its byday",
            )
        if values.get("timezone") is not None:
            values["timezone"] = float(values["timezone"])
        for name in ("opens_at", "closes_at"):
            moment = values.get(name)
            if moment is not None and moment.tzinfo is not None:
                # 09:00-05:00: the offset says which zone, the time is kept as local time.
                offset = moment.utcoffset()
                if values.get("timezone") is None and offset is not None:
                    values["timezone"] = offset.total_seconds() / 3600
                values[name] = moment.replace(tzinfo=None)


def _max_length(table: str, column: str) -> int | None:
    mapping = MAPPINGS[table]
    attr = mapping.columns.get(column)
    if attr is None:
        return None
    field = mapping.model._meta.get_field(attr)
    return field.max_length if isinstance(field, models.CharField) else None


@cache
def _rules(
    table: str,
) -> tuple[dict[str, Field], frozenset[str], dict[str, int], tuple[str, ...]]:
    """The table's fields by name, its plain text fields (kept as they are), the longest text
    we keep by column, and the columns that must hold a value."""
    mapping = MAPPINGS[table]
    fields = {f.name: f for f in TABLES[table].fields}
    plain = frozenset(
        n for n, f in fields.items() if f.type == "string" and not f.format and not f.enum
    )
    limits = {c: n for c in mapping.columns if (n := _max_length(table, c))}
    refs = {r.column for r in mapping.refs}
    return fields, plain, limits, tuple(sorted((mapping.needed - refs) | {"id"}))


def clean_record(rec: RawRecord, problems: Problems) -> dict[str, Any] | None:
    """The record's values, typed and checked; None when it has an error."""
    table, schema = rec.table, TABLES[rec.table]
    fields, plain, limits, needed = _rules(table)
    before = len(problems.errors)
    values: dict[str, Any] = {}
    reported: set[str] = set()
    for name, raw in rec.values.items():
        if name in plain and type(raw) is str:
            # What ``convert`` gives plain text, without asking it; from CSV, without the
            # quote our export puts before text that starts like a spreadsheet formula.
            values[name] = unsafe_cell(raw) if rec.from_csv and raw[:1] == "'" else raw
            continue
        f = fields.get(name)
        if f is None:
            continue
        try:
            value = convert(f, raw, rec.from_csv)
        except Invalid as exc:
            problems.error(rec.where, name, str(exc))
            reported.add(name)
            continue
        except Unusable as exc:
            problems.warning(rec.where, name, f"{exc}; imported without it")
            reported.add(name)
            continue
        if value is not None:
            values[name] = value
    for name, raw in rec.implied.items():
        implied = raw if name in _FALLBACK_ONLY else _uuid_or_none(raw)
        if implied is None:
            continue
        if name not in values:
            values[name] = implied
        elif values[name] != implied and name not in _FALLBACK_ONLY:
            problems.error(rec.where, name, "does not match the record it is nested in")
    if not rec.from_csv:
        for f in schema.fields:
            # The nesting stands for the reference columns, which JSON may leave out.
            is_link = f.name.endswith("_id") or f.name == "link_entity"
            if f.required and not is_link and rec.values.get(f.name) is None:
                problems.error(rec.where, f.name, "is required")
                reported.add(f.name)
    if table in _ADAPTED:
        _adapt(table, values, rec, problems)
    for name in needed:
        if name not in reported and values.get(name) in (None, ""):
            empty = rec.values.get(name) == ""
            problems.error(rec.where, name, "must not be empty" if empty else "is required")
    for name, limit in limits.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.error(
                rec.where, name, f"is longer than the {limit} characters Alongside keeps"
            )
    return values if len(problems.errors) == before else None


def _uuid_or_none(raw: Any) -> str | None:
    try:
        return canonical_uuid(str(raw))
    except ValueError:
        return None
