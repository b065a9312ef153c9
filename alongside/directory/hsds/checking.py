"""The first pass of an import: every row is checked, and only what the second pass needs is kept.

Rows are read table by table in ``WRITE_ORDER``, where references point backwards, so when a
row is read every record it may refer to has been read already: a reference is either to an
id seen before (kept as a 128-bit integer, not the row) or to a record of the directory, looked
up a batch at a time. What the writing pass needs about other tables (a location's ZIP code
and the time zones its schedules suggest, a service's verification) is kept per record, small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from alongside.directory import geo
from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.reading import Problems, Where
from alongside.directory.hsds.tables import TABLES
from alongside.directory.models import Address, ServiceAtLocation, Taxonomy, TaxonomyTerm
from alongside.directory.taxonomy import TAXONOMY_NAME, TERM_BY_CODE

OURS = "alongside"  # stands for "our own taxonomy", whatever id the input gives it
# Lookups in the directory are made this many at a time.
LOOKUP_BATCH = 2000


@dataclass
class Rec:
    values: dict[str, Any]
    where: Where


Records = dict[str, dict[str, Rec]]


class Source(Protocol):
    """The input, table by table, as often as asked (a data package is read again each time)."""

    label: str

    def records(self, table: str, problems: Problems) -> Iterator[Rec]:
        """The table's checked records; problems go to ``problems``."""
        ...

    def first_where(self, table: str, key: str) -> Where:
        """Where the first record with this id is."""
        ...


def key_of(text: str) -> int:
    """A canonical UUID as the integer kept in place of its 36 characters."""
    return int(text.replace("-", ""), 16)


@dataclass(slots=True)
class Place:
    """What a location's addresses in the import say about it."""

    zip_code: str = ""  # of the first physical address the gazetteer knows, else any such
    physical: bool = False
    withheld: bool = False  # an address reads CONFIDENTIAL_STREET


@dataclass
class Facts:
    """What the first pass learnt, for the second."""

    remap: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    # Input keys of our own taxonomy and terms: mapped onto our rows, never written.
    ours: dict[str, set[str]] = field(
        default_factory=lambda: {"taxonomy": set(), "taxonomy_term": set()}
    )
    skipped_terms: set[str] = field(default_factory=set)
    small: Records = field(default_factory=dict)  # taxonomy and taxonomy_term, whole
    # Optional references to records that are nowhere: imported without the link.
    dangling: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    places: dict[int, Place] = field(default_factory=dict)
    evidence: dict[int, list[tuple[float, Where]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Service at location -> (service, location), for the import's own rows.
    sal_pairs: dict[int, tuple[int, int]] = field(default_factory=dict)
    verifications: dict[str, Rec] = field(default_factory=dict)
    # Attribute id in the input -> the row of the directory that already attaches that term
    # to that record under another id (it is updated rather than doubled).
    twins: dict[str, str] = field(default_factory=dict)
    pending_codes: set[str] = field(default_factory=set)
    # Tables the directory had no rows of: nothing to look up there (a first import).
    empty: set[str] = field(default_factory=set)


@dataclass
class _Pending:
    table: str
    value: str
    where: Where
    column: str
    needed: bool


class Checker:
    def __init__(self, source: Source, problems: Problems, checks: Problems) -> None:
        self.source = source
        self.problems = problems  # the rows' own problems
        self.checks = checks  # references and derived values: only reported if rows are fine
        self.facts = Facts()
        self.ids: dict[str, set[int]] = defaultdict(set)
        self.pending: list[_Pending] = []
        self.missing_services: list[tuple[str, Where]] = []  # services without organization_id
        self.schedules: list[tuple[float, Where, dict[str, Any]]] = []
        self.attributes: list[tuple[str, str, str]] = []  # (id, link_id, taxonomy_term_id)
        self._service_places: dict[int, list[int]] | None = None

    def run(self) -> Facts:
        self.facts.empty = {
            t for t in m.WRITE_ORDER if not m.MAPPINGS[t].model._default_manager.exists()
        }
        self._small_tables()
        for table in m.WRITE_ORDER[2:]:
            for rec in self.source.records(table, self.problems):
                if self._register(table, rec):
                    self._check(table, rec)
            self._flush()
            if table == "schedule":
                self._schedule_evidence()
            elif table == "attribute":
                self._find_twins()
        for rec in self.source.records("metadata", self.problems):
            self.facts.verifications[rec.values["resource_id"]] = rec
        self._check_verifications()
        return self.facts

    # --- ids --------------------------------------------------------------------------------

    def _register(self, table: str, rec: Rec) -> bool:
        """Note the record's id; False (and an error) when the input has it twice."""
        ids, key = self.ids[table], key_of(rec.values["id"])
        if key in ids:
            first = self.source.first_where(table, rec.values["id"])
            self.problems.error(rec.where, "id", f"is used twice (also {first.describe()})")
            return False
        ids.add(key)
        return True

    def _known(self, table: str, value: str) -> bool:
        return key_of(value) in self.ids[table]

    # --- taxonomies -------------------------------------------------------------------------

    def _small_tables(self) -> None:
        small = self.facts.small
        for table in ("taxonomy", "taxonomy_term"):
            small[table] = {}
            for rec in self.source.records(table, self.problems):
                if self._register(table, rec):
                    small[table][rec.values["id"]] = rec
        self._map_taxonomies()
        for table in ("taxonomy", "taxonomy_term"):
            for rec in small[table].values():
                self._check(table, rec)
        self._flush()

    def _map_taxonomies(self) -> None:
        """Our taxonomy and its codes map onto our rows; other taxonomies come in as they are."""
        facts, small = self.facts, self.facts.small
        existing = {
            t: {str(k) for k in m.MAPPINGS[t].model._default_manager.in_bulk(list(small[t]))}
            for t in ("taxonomy", "taxonomy_term")
        }
        local = Taxonomy.objects.filter(name=TAXONOMY_NAME).first()
        our_terms = {t.code: t for t in local.terms.all()} if local is not None else {}
        for key, rec in small["taxonomy"].items():
            name = rec.values.get("name", "")
            if name == TAXONOMY_NAME or (local is not None and key == str(local.id)):
                facts.ours["taxonomy"].add(key)
                facts.remap["taxonomy"][key] = str(local.id) if local else OURS
            elif key not in existing["taxonomy"]:
                same = Taxonomy.objects.filter(name=name).first()
                if same is not None:
                    facts.remap["taxonomy"][key] = str(same.id)
        for key, rec in small["taxonomy_term"].items():
            taxonomy = rec.values.get("taxonomy_id")
            taxonomy = facts.remap["taxonomy"].get(taxonomy, taxonomy) if taxonomy else None
            named = rec.values.get("taxonomy", "").strip()
            code = rec.values.get("code", "")
            ours = taxonomy == OURS or (local is not None and taxonomy == str(local.id))
            if taxonomy is None and (
                named == TAXONOMY_NAME or (not named and code in TERM_BY_CODE)
            ):
                ours = True
            if ours and code in TERM_BY_CODE:
                facts.ours["taxonomy_term"].add(key)
                our = our_terms.get(code)
                facts.remap["taxonomy_term"][key] = str(our.id) if our else f"{OURS}:{code}"
                if our is None:
                    facts.pending_codes.add(code)
            elif ours:
                self.checks.warning(
                    rec.where, "code", f"{code!r} is not a term of Alongside's taxonomy; skipped"
                )
                facts.skipped_terms.add(key)
            elif key not in existing["taxonomy_term"] and code and taxonomy:
                twin = TaxonomyTerm.objects.filter(taxonomy_id=taxonomy, code=code).first()
                if twin is not None:
                    facts.remap["taxonomy_term"][key] = str(twin.id)
        for key in facts.skipped_terms:
            del small["taxonomy_term"][key]
            self.ids["taxonomy_term"].discard(key_of(key))

    # --- references -------------------------------------------------------------------------

    def _check(self, table: str, rec: Rec) -> None:
        values = rec.values
        if table == "attribute" and values.get("taxonomy_term_id") in self.facts.skipped_terms:
            return
        for ref in m.MAPPINGS[table].refs:
            value = values.get(ref.column)
            if value is None:
                if ref.needed and table == "service":
                    # An update may leave the organization out: the service's own is kept.
                    self.missing_services.append((values["id"], rec.where))
                elif ref.needed:
                    self.checks.error(rec.where, ref.column, "is required")
                continue
            if value in self.facts.remap[ref.table] or self._known(ref.table, value):
                continue
            self.pending.append(_Pending(ref.table, value, rec.where, ref.column, ref.needed))
        if table == "attribute":
            entity = self._link_table(rec)
            link = values["link_id"]  # needed: checked by ``clean_record``
            if entity and not self._known(entity, link):
                self.pending.append(_Pending(entity, link, rec.where, "link_id", True))
            term = values.get("taxonomy_term_id") or ""  # missing: reported above
            self.attributes.append(
                (values["id"], link, self.facts.remap["taxonomy_term"].get(term, term))
            )
            if len(self.attributes) >= LOOKUP_BATCH:
                self._find_twins()
        elif table == "address":
            self._note_address(values)
        elif table == "service_at_location" and {"service_id", "location_id"} <= values.keys():
            # (Without both, "is required" was reported above.)
            self.facts.sal_pairs[key_of(values["id"])] = (
                key_of(values["service_id"]),
                key_of(values["location_id"]),
            )
        elif table == "schedule" and values.get("timezone") is not None:
            self.schedules.append((values["timezone"], rec.where, values))
            if len(self.schedules) >= LOOKUP_BATCH:
                self._schedule_evidence()
        if len(self.pending) >= LOOKUP_BATCH:
            self._flush()

    def _find_twins(self) -> None:
        """Attributes of the directory that attach the same term to the same record under
        another id. Looked for before anything is written, so only rows that were there."""
        batch, self.attributes = self.attributes, []
        model = m.MAPPINGS["attribute"].model
        there = self._in_directory("attribute", {key for key, _, _ in batch})
        wanted = {(link, term): key for key, link, term in batch if key not in there}
        if not wanted or "attribute" in self.facts.empty:
            return
        rows = model._default_manager.filter(link_id__in={link for link, _ in wanted})
        for pk, link, term in rows.values_list("pk", "link_id", "taxonomy_term_id"):
            key = wanted.get((str(link), str(term)))
            if key is not None and key != str(pk):
                self.facts.twins[key] = str(pk)

    def _in_directory(self, table: str, ids: set[str]) -> set[str]:
        """Which of ``ids`` the directory has, looked up in batches."""
        if table in self.facts.empty:
            return set()
        model, found, wanted = m.MAPPINGS[table].model, set(), sorted(ids)
        for start in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[start : start + LOOKUP_BATCH]
            rows = model._default_manager.filter(pk__in=batch).values_list("pk", flat=True)
            found |= {str(pk) for pk in rows}
        return found

    def _link_table(self, rec: Rec) -> str | None:
        """The table an attribute's link_id points into, when it is one we keep."""
        entity = str(rec.values.get("link_entity", "")).strip().lower()
        if entity in m.MAPPINGS and entity != "metadata":
            return entity
        if entity not in TABLES:
            self.checks.warning(
                rec.where,
                "link_entity",
                f"{entity!r} is not an HSDS table; the attribute is kept as it is, unchecked",
            )
        return None

    def _flush(self) -> None:
        """Look the references not in the import up in the directory; report those not there."""
        pending, self.pending = self.pending, []
        wanted: dict[str, set[str]] = defaultdict(set)
        for p in pending:
            # A record may refer to a later one of its own table (a term to its parent).
            if not self._known(p.table, p.value):
                wanted[p.table].add(p.value)
        found = {t: self._in_directory(t, ids) for t, ids in wanted.items()}
        for p in pending:
            if p.value not in wanted[p.table] or p.value in found[p.table]:
                continue
            message = f"refers to {p.table} {p.value}, which is not in this import or the directory"
            if p.needed:
                self.checks.error(p.where, p.column, message)
            else:
                self.checks.warning(p.where, p.column, f"{message}; imported without this link")
                self.facts.dangling[p.table].add(p.value)
        missing, self.missing_services = self.missing_services, []
        there = self._in_directory("service", {key for key, _ in missing})
        for key, where in missing:
            if key not in there:
                self.checks.error(where, "organization_id", "is required")

    def _check_verifications(self) -> None:
        verifications = self.facts.verifications
        unknown = {k for k in verifications if not self._known("service", k)}
        there = self._in_directory("service", unknown)
        for key in unknown - there:
            rec = verifications.pop(key)
            self.checks.warning(
                rec.where, "resource_id", "is not a service here; the verification is skipped"
            )

    # --- what locations learn from later tables ---------------------------------------------

    def _note_address(self, values: dict[str, Any]) -> None:
        place_add(self.facts.places.setdefault(key_of(values["location_id"]), Place()), values)

    def _schedule_evidence(self) -> None:
        """The UTC offsets schedules give, by the location they apply to."""
        schedules, self.schedules = self.schedules, []
        sal_pairs = self.facts.sal_pairs
        services = {v["service_id"] for _, _, v in schedules if _by_service(v)}
        sals = {
            v["service_at_location_id"]
            for _, _, v in schedules
            if v.get("service_at_location_id") and not v.get("location_id")
        }
        sals = {s for s in sals if key_of(s) not in sal_pairs}
        theirs: dict[int, list[int]] = defaultdict(list)
        their_sals: dict[int, int] = {}
        if (services or sals) and "service_at_location" not in self.facts.empty:
            rows = ServiceAtLocation.objects.filter(service_id__in=services) | (
                ServiceAtLocation.objects.filter(pk__in=sals)
            )
            for pk, service, location in rows.values_list("pk", "service_id", "location_id"):
                if key_of(str(pk)) in sal_pairs:
                    continue  # the import says where this one is
                their_sals[key_of(str(pk))] = key_of(str(location))
                theirs[key_of(str(service))].append(key_of(str(location)))
        for offset, where, values in schedules:
            if m.zone_for_offset(offset) is None:
                self.checks.warning(
                    where,
                    "timezone",
                    f"UTC offset {offset:g} is not that of a US time zone; imported without it",
                )
            if values.get("location_id"):
                places = [key_of(values["location_id"])]
            elif values.get("service_at_location_id"):
                sal = key_of(values["service_at_location_id"])
                pair = sal_pairs.get(sal)
                places = [pair[1]] if pair else [their_sals[sal]] if sal in their_sals else []
            elif values.get("service_id"):
                service = key_of(values["service_id"])
                places = self._places_of_services().get(service, []) + theirs.get(service, [])
            else:
                places = []
            for place in places:
                self._evidence(place, offset, where)

    def _evidence(self, location: int, offset: float, where: Where) -> None:
        """A location whose ZIP code gives its zone only needs a word when the offset differs;
        the others keep the offsets until the zone is chosen (``Planner._zone``)."""
        place = self.facts.places.get(location)
        if place is None or not place.zip_code or location not in self.ids["location"]:
            self.facts.evidence[location].append((offset, where))
            return
        zone = geo.address_zip_record(place.zip_code)["timezone"]  # type: ignore[index]
        if not m.zone_fits(zone, offset):
            self.checks.warning(
                where,
                "timezone",
                f"UTC offset {offset:g} does not fit {zone}, the time zone of the "
                "location's ZIP code; the ZIP code's zone is used",
            )

    def _places_of_services(self) -> dict[int, list[int]]:
        if self._service_places is None:
            self._service_places = defaultdict(list)
            for service, location in self.facts.sal_pairs.values():
                self._service_places[service].append(location)
        return self._service_places


def place_add(place: Place, address: Mapping[str, Any]) -> None:
    """Add one address to what is known of its location: the first physical address with a
    ZIP code the gazetteer knows gives its zone and county, else the first other such."""
    if str(address.get("address_1", "")).strip().lower() == m.CONFIDENTIAL_STREET.lower():
        place.withheld = True
    if place.physical:
        return
    physical = address.get("address_type") == Address.AddressType.PHYSICAL
    if (physical or not place.zip_code) and (
        record := geo.address_zip_record(address.get("postal_code", ""))
    ):
        place.zip_code, place.physical = record["zip_code"], physical


def _by_service(values: dict[str, Any]) -> bool:
    return bool(
        values.get("service_id")
        and not values.get("location_id")
        and not values.get("service_at_location_id")
    )
