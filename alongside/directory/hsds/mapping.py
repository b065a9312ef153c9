"""How HSDS 3.0 maps onto Alongside's directory, in both directions.

Most HSDS columns are stored as they are, in a model field of the same name. The rest is
either derived (a location's named time zone and county, a schedule row's ``closed`` flag, a
service area's scope) or expressed in HSDS by a convention of ours, documented in
``docs/hsds.md``: a confidential street is exported as ``CONFIDENTIAL_STREET``, a verification
as the service's ``assured_date`` plus one ``metadata`` row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from alongside.directory import geo
from alongside.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# Exported in place of a confidential street; importing it never overwrites a real street.
CONFIDENTIAL_STREET = "Confidential address"


# A verification travels as one HSDS metadata row per service (see ``docs/hsds.md``).
VERIFY_ACTION = "verify"
VERIFY_FIELD = "verification_method"
_VERIFY_NAMESPACE = uuid.UUID("6f3b0e55-2d59-4b8e-9a57-6a2f4c1d0e11")


def verification_metadata_id(service_id: uuid.UUID | str) -> str:
    return str(uuid.uuid5(_VERIFY_NAMESPACE, str(service_id)))


@dataclass(frozen=True)
class Ref:
    """A column holding another record's id."""

    column: str
    table: str
    needed: bool  # Alongside cannot keep the record without it


@dataclass(frozen=True)
class Mapping:
    table: str
    model: type[models.Model]
    # HSDS column -> model attribute, for the columns stored as they are.
    columns: dict[str, str]
    # Columns that must hold a value (Alongside's column cannot be empty).
    needed: frozenset[str] = frozenset()
    refs: tuple[Ref, ...] = ()
    # Read for derived values or links, not stored as such.
    extra: frozenset[str] = frozenset()

    @property
    def read(self) -> frozenset[str]:
        return frozenset(self.columns) | self.extra


def _same(*names: str) -> dict[str, str]:
    return {n: n for n in names}


MAPPINGS: dict[str, Mapping] = {
    m.table: m
    for m in (
        Mapping(
            "taxonomy",
            Taxonomy,
            _same("id", "name", "description", "uri", "version"),
            needed=frozenset({"name"}),
        ),
        Mapping(
            "taxonomy_term",
            TaxonomyTerm,
            _same("id", "code", "name", "description", "language", "term_uri")
            | {"parent_id": "parent_id", "taxonomy_id": "taxonomy_id"},
            needed=frozenset({"name", "description"}),
            refs=(
                Ref("parent_id", "taxonomy_term", needed=False),
                Ref("taxonomy_id", "taxonomy", needed=False),
            ),
            extra=frozenset({"taxonomy"}),
        ),
        Mapping(
            "organization",
            Organization,
            _same("id", "name", "alternate_name", "description", "email", "website"),
            needed=frozenset({"name"}),
        ),
        Mapping(
            "location",
            Location,
            _same(
                "id",
                "location_type",
                "name",
                "description",
                "transportation",
                "latitude",
                "longitude",
            )
            | {"organization_id": "organization_id"},
            needed=frozenset({"location_type"}),
            refs=(Ref("organization_id", "organization", needed=False),),
        ),
        Mapping(
            "address",
            Address,
            _same(
                "id",
                "attention",
                "address_1",
                "address_2",
                "city",
                "region",
                "state_province",
                "postal_code",
                "country",
                "address_type",
            )
            | {"location_id": "location_id"},
            needed=frozenset(
                {
                    "location_id",
                    "address_1",
                    "city",
                    "state_province",
                    "postal_code",
                    "country",
                    "address_type",
                }
            ),
            refs=(Ref("location_id", "location", needed=True),),
        ),
        Mapping(
            "accessibility",
            Accessibility,
            _same("id", "description", "details", "url") | {"location_id": "location_id"},
            needed=frozenset({"location_id"}),
            refs=(Ref("location_id", "location", needed=True),),
        ),
        Mapping(
            "service",
            Service,
            _same(
                "id",
                "name",
                "alternate_name",
                "description",
                "url",
                "email",
                "status",
                "interpretation_services",
                "application_process",
                "fees_description",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
                "alert",
            )
            | {"organization_id": "organization_id", "assured_date": "verified_on"},
            needed=frozenset({"name", "status", "organization_id"}),
            refs=(Ref("organization_id", "organization", needed=True),),
            extra=frozenset({"last_modified"}),
        ),
        Mapping(
            "service_at_location",
            ServiceAtLocation,
            _same("id", "description") | {"service_id": "service_id", "location_id": "location_id"},
            needed=frozenset({"service_id", "location_id"}),
            refs=(
                Ref("service_id", "service", needed=True),
                Ref("location_id", "location", needed=True),
            ),
        ),
        Mapping(
            "contact",
            Contact,
            _same("id", "name", "title", "department", "email")
            | {
                "organization_id": "organization_id",
                "service_id": "service_id",
                "service_at_location_id": "service_at_location_id",
                "location_id": "location_id",
            },
            refs=(
                Ref("organization_id", "organization", needed=False),
                Ref("service_id", "service", needed=False),
                Ref("service_at_location_id", "service_at_location", needed=False),
                Ref("location_id", "location", needed=False),
            ),
        ),
        Mapping(
            "phone",
            Phone,
            _same("id", "number", "extension", "type", "description")
            | {
                "service_id": "service_id",
                "location_id": "location_id",
                "organization_id": "organization_id",
                "contact_id": "contact_id",
            },
            needed=frozenset({"number"}),
            refs=(
                Ref("service_id", "service", needed=False),
                Ref("location_id", "location", needed=False),
                Ref("organization_id", "organization", needed=False),
                Ref("contact_id", "contact", needed=False),
                Ref("service_at_location_id", "service_at_location", needed=False),
            ),
            extra=frozenset({"service_at_location_id"}),
        ),
        Mapping(
            "schedule",
            Schedule,
            _same(
                "id",
                "valid_from",
                "valid_to",
                "freq",
                "byday",
                "opens_at",
                "closes_at",
                "description",
                "attending_type",
                "notes",
            )
            | {
                "service_id": "service_id",
                "location_id": "location_id",
                "service_at_location_id": "service_at_location_id",
            },
            refs=(
                Ref("service_id", "service", needed=False),
                Ref("location_id", "location", needed=False),
                Ref("service_at_location_id", "service_at_location", needed=False),
            ),
            extra=frozenset({"timezone"}),
        ),
        Mapping(
            "service_area",
            ServiceArea,
            _same("id", "name", "description", "extent", "extent_type")
            | {"service_id": "service_id"},
            needed=frozenset({"service_id"}),
            refs=(Ref("service_id", "service", needed=True),),
        ),
        Mapping(
            "language",
            Language,
            _same("id", "name", "code", "note")
            | {"service_id": "service_id", "location_id": "location_id", "phone_id": "phone_id"},
            refs=(
                Ref("service_id", "service", needed=False),
                Ref("location_id", "location", needed=False),
                Ref("phone_id", "phone", needed=False),
            ),
        ),
        Mapping(
            "cost_option",
            CostOption,
            _same(
                "id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"
            )
            | {"service_id": "service_id"},
            needed=frozenset({"service_id"}),
            refs=(Ref("service_id", "service", needed=True),),
        ),
        Mapping(
            "attribute",
            Attribute,
            _same("id", "link_id", "link_type", "link_entity", "value")
            | {"taxonomy_term_id": "taxonomy_term_id"},
            needed=frozenset({"link_id", "taxonomy_term_id", "link_entity"}),
            refs=(Ref("taxonomy_term_id", "taxonomy_term", needed=True),),
        ),
        # Only the verification rows of ours are read; other metadata is a change log we skip.
        Mapping(
            "metadata",
            Service,
            {},
            extra=frozenset(
                {
                    "id",
                    "resource_id",
                    "resource_type",
                    "last_action_date",
                    "last_action_type",
                    "field_name",
                    "previous_value",
                    "replacement_value",
                    "updated_by",
                }
            ),
        ),
    )
}

# Tables whose rows become rows of ours, in an order where references point backwards.
WRITE_ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "location",
    "address",
    "accessibility",
    "service",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "schedule",
    "service_area",
    "cost_option",
    "attribute",
)

# JSON nesting, shared by the importer (to flatten) and the exporter (to build):
# key -> (table, is a list, how it links): ("child", col) sets col on the child to the
# parent's id; ("parent", col) sets col on the parent to the child's id; "link" and
# "resource" are the attribute and metadata ways of pointing at any record.
Link = tuple[str, str] | str
_COMMON: dict[str, tuple[str, bool, Link]] = {
    "attributes": ("attribute", True, "link"),
    "metadata": ("metadata", True, "resource"),
}
NESTED: dict[str, dict[str, tuple[str, bool, Link]]] = {
    "service": {
        "organization": ("organization", False, ("parent", "organization_id")),
        "phones": ("phone", True, ("child", "service_id")),
        "schedules": ("schedule", True, ("child", "service_id")),
        "service_areas": ("service_area", True, ("child", "service_id")),
        "service_at_locations": ("service_at_location", True, ("child", "service_id")),
        "languages": ("language", True, ("child", "service_id")),
        "cost_options": ("cost_option", True, ("child", "service_id")),
        "contacts": ("contact", True, ("child", "service_id")),
        **_COMMON,
    },
    "organization": {
        "phones": ("phone", True, ("child", "organization_id")),
        "contacts": ("contact", True, ("child", "organization_id")),
        "locations": ("location", True, ("child", "organization_id")),
        "services": ("service", True, ("child", "organization_id")),
        **_COMMON,
    },
    "service_at_location": {
        "service": ("service", False, ("parent", "service_id")),
        "location": ("location", False, ("parent", "location_id")),
        "schedules": ("schedule", True, ("child", "service_at_location_id")),
        "phones": ("phone", True, ("child", "service_at_location_id")),
        "contacts": ("contact", True, ("child", "service_at_location_id")),
        **_COMMON,
    },
    "location": {
        "addresses": ("address", True, ("child", "location_id")),
        "accessibility": ("accessibility", True, ("child", "location_id")),
        "phones": ("phone", True, ("child", "location_id")),
        "languages": ("language", True, ("child", "location_id")),
        "schedules": ("schedule", True, ("child", "location_id")),
        "contacts": ("contact", True, ("child", "location_id")),
        **_COMMON,
    },
    "contact": {"phones": ("phone", True, ("child", "contact_id")), **_COMMON},
    "phone": {"languages": ("language", True, ("child", "phone_id")), **_COMMON},
    "attribute": {"taxonomy_term": ("taxonomy_term", False, ("parent", "taxonomy_term_id"))},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", False, ("parent", "taxonomy_id")), **_COMMON},
    **{t: dict(_COMMON) for t in ("schedule", "service_area", "language", "cost_option")},
    **{t: dict(_COMMON) for t in ("address", "accessibility", "taxonomy")},
}


# --- Time zones -----------------------------------------------------------------------------

# US zones first, most populous first: an offset that two zones share goes to the first.
_ZONES_BY_PREFERENCE = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    "Pacific/Pago_Pago",
    "UTC",
)


def offset_hours(zone_name: str, day: date, at: time | None = None) -> float:
    """The zone's UTC offset in hours on ``day`` (at noon unless ``at`` is given)."""
    moment = datetime.combine(day, at or time(12), ZoneInfo(zone_name))
    delta = moment.utcoffset()
    return delta.total_seconds() / 3600 if delta is not None else 0.0


@cache
def _offsets(zone_name: str) -> frozenset[float]:
    # Winter and summer of a fixed year: the answer must not depend on today's date.
    return frozenset(offset_hours(zone_name, date(2025, m, 15)) for m in (1, 7))


def zone_for_offset(offset: float) -> str | None:
    """A named zone that uses this UTC offset (in winter or summer), or None."""
    return next((z for z in _ZONES_BY_PREFERENCE if offset in _offsets(z)), None)


def zone_fits(zone_name: str, offset: float) -> bool:
    return offset in _offsets(zone_name)


def default_zone() -> str:
    return str(settings.TIME_ZONE)


# --- Places ---------------------------------------------------------------------------------


def area_scope(extent_type: str, extent: str) -> tuple[str, str]:
    """A text extent naming a state, a county or a ZIP -> (scope, value); otherwise ("", "")."""
    if extent_type.strip().lower() != "text":
        return "", ""
    text = extent.strip()
    if (record := geo.address_zip_record(text)) is not None and len(text) == 5:
        return ServiceArea.Scope.POSTAL_CODE, record["zip_code"]
    if code := geo.state_code(text):
        return ServiceArea.Scope.STATE, code
    county, sep, state = text.rpartition(",")
    code = geo.state_code(state)
    if sep and code:
        names = _county_names()
        for name in (county.strip(), f"{county.strip()} County"):
            if canonical := names.get((code, name.lower())):
                return ServiceArea.Scope.COUNTY, f"{canonical}, {code}"
    return "", ""


@cache
def _county_names() -> dict[tuple[str, str], str]:
    # geo keeps the gazetteer; it has no public list of county names yet.
    return {(r["state"], r["county"].lower()): r["county"] for r in geo._zip_index().values()}
