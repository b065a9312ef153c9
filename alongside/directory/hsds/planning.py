"""Turning checked HSDS records into the rows to create and update, before anything is written.

Everything that can fail is decided here: references are resolved (within the import, then in
the directory), derived values are computed (a location's time zone and county, a schedule
row's ``closed`` flag, a service area's scope), and every row is ``full_clean``-ed. Only a plan
without errors is written, in one transaction (``importer.hsds_import``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.reading import Problems, Where
from alongside.directory.hsds.tables import TABLES
from alongside.directory.models import (
    Address,
    Attribute,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from alongside.directory.taxonomy import TAXONOMY_NAME, TERM_BY_CODE

OURS = "alongside"  # stands for "our own taxonomy", whatever id the input gives it


@dataclass
class Rec:
    values: dict[str, Any]
    where: Where


Records = dict[str, dict[str, Rec]]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Plan:
    creates: dict[str, list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    updates: dict[str, list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # Attributes that use one of our terms before ``taxonomy_ensure`` has created it.
    pending_terms: list[tuple[models.Model, str]] = field(default_factory=list)
    service_diffs: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    touched_services: set[str] = field(default_factory=set)
    touched_locations: set[str] = field(default_factory=set)


def _empty(f: models.Field) -> Any:
    """What an absent HSDS value becomes: blank text, the field's default, or NULL."""
    if f.blank and isinstance(f, models.CharField | models.TextField):
        return ""
    return f.get_default() if f.has_default() else None


class Planner:
    def __init__(self, records: Records, problems: Problems) -> None:
        self.records = records
        self.problems = problems
        self.plan = Plan()
        self.existing: dict[str, dict[str, Any]] = {}
        self.remap: dict[str, dict[str, str]] = defaultdict(dict)  # table -> input id -> ours
        # Input keys of our own taxonomy and terms: mapped onto our rows, never written.
        self.ours: dict[str, set[str]] = {"taxonomy": set(), "taxonomy_term": set()}
        self.skipped_terms: set[str] = set()
        self.our_terms: dict[str, TaxonomyTerm] = {}
        self.link_tables: dict[int, str | None] = {}
        self._evidence: dict[str, list[tuple[float, Where]]] | None = None
        self._addresses: dict[str, list[dict[str, Any]]] = {}
        self._verifications: dict[str, Rec] = {}
        self._attributes: dict[tuple[str, str], Attribute] = {}

    # --- helpers ----------------------------------------------------------------------------

    def _load_existing(self) -> None:
        for table in m.WRITE_ORDER:
            model = m.MAPPINGS[table].model
            ids = list(self.records[table])
            self.existing[table] = {
                str(k): v for k, v in model._default_manager.in_bulk(ids).items()
            }

    def _in_directory(self, table: str, ids: set[str]) -> set[str]:
        model = m.MAPPINGS[table].model
        return {
            str(pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        }

    def _error(self, rec: Rec, name: str, message: str) -> None:
        self.problems.error(rec.where, name, message)

    def _warn(self, rec: Rec, name: str, message: str) -> None:
        self.problems.warning(rec.where, name, message)

    # --- steps ------------------------------------------------------------------------------

    def build(self) -> Plan:
        self._load_existing()
        self._map_taxonomies()
        self._resolve_references()
        self._link_phones()
        self._drop_orphans()
        self._zone_evidence()
        if self.problems.errors:
            return self.plan
        self._index_related()
        for table in m.WRITE_ORDER:
            for key, rec in self.records[table].items():
                if key in self.ours.get(table, ()):
                    self.plan.counts[table].unchanged += 1
                    continue
                self._plan_row(table, key, rec)
        return self.plan

    def _index_related(self) -> None:
        """What rows look up about each other, gathered once (not once per row)."""
        for rec in self.records["address"].values():
            self._addresses.setdefault(rec.values["location_id"], []).append(rec.values)
        others = set(self.records["location"]) - set(self._addresses)
        for address in Address.objects.filter(location_id__in=others).values():
            self._addresses.setdefault(str(address["location_id"]), []).append(dict(address))
        for rec in self.records["metadata"].values():
            self._verifications[rec.values["resource_id"]] = rec
        links = {
            r.values["link_id"] for r in self.records["attribute"].values() if "link_id" in r.values
        }
        for attribute in Attribute.objects.filter(link_id__in=links):
            pair = (str(attribute.link_id), str(attribute.taxonomy_term_id))
            self._attributes[pair] = attribute

    def _map_taxonomies(self) -> None:
        """Our taxonomy and its codes map onto our rows; other taxonomies come in as they are."""
        local = Taxonomy.objects.filter(name=TAXONOMY_NAME).first()
        if local is not None:
            self.our_terms = {t.code: t for t in local.terms.all()}
        for key, rec in self.records["taxonomy"].items():
            name = rec.values.get("name", "")
            if name == TAXONOMY_NAME or (local is not None and key == str(local.id)):
                self.ours["taxonomy"].add(key)
                self.remap["taxonomy"][key] = str(local.id) if local else OURS
            elif key not in self.existing["taxonomy"]:
                same = Taxonomy.objects.filter(name=name).first()
                if same is not None:
                    self.remap["taxonomy"][key] = str(same.id)
        for key, rec in self.records["taxonomy_term"].items():
            taxonomy = rec.values.get("taxonomy_id")
            taxonomy = self.remap["taxonomy"].get(taxonomy, taxonomy) if taxonomy else None
            named = rec.values.get("taxonomy", "").strip()
            code = rec.values.get("code", "")
            ours = taxonomy == OURS or (local is not None and taxonomy == str(local.id))
            if taxonomy is None and (
                named == TAXONOMY_NAME or (not named and code in TERM_BY_CODE)
            ):
                ours = True
            if ours and code in TERM_BY_CODE:
                self.ours["taxonomy_term"].add(key)
                our = self.our_terms.get(code)
                self.remap["taxonomy_term"][key] = str(our.id) if our else f"{OURS}:{code}"
            elif ours:
                self._warn(rec, "code", f"{code!r} is not a term of Alongside's taxonomy; skipped")
                self.skipped_terms.add(key)
            elif key not in self.existing["taxonomy_term"] and code and taxonomy:
                twin = TaxonomyTerm.objects.filter(taxonomy_id=taxonomy, code=code).first()
                if twin is not None:
                    self.remap["taxonomy_term"][key] = str(twin.id)
        for key in self.skipped_terms:
            del self.records["taxonomy_term"][key]

    def _resolve_references(self) -> None:
        """Every reference must point at a record of this import or of the directory."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for table in (*m.WRITE_ORDER, "metadata"):
            for rec in self.records[table].values():
                for ref in m.MAPPINGS[table].refs:
                    if (value := rec.values.get(ref.column)) and value not in self.remap[ref.table]:
                        wanted[ref.table].add(value)
                entity = self._link_table(rec) if table == "attribute" else None
                self.link_tables[id(rec)] = entity
                if entity and rec.values.get("link_id"):
                    wanted[entity].add(rec.values["link_id"])
                if table == "metadata":
                    wanted["service"].add(rec.values.get("resource_id", ""))
        known = {
            t: set(self.records[t]) | self._in_directory(t, ids - set(self.records[t]))
            for t, ids in wanted.items()
        }
        for table in (*m.WRITE_ORDER, "metadata"):
            for key, rec in list(self.records[table].items()):
                self._resolve(table, key, rec, known)

    def _link_table(self, rec: Rec) -> str | None:
        """The table an attribute's link_id points into, when it is one we keep."""
        entity = str(rec.values.get("link_entity", "")).strip().lower()
        if entity in m.MAPPINGS and entity != "metadata":
            return entity
        if entity not in TABLES:
            self._warn(
                rec,
                "link_entity",
                f"{entity!r} is not an HSDS table; the attribute is kept as it is, unchecked",
            )
        return None

    def _resolve(self, table: str, key: str, rec: Rec, known: dict[str, set[str]]) -> None:
        if table == "attribute" and rec.values.get("taxonomy_term_id") in self.skipped_terms:
            del self.records[table][key]
            return
        if table == "metadata":
            if rec.values.get("resource_id") not in known.get("service", set()):
                self._warn(rec, "resource_id", "is not a service here; the verification is skipped")
                del self.records[table][key]
            return
        for ref in m.MAPPINGS[table].refs:
            value = rec.values.get(ref.column)
            if value is None:
                if ref.needed and table == "service" and key in self.existing[table]:
                    rec.values[ref.column] = str(self.existing[table][key].organization_id)
                elif ref.needed:
                    self._error(rec, ref.column, "is required")
                continue
            mapped = self.remap[ref.table].get(value)
            if mapped is not None:
                rec.values[ref.column] = mapped
            elif value not in known.get(ref.table, set()):
                message = (
                    f"refers to {ref.table} {value}, which is not in this import or the directory"
                )
                if ref.needed:
                    self._error(rec, ref.column, message)
                else:
                    self._warn(rec, ref.column, f"{message}; imported without this link")
                    rec.values[ref.column] = None
        entity = self.link_tables.get(id(rec)) if table == "attribute" else None
        if entity and rec.values.get("link_id") not in known.get(entity, set()):
            link = rec.values.get("link_id")
            self._error(
                rec,
                "link_id",
                f"refers to {entity} {link}, which is not in this import or the directory",
            )

    def _link_phones(self) -> None:
        """A phone given only for a service at a location belongs to that service and place."""
        sal_ids = {
            r.values["service_at_location_id"]
            for r in self.records["phone"].values()
            if r.values.get("service_at_location_id")
        }
        sals = {
            k: (r.values["service_id"], r.values["location_id"])
            for k, r in self.records["service_at_location"].items()
            if k in sal_ids
        }
        for sal in ServiceAtLocation.objects.filter(pk__in=sal_ids - set(sals)):
            sals[str(sal.id)] = (str(sal.service_id), str(sal.location_id))
        for rec in self.records["phone"].values():
            pair = sals.get(rec.values.get("service_at_location_id") or "")
            if pair and not rec.values.get("service_id") and not rec.values.get("location_id"):
                rec.values["service_id"], rec.values["location_id"] = pair

    def _drop_orphans(self) -> None:
        links = {
            "phone": ("service_id", "location_id", "organization_id"),
            "language": ("service_id", "location_id", "phone_id"),
            "schedule": ("service_id", "location_id", "service_at_location_id"),
        }
        for table, columns in links.items():
            for key, rec in list(self.records[table].items()):
                if not any(rec.values.get(c) for c in columns) and key not in self.existing[table]:
                    self._warn(
                        rec, "", f"is linked to no {', '.join(c[:-3] for c in columns)}; skipped"
                    )
                    del self.records[table][key]

    # --- rows -------------------------------------------------------------------------------

    def _plan_row(self, table: str, key: str, rec: Rec) -> None:
        mp = m.MAPPINGS[table]
        model = mp.model
        target = self.remap[table].get(key, key)
        existing = self.existing[table].get(key) or (
            model._default_manager.filter(pk=target).first() if target != key else None
        )
        attrs: dict[str, Any] = {}
        for column, attr in mp.columns.items():
            if column == "id":
                continue
            f = model._meta.get_field(attr)
            value = rec.values.get(column)
            attrs[attr] = _empty(f) if value is None else value  # type: ignore[arg-type]
        pending = self._derive(table, key, rec, attrs, existing)
        if table == "attribute" and existing is None:
            existing = self._same_attribute(attrs)
        if existing is None:
            obj = model(id=target, **attrs)
            if not self._clean(table, rec, obj):
                return
            if pending:
                self.plan.pending_terms.append((obj, pending))  # type: ignore[arg-type]
            self.plan.creates[table].append(obj)
            self.plan.counts[table].created += 1
            self._touch(table, key, attrs)
            if table == "service":
                self.plan.service_diffs[key] = {}
            return
        diff = {
            a: [str(getattr(existing, a) or ""), str(v or "")]
            for a, v in attrs.items()
            if not _equal(getattr(existing, a), v)
        }
        if not diff:
            self.plan.counts[table].unchanged += 1
            return
        for a, v in attrs.items():
            setattr(existing, a, v)
        if pending:
            self.plan.pending_terms.append((existing, pending))
        if table in ("service", "organization") and "last_modified" not in attrs:
            setattr(existing, "last_modified", timezone.now())  # noqa: B010 - any of two models
        if not self._clean(table, rec, existing):
            return
        self.plan.updates[table].append(existing)
        self.plan.counts[table].updated += 1
        self._touch(table, str(existing.pk), attrs)
        if table == "service":
            self.plan.service_diffs[key] = {
                a: d for a, d in diff.items() if a not in ("last_modified",)
            }

    def _same_attribute(self, attrs: dict[str, Any]) -> Attribute | None:
        """The row that already attaches this term to this record, under another id."""
        return self._attributes.get((str(attrs.get("link_id")), str(attrs.get("taxonomy_term_id"))))

    def _clean(self, table: str, rec: Rec, obj: models.Model) -> bool:
        foreign = [f.name for f in obj._meta.fields if isinstance(f, models.ForeignKey)]
        try:
            obj.full_clean(exclude=foreign, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            columns = {attr: column for column, attr in m.MAPPINGS[table].columns.items()}
            for name, messages in exc.message_dict.items():
                self._error(rec, columns.get(name, name), " ".join(messages))
            return False
        return True

    def _touch(self, table: str, key: str, attrs: dict[str, Any]) -> None:
        if table == "service":
            self.plan.touched_services.add(key)
        elif table == "location":
            self.plan.touched_locations.add(key)
        elif table == "attribute":
            self.plan.touched_services.add(str(attrs.get("link_id")))
        for attr in ("service_id", "location_id"):
            if attrs.get(attr):
                bucket = (
                    self.plan.touched_services
                    if attr == "service_id"
                    else self.plan.touched_locations
                )
                bucket.add(str(attrs[attr]))

    # --- derived values ---------------------------------------------------------------------

    def _derive(self, table: str, key: str, rec: Rec, attrs: dict[str, Any], existing: Any) -> str:
        """Fill the values HSDS does not carry as such; returns a pending term code, if any."""
        if table == "taxonomy_term":
            for attr in ("taxonomy_id", "parent_id"):
                if str(attrs.get(attr)).startswith(OURS):
                    attrs[attr] = None
        elif table == "attribute" and str(attrs["taxonomy_term_id"]).startswith(f"{OURS}:"):
            # Our term, not created yet here: ``taxonomy_ensure`` runs before the writes.
            attrs["taxonomy_term_id"] = None
            return str(rec.values["taxonomy_term_id"]).split(":", 1)[1]
        elif table == "schedule":
            dated = attrs["valid_from"] is not None and attrs["valid_to"] is not None
            # HSDS has no "closed": a dated row without hours is a closure (a holiday).
            attrs["closed"] = dated and attrs["opens_at"] is None and attrs["closes_at"] is None
        elif table == "service_area":
            attrs["scope"], attrs["value"] = m.area_scope(attrs["extent_type"], attrs["extent"])
        elif table == "service":
            self._derive_service(key, rec, attrs)
        elif table == "location":
            self._derive_location(key, rec, attrs, existing)
        elif table == "address":
            self._keep_withheld_street(rec, attrs, existing)
        return ""

    def _derive_service(self, key: str, rec: Rec, attrs: dict[str, Any]) -> None:
        verification = self._verifications.get(key)
        attrs["verified_by"], attrs["verification_method"] = "", ""
        if verification is not None:
            by = str(verification.values.get("updated_by", "")).strip()
            method = str(verification.values.get("replacement_value", "")).strip()
            if len(by) > 150:
                self._warn(verification, "updated_by", "is longer than 150 characters; dropped")
            else:
                attrs["verified_by"] = by
            if method in Service.VerificationMethod.values:
                attrs["verification_method"] = method
            elif method:
                self._warn(verification, "replacement_value", f"{method!r} is not a method we know")
            if attrs["verified_on"] is None:
                attrs["verified_on"] = verification.values.get("last_action_date")
        if rec.values.get("last_modified") is not None:
            attrs["last_modified"] = rec.values["last_modified"]

    def _derive_location(self, key: str, rec: Rec, attrs: dict[str, Any], existing: Any) -> None:
        addresses = sorted(
            self._addresses.get(key, []),
            key=lambda a: a.get("address_type") != Address.AddressType.PHYSICAL,
        )
        record = next((r for a in addresses if (r := m.zip_record(a.get("postal_code", "")))), None)
        attrs["county"] = record["county"] if record else (existing.county if existing else "")
        withheld = any(
            str(a.get("address_1", "")).strip().lower() == m.CONFIDENTIAL_STREET.lower()
            for a in addresses
        )
        # Import never clears the flag: a confidential address stays hidden until staff decide.
        attrs["address_confidential"] = withheld or bool(existing and existing.address_confidential)
        if attrs["address_confidential"] and existing is not None:
            self._keep_precise_coordinates(attrs, existing)
        attrs["timezone_name"] = self._zone(key, rec, record, existing)

    def _keep_precise_coordinates(self, attrs: dict[str, Any], existing: Location) -> None:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, m.CONFIDENTIAL_DECIMALS)

        if (attrs["latitude"], attrs["longitude"]) == (
            rounded(existing.latitude),
            rounded(existing.longitude),
        ):
            attrs["latitude"], attrs["longitude"] = existing.latitude, existing.longitude

    def _keep_withheld_street(self, rec: Rec, attrs: dict[str, Any], existing: Any) -> None:
        if attrs["country"].upper() == "US" and (code := m.state_code(attrs["state_province"])):
            attrs["state_province"] = code  # "New Hampshire" -> "NH", as search expects
        withheld = attrs["address_1"].strip().lower() == m.CONFIDENTIAL_STREET.lower()
        if withheld and existing is not None:
            for attr in ("address_1", "address_2", "attention", "region"):
                attrs[attr] = getattr(existing, attr)

    def _zone(self, key: str, rec: Rec, record: dict | None, existing: Any) -> str:
        evidence = self._zone_evidence().get(key, [])
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
        return existing.timezone_name if existing is not None else m.default_zone()

    def _zone_evidence(self) -> dict[str, list[tuple[float, Where]]]:
        """UTC offsets the schedules give, by the location they apply to."""
        if self._evidence is not None:
            return self._evidence
        sal_place = {
            k: r.values["location_id"] for k, r in self.records["service_at_location"].items()
        }
        service_places: dict[str, list[str]] = defaultdict(list)
        for r in self.records["service_at_location"].values():
            service_places[r.values["service_id"]].append(r.values["location_id"])
        wanted = {
            r.values["service_id"]
            for r in self.records["schedule"].values()
            if r.values.get("service_id")
        }
        for sal in ServiceAtLocation.objects.filter(service_id__in=wanted).exclude(
            pk__in=list(sal_place)
        ):
            service_places[str(sal.service_id)].append(str(sal.location_id))
            sal_place[str(sal.id)] = str(sal.location_id)
        evidence: dict[str, list[tuple[float, Where]]] = defaultdict(list)
        for rec in self.records["schedule"].values():
            offset = rec.values.get("timezone")
            if offset is None:
                continue
            if m.zone_for_offset(offset) is None:
                self._warn(
                    rec,
                    "timezone",
                    f"UTC offset {offset:g} is not that of a US time zone; imported without it",
                )
            if rec.values.get("location_id"):
                places = [rec.values["location_id"]]
            elif rec.values.get("service_at_location_id"):
                places = [sal_place.get(rec.values["service_at_location_id"], "")]
            else:
                places = service_places.get(rec.values.get("service_id") or "", [])
            for place in places:
                evidence[place].append((offset, rec.where))
        self._evidence = evidence
        return evidence


def _equal(current: Any, new: Any) -> bool:
    if current is None or new is None:
        return current is new
    return bool(current == new) or str(current) == str(new)
