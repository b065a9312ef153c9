"""Import an HSDS 3.0 data package or JSON into the directory: all of it, or nothing.

Two passes over the input, so that memory does not grow with it: the first (``checking``)
checks every row and keeps only ids and the few facts later rows need; only when it found no
error does the second (``planning``) read the input again and write it, a batch at a time,
in one transaction, after which every service it created or changed is re-indexed for search.
A dry run makes the second pass without writing, for its counts and warnings. A data package
is parsed and checked once (``package``): the second pass reads the checked rows back.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from alongside.core.audit import Action, audit_record
from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.checking import OURS, Checker, Facts, Rec, Records
from alongside.directory.hsds.cleaning import clean_record
from alongside.directory.hsds.package import CsvPackage, is_verification, remove_abandoned_spools
from alongside.directory.hsds.planning import Counts, Outcome, Planner
from alongside.directory.hsds.reading import (
    WARNING,
    Problem,
    Problems,
    RawRecord,
    Where,
    read_json,
)
from alongside.directory.indexing import INDEX_CHUNK, our_term_codes, services_index
from alongside.directory.models import SearchEntry, ServiceAtLocation, TaxonomyTerm
from alongside.directory.search.buckets import buckets_deferred
from alongside.directory.services import taxonomy_ensure
from alongside.directory.taxonomy import TAXONOMY_NAME
from alongside.lib.constraints import foreign_keys_checked_once

# SQLite's page cache for the import's connection, in KiB: random UUID keys touch index pages
# everywhere, and with the default 2 MB a large import spends its time re-reading them.
SQLITE_CACHE_KIB = 65536


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
    with _collector_paused():
        problems, checks = Problems(), Problems()
        source = _open(path, problems)
        try:
            return _import(path, source, problems, checks, dry_run)
        finally:
            if source is not None:
                source.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the import runs; on again after.

    An import makes millions of objects, keeps many of them to its end, and makes almost no
    reference cycles: the collector only walked them again and again, which made a large
    import slower and saved it no memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    path: Path,
    source: CsvPackage | JsonServices | None,
    problems: Problems,
    checks: Problems,
    dry_run: bool,
) -> ImportReport:
    facts = Facts()
    if source is not None:
        facts = Checker(source, problems, checks).run()
    if not problems.errors:
        # References and derived values are only worth reporting for rows that are right.
        problems.errors += checks.errors
        problems.warnings += checks.warnings
    report = ImportReport(
        source=path.name or str(path),
        errors=problems.errors,
        warnings=problems.warnings,
        ignored=sorted(problems.ignored),
        dry_run=dry_run,
    )
    if report.ok and source is not None:
        outcome = _apply(source, facts, report)
        report.counts = {
            t: c
            for t in m.WRITE_ORDER
            if (c := outcome.counts.get(t)) and (c.created or c.updated or c.unchanged)
        }
    return report


# --- sources --------------------------------------------------------------------------------


def _open(path: Path, problems: Problems) -> CsvPackage | JsonServices | None:
    """The input: a data package folder (or its datapackage.json) or a JSON file."""
    remove_abandoned_spools()  # of imports that were killed
    if path.is_dir() or path.name == "datapackage.json":
        package = CsvPackage(path if path.is_dir() else path.parent, problems)
        package.start_helper()
        return package
    if path.is_file():
        return JsonServices(path, problems)
    problems.error(Where(str(path)), "", "no such file or folder")
    return None


class JsonServices:
    """JSON services (or a page of them), flattened into records once, held in memory."""

    def __init__(self, path: Path, problems: Problems) -> None:
        self.label = path.name
        self.tables = _json_records(read_json(path, problems), problems)

    def records(self, table: str, problems: Problems) -> Iterator[Rec]:
        for rec in self.tables[table].values():
            yield Rec(dict(rec.values), rec.where)

    def first_where(self, table: str, key: str) -> Where:
        return self.tables[table][key].where

    def close(self) -> None:
        pass


def _json_records(raw: list[RawRecord], problems: Problems) -> Records:
    """Checked records by table and id; the same JSON object nested twice is merged."""
    records: Records = {t: {} for t in m.MAPPINGS}
    for rec in raw:
        if rec.table == "metadata" and not is_verification(rec):
            problems.ignored.add("metadata")
            continue
        values = clean_record(rec, problems)
        if values is None:
            continue
        first = records[rec.table].get(values["id"])
        if first is None:
            records[rec.table][values["id"]] = Rec(values, rec.where)
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


# --- writing --------------------------------------------------------------------------------


def _apply(source: CsvPackage | JsonServices, facts: Facts, report: ImportReport) -> Outcome:
    """The second pass: plan every batch and, unless this is a dry run, write it."""
    write = not report.dry_run
    problems = Problems()
    planner = Planner(facts, problems, write=write, note=f"HSDS import from {report.source}")
    # Each search bucket is rebuilt once, at the end, with SQLite's page cache as it was.
    # A first import (no services yet) checks the references of the tables that were empty
    # once, at the end, not a row at a time; those tables stay locked until it commits.
    first = write and "service" in facts.empty
    loading = [m.MAPPINGS[t].model for t in m.WRITE_ORDER if first and t in facts.empty]
    with (
        transaction.atomic(),
        buckets_deferred(),
        foreign_keys_checked_once(loading),
        _full_text_merged_once(),
    ):
        if write:
            _prepare(facts)
            if "attribute" in facts.empty:
                # Every attribute there will be is one this import writes.
                planner.keep_codes(our_term_codes())
        with _sqlite_cache(SQLITE_CACHE_KIB if write else 0):
            for table in m.WRITE_ORDER:
                if table in facts.small:
                    planner.table(table, facts.small[table].values())
                else:
                    # The rows' own problems were reported by the first pass.
                    planner.table(table, source.records(table, Problems()))
            report.warnings += problems.warnings
            outcome = planner.outcome
            if write:
                _analyze(outcome)
                report.indexed = _index(outcome, report)
        changed = sorted(t for t, c in outcome.counts.items() if c.created or c.updated)
        if write and changed:
            audit_record(
                action=Action.UPDATE,
                object_type="directory.hsds_import",
                object_id=report.source[:64],
                changed_fields=changed,
                actor_username="import_hsds",
            )
    return outcome


@contextmanager
def _sqlite_cache(kib: int) -> Iterator[None]:
    """A larger page cache for this connection while writing and indexing (SQLite), as it
    was after.

    Only then: it is memory the process keeps, and SQLite also lets a sort hold as much as
    the cache (the search buckets' rebuild sorts every search row it reads)."""
    if not kib or connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _analyze(outcome: Outcome) -> None:
    """Fresh planner statistics and costs for the tables written (PostgreSQL), before indexing
    reads them.

    The rows are not committed yet, so autovacuum cannot see them: without this, tables that
    were empty keep their "empty" statistics, and indexing's reads by id scan whole tables.
    """
    if connection.vendor != "postgresql":
        return
    written = [t for t, c in outcome.counts.items() if c.created or c.updated]
    tables = [m.MAPPINGS[t].model._meta.db_table for t in written] + [SearchEntry._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        # And what indexing reads was just written, so it is in memory: a read by index costs
        # about what a read in order does. With the default (4, for disks) indexing's joins
        # scan whole tables instead, a chunk of services at a time. Until the import commits.
        cursor.execute("SET LOCAL random_page_cost = 1.1")


# The full-text (GIN) indexes that indexing writes to, on PostgreSQL.
FULL_TEXT_INDEXES = ("directory_searchentry_keywords", "core_searchdocument_vector")
FULL_TEXT_PENDING_KIB = 262144


@contextmanager
def _full_text_merged_once() -> Iterator[None]:
    """New rows go to each full-text index's pending list and are merged into the index in
    one pass at the end (PostgreSQL), not at every 4 MB of them (the default): a third of
    a 100,000-listing import's time. Merging needs the index's owner; a role that is not
    leaves it to autovacuum, and searches read the pending list meanwhile."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL gin_pending_list_limit = {FULL_TEXT_PENDING_KIB}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET gin_pending_list_limit")
        for index in FULL_TEXT_INDEXES:
            try:
                with transaction.atomic():
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            except DatabaseError:
                pass


def _prepare(facts: Facts) -> None:
    if facts.pending_codes:
        # Attributes may use terms of ours this directory does not have yet.
        taxonomy_ensure()
        ours = dict(
            TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME).values_list("code", "id")
        )
        terms = facts.remap["taxonomy_term"]
        for key, mapped in terms.items():
            if mapped.startswith(f"{OURS}:"):
                terms[key] = str(ours[mapped.split(":", 1)[1]])


def _index(outcome: Outcome, report: ImportReport) -> int:
    """Re-index every service the import created or changed, directly or through a place."""
    ids = {i for i in outcome.touched_services if _is_uuid(i)}
    # When the directory had no services at locations, the import wrote each one there is,
    # and touched its service already.
    places_of_theirs = outcome.touched_locations if outcome.sals_before else set()
    for places in _chunks(sorted(places_of_theirs)):
        at_places = ServiceAtLocation.objects.filter(location_id__in=places)
        ids |= {str(s) for s in at_places.values_list("service_id", flat=True)}
    foreign: dict[str, str] = {}
    indexed = services_index(
        sorted(ids), new=outcome.created_services, codes=outcome.codes, foreign=foreign
    )
    for service_id, state in foreign.items():
        report.warnings.append(
            Problem(
                WARNING,
                Where(report.source),
                "state_province",
                f"service {service_id} is not indexed for search: {state!r} is not a US state",
            )
        )
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
