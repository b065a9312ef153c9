"""The second pass of an import: checked records become rows to write, a batch at a time.

Each batch is compared with what the directory holds (one query for the batch), its derived
values are computed (a location's time zone and county, a schedule row's ``closed`` flag, a
service area's scope) and, unless it is a dry run, it is written before the next batch is read.
Nothing here can fail on good input: the first pass (``checking``) has checked every value and
reference already, so a plan reaching here is written whole (``importer.hsds_import``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import Any

from django.db import models
from django.utils import timezone

from alongside.directory import geo
from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.checking import OURS, Facts, Place, Rec, key_of, place_add
from alongside.directory.hsds.reading import Problems, Where
from alongside.directory.models import (
    Address,
    Service,
    ServiceAtLocation,
    ServiceChange,
)
from alongside.lib.bulk import dicts_insert, dicts_update
from alongside.lib.rows import hex_key

BATCH = 2000
# Tables whose rows go nowhere without one of these links.
_LINKS = {
    "contact": ("service_id", "location_id", "organization_id", "service_at_location_id"),
    "phone": ("service_id", "location_id", "organization_id", "contact_id"),
    "language": ("service_id", "location_id", "phone_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
}


# Tables whose batches may use the database for more than their own rows.
_WITH_QUERIES = (
    "location",  # addresses it keeps (``_context``)
    "service",  # a change record with each
    "phone",  # services at locations it is given for (``_link_phones``)
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Outcome:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    touched_services: set[str] = field(default_factory=set)
    created_services: set[str] = field(default_factory=set)  # so not yet in search
    touched_locations: set[str] = field(default_factory=set)
    sals_before: bool = True  # the directory had services at locations before the import
    # Alongside's codes by service (32 hex digits), from the attributes written; only kept
    # when asked (``Planner.keep_codes``).
    codes: dict[str, list[str]] | None = None


@dataclass
class _Planned:
    """What a batch writes: rows to insert and to update, and services' change records."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


@cache
def _columns(table: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The row a record without values would be (by attribute), and the attribute of each
    column stored as it is."""
    mp = m.MAPPINGS[table]
    fields: dict[str, models.Field] = {}
    for column, attr in mp.columns.items():
        f = mp.model._meta.get_field(attr)
        if column != "id" and isinstance(f, models.Field):
            fields[column] = f
    return {f.attname: _empty(f) for f in fields.values()}, {
        c: f.attname for c, f in fields.items()
    }


def _empty(f: models.Field) -> Any:
    """What an absent HSDS value becomes: blank text, the field's default, or NULL."""
    if f.blank and isinstance(f, models.CharField | models.TextField):
        return ""
    return f.get_default() if f.has_default() else None


class Planner:
    def __init__(self, facts: Facts, problems: Problems, *, write: bool, note: str) -> None:
        self.facts = facts
        self.problems = problems
        self.write = write
        self.note = note  # on each service's change record
        self.outcome = Outcome(sals_before="service_at_location" not in facts.empty)
        self._our_terms: dict[str, str] = {}

    def keep_codes(self, our_terms: dict[str, str]) -> None:
        """Keep the codes of our terms (``our_terms``: code by term id) that the attributes
        written attach to each service, in ``outcome.codes``."""
        self._our_terms = our_terms
        self.outcome.codes = defaultdict(list)

    def table(self, table: str, recs: Iterable[Rec]) -> None:
        """Plan (and write) one table's records, a batch at a time."""
        it = iter(recs)
        batches = iter(lambda: list(islice(it, BATCH)), [])
        if self.write and self._only_creates(table):
            # One stream of rows for the whole table: on PostgreSQL one COPY, which the server
            # works through while the next batch is planned, instead of one it waits for at
            # the end of each batch.
            rows = (row for batch in batches for row in self._batch(table, batch).creates)
            dicts_insert(m.MAPPINGS[table].model, rows)
        else:
            for batch in batches:
                self._write(table, self._batch(table, batch))
        # What only this table needed makes room for the larger ones still to come.
        facts = self.facts
        if table == "location":
            facts.places.clear()
            facts.evidence.clear()
        elif table == "service":
            facts.verifications.clear()
        elif table == "phone":
            facts.sal_pairs.clear()

    # --- a batch ----------------------------------------------------------------------------

    def _only_creates(self, table: str) -> bool:
        """Whether planning the table only makes rows to insert and asks the database nothing:
        a table that was empty (no rows to look up), and not one of ``_WITH_QUERIES``."""
        facts = self.facts
        return table in facts.empty and table not in facts.small and table not in _WITH_QUERIES

    def _write(self, table: str, planned: _Planned) -> None:
        if self.write:
            dicts_insert(m.MAPPINGS[table].model, planned.creates)
            dicts_update(m.MAPPINGS[table].model, planned.updates)
            dicts_insert(ServiceChange, planned.changes)

    def _batch(self, table: str, recs: list[Rec]) -> _Planned:
        mp, facts, counts = m.MAPPINGS[table], self.facts, self.outcome.counts[table]
        model = mp.model
        rows: list[tuple[str, str, Rec]] = []
        for rec in recs:
            key = rec.values["id"]
            if key in facts.ours.get(table, ()):
                counts.unchanged += 1
            elif not (
                table == "attribute" and rec.values.get("taxonomy_term_id") in facts.skipped_terms
            ):
                self._resolve(table, rec)
                target = facts.twins.get(key, key) if table == "attribute" else key
                rows.append((key, facts.remap[table].get(target, target), rec))
        names = [f.attname for f in model._meta.concrete_fields]
        existing = {}
        if table not in facts.empty or table in facts.small:
            # (A table that was empty holds only rows of this import, which has each id once.)
            there = model._default_manager.filter(pk__in=[t for _, t, _ in rows])
            existing = {str(r["id"]): r for r in there.values(*names)}
        if table == "service":
            self._keep_organization(rows, existing)
        elif table == "phone":
            self._link_phones(rows)
        if table in _LINKS:
            rows = [r for r in rows if self._linked(table, r[2], r[1] in existing)]
        context = self._context(table, rows, existing)
        empties, attnames = _columns(table)
        planned = _Planned()
        creates, updates, changes = planned.creates, planned.updates, planned.changes
        now = timezone.now()
        for key, target, rec in rows:
            attrs = dict(empties)
            for column, value in rec.values.items():
                if value is not None and (attname := attnames.get(column)):
                    attrs[attname] = value
            old = existing.get(target)
            self._derive(table, key, rec, attrs, old, context)
            if old is None:
                creates.append({"id": target, **attrs})
                counts.created += 1
                self._touch(table, key, attrs)
                if table == "service":
                    changes.append(self._change(key, {}))
                    self.outcome.created_services.add(key)
                continue
            diff = {
                a: [str(old[a] or ""), str(v or "")]
                for a, v in attrs.items()
                if not _equal(old[a], v)
            }
            if not diff:
                counts.unchanged += 1
                continue
            if table in ("service", "organization") and "last_modified" not in attrs:
                attrs["last_modified"] = now
            updates.append({**old, **attrs})
            counts.updated += 1
            self._touch(table, str(old["id"]), attrs)
            if table == "service":
                diff.pop("last_modified", None)
                changes.append(self._change(key, diff))
        if table == "attribute" and self.outcome.codes is not None:
            self._keep_codes(creates + updates)
        return planned

    def _keep_codes(self, rows: list[dict[str, Any]]) -> None:
        codes, ours = self.outcome.codes, self._our_terms
        assert codes is not None
        for row in rows:
            code = ours.get(str(row["taxonomy_term_id"]))
            if code is not None:
                codes[hex_key(row["link_id"])].append(code)

    def _change(self, service_id: str, diff: dict[str, list[str]]) -> dict[str, Any]:
        return {
            "service_id": service_id,
            "source": ServiceChange.Source.IMPORT,
            "fields": diff,
            "note": self.note,
        }

    def _resolve(self, table: str, rec: Rec) -> None:
        """References as they are written: mapped onto our rows, or left out when dangling."""
        remap, dangling = self.facts.remap, self.facts.dangling
        for ref in m.MAPPINGS[table].refs:
            value = rec.values.get(ref.column)
            if value is None:
                continue
            if (mapped := remap[ref.table].get(value)) is not None:
                rec.values[ref.column] = mapped
            elif value in dangling[ref.table]:
                rec.values[ref.column] = None

    def _keep_organization(self, rows: list[tuple[str, str, Rec]], existing: dict) -> None:
        for _, target, rec in rows:
            if rec.values.get("organization_id") is None:
                rec.values["organization_id"] = str(existing[target]["organization_id"])

    def _link_phones(self, rows: list[tuple[str, str, Rec]]) -> None:
        """A phone given only for a service at a location belongs to that service and place."""
        wanted = {
            rec.values["service_at_location_id"]
            for _, _, rec in rows
            if rec.values.get("service_at_location_id")
            and not rec.values.get("service_id")
            and not rec.values.get("location_id")
        }
        if not wanted:
            return
        pairs = {
            s: (_text(keys[0]), _text(keys[1]))
            for s in wanted
            if (keys := self.facts.sal_pairs.get(key_of(s)))
        }
        theirs = ServiceAtLocation.objects.filter(pk__in=wanted - set(pairs))
        for pk, service, location in theirs.values_list("pk", "service_id", "location_id"):
            pairs[str(pk)] = (str(service), str(location))
        for _, _, rec in rows:
            pair = pairs.get(rec.values.get("service_at_location_id") or "")
            if pair and not rec.values.get("service_id") and not rec.values.get("location_id"):
                rec.values["service_id"], rec.values["location_id"] = pair

    def _linked(self, table: str, rec: Rec, exists: bool) -> bool:
        columns = _LINKS[table]
        if any(rec.values.get(c) for c in columns) or exists:
            return True
        self.problems.warning(
            rec.where, "", f"is linked to no {', '.join(c[:-3] for c in columns)}; skipped"
        )
        return False

    def _context(self, table: str, rows: list[tuple[str, str, Rec]], existing: dict) -> dict:
        """What the batch's rows look up about other records, in one query."""
        if table == "location":
            # Locations whose addresses are not in the import keep the directory's.
            others = [k for k, _, _ in rows if key_of(k) not in self.facts.places]
            found: dict[Any, Place] = {}
            addresses = Address.objects.filter(location_id__in=others).order_by("pk")
            for a in addresses.values("location_id", "address_1", "address_type", "postal_code"):
                place = found.setdefault(key_of(str(a["location_id"])), Place())
                place_add(place, a)
            return found
        return {}

    def _touch(self, table: str, key: str, attrs: dict[str, Any]) -> None:
        outcome = self.outcome
        if table == "service":
            outcome.touched_services.add(key)
        elif table == "location":
            outcome.touched_locations.add(key)
        elif table == "attribute":
            outcome.touched_services.add(str(attrs.get("link_id")))
        if attrs.get("service_id"):
            outcome.touched_services.add(str(attrs["service_id"]))
        if attrs.get("location_id"):
            outcome.touched_locations.add(str(attrs["location_id"]))

    # --- derived values ---------------------------------------------------------------------

    def _derive(
        self, table: str, key: str, rec: Rec, attrs: dict[str, Any], old: Any, context: dict
    ) -> None:
        """Fill the values HSDS does not carry as such."""
        if table == "taxonomy_term":
            for attr in ("taxonomy_id", "parent_id"):
                if str(attrs.get(attr)).startswith(OURS):
                    attrs[attr] = None
        elif table == "attribute" and str(attrs["taxonomy_term_id"]).startswith(f"{OURS}:"):
            # Our term, not created yet (a dry run): ``taxonomy_ensure`` creates it first.
            attrs["taxonomy_term_id"] = None
        elif table == "schedule":
            dated = attrs["valid_from"] is not None and attrs["valid_to"] is not None
            # HSDS has no "closed": a dated row without hours is a closure (a holiday).
            attrs["closed"] = dated and attrs["opens_at"] is None and attrs["closes_at"] is None
        elif table == "service_area":
            attrs["scope"], attrs["value"] = m.area_scope(attrs["extent_type"], attrs["extent"])
        elif table == "service":
            self._derive_service(key, rec, attrs)
        elif table == "location":
            place = self.facts.places.get(key_of(key)) or context.get(key_of(key))
            self._derive_location(key, attrs, old, place)
        elif table == "address":
            self._keep_withheld_street(attrs, old)

    def _derive_service(self, key: str, rec: Rec, attrs: dict[str, Any]) -> None:
        verification = self.facts.verifications.get(key)
        attrs["verified_by"], attrs["verification_method"] = "", ""
        if verification is not None:
            by = str(verification.values.get("updated_by", "")).strip()
            method = str(verification.values.get("replacement_value", "")).strip()
            if len(by) > 150:
                self.problems.warning(
                    verification.where, "updated_by", "is longer than 150 characters; dropped"
                )
            else:
                attrs["verified_by"] = by
            if method in Service.VerificationMethod.values:
                attrs["verification_method"] = method
            elif method:
                self.problems.warning(
                    verification.where, "replacement_value", f"{method!r} is not a method we know"
                )
            if attrs["verified_on"] is None:
                attrs["verified_on"] = verification.values.get("last_action_date")
        if rec.values.get("last_modified") is not None:
            attrs["last_modified"] = rec.values["last_modified"]

    def _derive_location(
        self, key: str, attrs: dict[str, Any], old: dict | None, place: Place | None
    ) -> None:
        # Import never clears the flag: a confidential address stays hidden until staff decide.
        withheld = bool(place and place.withheld)
        attrs["address_confidential"] = withheld or bool(old and old["address_confidential"])
        if withheld and old is not None:
            # All that an export gives of a confidential place is its town: keep the place.
            for attr in ("latitude", "longitude", "county", "timezone_name"):
                attrs[attr] = old[attr]
            return
        record = geo.address_zip_record(place.zip_code) if place and place.zip_code else None
        attrs["county"] = record["county"] if record else (old["county"] if old else "")
        attrs["timezone_name"] = self._zone(key, record, old)

    def _keep_withheld_street(self, attrs: dict[str, Any], old: dict | None) -> None:
        if attrs["country"].upper() == "US" and (code := geo.state_code(attrs["state_province"])):
            attrs["state_province"] = code  # "New Hampshire" -> "NH", as search expects
        withheld = attrs["address_1"].strip().lower() == m.CONFIDENTIAL_STREET.lower()
        if withheld and old is not None:
            for attr in ("address_1", "address_2", "attention", "region", "postal_code"):
                attrs[attr] = old[attr]

    def _zone(self, key: str, record: dict | None, old: dict | None) -> str:
        evidence: list[tuple[float, Where]] = self.facts.evidence.get(key_of(key), [])
        if record is not None:
            zone = str(record["timezone"])
            for offset, where in evidence:
                if not m.zone_fits(zone, offset):
                    self.problems.warning(
                        where,
                        "timezone",
                        f"UTC offset {offset:g} does not fit {zone}, the time zone of the "
                        "location's ZIP code; the ZIP code's zone is used",
                    )
            return zone
        zones = [(m.zone_for_offset(offset), offset, where) for offset, where in evidence]
        chosen = next((z for z, _, _ in zones if z), None)
        for fitting, offset, where in zones:
            if fitting and chosen and not m.zone_fits(chosen, offset):
                self.problems.warning(
                    where,
                    "timezone",
                    f"UTC offset {offset:g} differs from {chosen}; {chosen} is used",
                )
        if chosen:
            return chosen
        return old["timezone_name"] if old is not None else m.default_zone()


def _text(key: int) -> str:
    return str(uuid.UUID(int=key))


def _equal(current: Any, new: Any) -> bool:
    if current is None or new is None:
        return current is new
    return bool(current == new) or str(current) == str(new)
