"""Import an HSDS 3.0 data package or JSON into the directory: all of it, or nothing.

Reading, checking and planning touch nothing; only a plan without errors is written, in one
transaction, after which every service it created or changed is re-indexed for search.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from alongside.core.audit import Action, audit_record
from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.cleaning import clean_record
from alongside.directory.hsds.planning import Counts, Plan, Planner, Rec, Records
from alongside.directory.hsds.reading import (
    WARNING,
    Problem,
    Problems,
    RawRecord,
    Where,
    read_input,
)
from alongside.directory.models import (
    Address,
    Location,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from alongside.directory.services import INDEX_CHUNK, services_index, taxonomy_ensure
from alongside.directory.taxonomy import TAXONOMY_NAME
from alongside.lib.bulk import rows_insert, rows_update


@dataclass
class ImportReport:
    source: str
    counts: dict[str, Counts] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    indexed: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def created(self) -> dict[str, int]:
        return {t: c.created for t, c in self.counts.items() if c.created}


def hsds_import(*, path: Path, dry_run: bool = False) -> ImportReport:
    """Upsert the HSDS records in ``path`` by id; on any error, change nothing."""
    problems = Problems()
    records = _records(read_input(path, problems), problems)
    plan = Plan()
    if not problems.errors:
        plan = Planner(records, problems).build()
    report = ImportReport(
        source=path.name or str(path),
        counts={t: plan.counts[t] for t in m.WRITE_ORDER if t in plan.counts},
        errors=problems.errors,
        warnings=problems.warnings,
        ignored=sorted(problems.ignored),
        dry_run=dry_run,
    )
    if report.ok and not dry_run:
        report.indexed = _write(plan, report)
    return report


def _is_verification(rec: RawRecord) -> bool:
    values = {**rec.implied, **rec.values}
    return (
        values.get("resource_type") == "service"
        and values.get("last_action_type") == m.VERIFY_ACTION
        and values.get("field_name") == m.VERIFY_FIELD
    )


def _records(raw: list[RawRecord], problems: Problems) -> Records:
    """Checked records by table and id; the same JSON object nested twice is merged."""
    records: Records = {t: {} for t in m.MAPPINGS}
    for rec in raw:
        if rec.table == "metadata" and not _is_verification(rec):
            problems.ignored.add("metadata")
            continue
        values = clean_record(rec, problems)
        if values is None:
            continue
        key = values["id"]
        first = records[rec.table].get(key)
        if first is None:
            records[rec.table][key] = Rec(values, rec.where)
        elif rec.from_csv:
            problems.error(rec.where, "id", f"is used twice (also {first.where.describe()})")
        else:
            _merge(first, values, rec, problems)
    return records


def _merge(first: Rec, values: dict[str, Any], rec: RawRecord, problems: Problems) -> None:
    for name, value in values.items():
        if name not in first.values:
            first.values[name] = value
        elif first.values[name] != value and name not in ("link_entity", "resource_type"):
            problems.error(
                rec.where, name, f"differs from the same record at {first.where.describe(name)}"
            )


@transaction.atomic
def _write(plan: Plan, report: ImportReport) -> int:
    """Write the plan; returns how many services were re-indexed."""
    if connection.vendor == "sqlite":
        # Random UUID keys touch index pages everywhere; with SQLite's default 2 MB page
        # cache a large import spends its time re-reading them. 256 MB, this connection.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    if plan.pending_terms:
        taxonomy_ensure()
        ours = dict(
            TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME).values_list("code", "id")
        )
        for obj, code in plan.pending_terms:
            obj.taxonomy_term_id = ours[code]  # type: ignore[attr-defined]
    for table in m.WRITE_ORDER:
        model = m.MAPPINGS[table].model
        # One statement per batch, values as planned: a service keeps the source's
        # last_modified (auto_now only fills it when the source has none).
        rows_insert(model, plan.creates[table])
        names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        rows_update(model, plan.updates[table], names)
    rows_insert(
        ServiceChange,
        (
            ServiceChange(
                service_id=service_id,
                source=ServiceChange.Source.IMPORT,
                fields=diff,
                note=f"HSDS import from {report.source}",
            )
            for service_id, diff in plan.service_diffs.items()
        ),
    )
    indexed = _index(plan, report)
    changed = sorted(t for t in m.WRITE_ORDER if plan.creates[t] or plan.updates[t])
    if changed:
        audit_record(
            action=Action.UPDATE,
            object_type="directory.hsds_import",
            object_id=report.source[:64],
            changed_fields=changed,
            actor_username="import_hsds",
        )
    return indexed


def _index(plan: Plan, report: ImportReport) -> int:
    """Re-index every service the import created or changed, directly or through a place."""
    ids = {i for i in plan.touched_services if _is_uuid(i)}
    for places in _chunks(sorted(plan.touched_locations)):
        at_places = ServiceAtLocation.objects.filter(location_id__in=places)
        ids |= {str(s) for s in at_places.values_list("service_id", flat=True)}
    wanted = sorted(ids)
    indexed = 0
    for chunk in _chunks(wanted):
        # Search rows keep a two-letter state, and indexing copies state_province into it:
        # a service at an address outside the US ("MyState") would break it on PostgreSQL.
        foreign = (
            Address.objects.filter(location__service_at_locations__service__in=chunk)
            .exclude(location__location_type=Location.LocationType.VIRTUAL)
            .exclude(state_province__regex=r"^[A-Za-z]{2}$")
            .values_list("location__service_at_locations__service_id", "state_province")
        )
        skipped = {str(k): v for k, v in foreign}
        for service_id, state in skipped.items():
            report.warnings.append(
                Problem(
                    WARNING,
                    Where(report.source),
                    "state_province",
                    f"service {service_id} is not indexed for search: {state!r} is not a US state",
                )
            )
        indexed += services_index(i for i in chunk if i not in skipped)
    return indexed


def _chunks(items: list[str], size: int = INDEX_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def counts_table(counts: dict[str, Counts]) -> list[tuple[str, int, int, int]]:
    """(table, created, updated, left alone) rows, in write order."""
    return [(t, c.created, c.updated, c.unchanged) for t, c in counts.items()]
