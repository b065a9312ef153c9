"""HSDS records out of the directory: one row per table row, and the nested JSON of a service.

The exporter (CSV and JSON) and the HSDS API both build on these, so an export and the API
say the same thing. Two rules hold everywhere: a confidential address leaves only as its
town (the town's first ZIP code, and the middle of the town for coordinates), and a schedule
row carries the UTC offset of its location's named zone on the row's date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from alongside.directory import geo
from alongside.directory.geo import Place
from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.tables import TABLES
from alongside.directory.models import (
    Address,
    Attribute,
    Contact,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

Row = dict[str, Any]

# Columns HSDS requires that Alongside may leave empty (it accepts them empty on import).
MAY_BE_EMPTY = {
    "organization": {"description"},
    "taxonomy": {"description"},
    "metadata": {"previous_value", "replacement_value", "updated_by"},
}


def plain(value: Any) -> Any:
    """A JSON-ready value: ids and dates as text, amounts as numbers."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def compact(table: str, row: Row) -> Row:
    """The row for JSON: empty optional values left out, required ones always present."""
    fields = TABLES[table].fields
    required = {f.name for f in fields if f.required}
    order = [f.name for f in fields if f.name in row]
    out = {}
    for name in order:
        value = row[name]
        if value is None or (value == "" and name not in required):
            continue
        out[name] = plain(value)
    return out


def _stored(table: str, obj: Any) -> Row:
    return {column: getattr(obj, attr) for column, attr in m.MAPPINGS[table].columns.items()}


# --- rows -----------------------------------------------------------------------------------


def service_row(service: Service) -> Row:
    row = _stored("service", service)
    row["last_modified"] = service.last_modified
    return row


def _town(address: Address) -> Place | None:
    return geo.town_of_address(address.city, address.state_province, address.postal_code)


def location_row(location: Location, addresses: Iterable[Address] = ()) -> Row:
    """A location; one with a confidential address is placed at the middle of the town of
    the first of ``addresses`` that the gazetteer knows, or nowhere."""
    row = _stored("location", location)
    if location.address_confidential:
        town = next((t for a in by_id(addresses) if (t := _town(a))), None)
        row["latitude"] = town.latitude if town else None
        row["longitude"] = town.longitude if town else None
    return row


def address_row(address: Address, confidential: bool) -> Row:
    row = _stored("address", address)
    if confidential:
        # Only the town leaves: the street, its second line, the recipient and the region
        # stay, and the ZIP code is the town's first (kept when the gazetteer lacks the town).
        row.update(address_1=m.CONFIDENTIAL_STREET, address_2="", attention="", region="")
        if town := _town(address):
            row["postal_code"] = town.postal_code
    return row


def schedule_row(schedule: Schedule, zone: str, today: date) -> Row:
    row = _stored("schedule", schedule)
    if schedule.closed:
        # A holiday: a dated row without hours (HSDS has no "closed").
        row["opens_at"] = row["closes_at"] = None
    day = schedule.valid_from or today
    offset = m.offset_hours(zone, day, schedule.opens_at)
    row["timezone"] = int(offset) if offset == int(offset) else offset
    return row


def service_area_row(area: ServiceArea) -> Row:
    row = _stored("service_area", area)
    if area.scope and not area.extent:
        row["extent_type"], row["extent"] = "text", area.value
    return row


def taxonomy_term_row(term: TaxonomyTerm) -> Row:
    row = _stored("taxonomy_term", term)
    row["taxonomy"] = term.taxonomy.name if term.taxonomy else ""
    return row


def verification_row(service: Service) -> Row | None:
    """Who verified the listing, when and how, as one HSDS metadata row."""
    if service.verified_on is None:
        return None
    return {
        "id": m.verification_metadata_id(service.id),
        "resource_id": service.id,
        "resource_type": "service",
        "last_action_date": service.verified_on,
        "last_action_type": m.VERIFY_ACTION,
        "field_name": m.VERIFY_FIELD,
        "previous_value": "",
        "replacement_value": service.verification_method,
        "updated_by": service.verified_by,
    }


def row(table: str, obj: Any) -> Row:
    """The row of a table whose columns are all stored as they are."""
    return _stored(table, obj)


# --- time zones -----------------------------------------------------------------------------


def service_zone(sals: Iterable[ServiceAtLocation]) -> str:
    """The zone a service's own hours are read in: its first physical location's, as on the
    listing page; a service met only by phone or online uses the deployment's zone."""
    for sal in sorted(sals, key=lambda s: str(s.id)):
        if sal.location.location_type != Location.LocationType.VIRTUAL:
            return sal.location.timezone_name
    return m.default_zone()


# --- nested JSON ----------------------------------------------------------------------------


@dataclass
class Context:
    today: date = field(default_factory=timezone.localdate)
    attributes: dict[str, list[Attribute]] = field(default_factory=dict)
    # The public API leaves out who verified a listing (a staff member's user name).
    public: bool = False


def documents_queryset(services: QuerySet[Service]) -> QuerySet[Service]:
    """``services`` with everything a nested document needs, in a fixed number of queries."""
    return services.select_related("organization").prefetch_related(
        "organization__phones__languages",
        "organization__contacts__phones__languages",
        "phones__languages",
        "contacts__phones__languages",
        "service_at_locations__contacts__phones__languages",
        "service_at_locations__location__contacts__phones__languages",
        "schedules",
        "service_areas",
        "languages",
        "cost_options",
        "service_at_locations__schedules",
        "service_at_locations__location__addresses",
        "service_at_locations__location__accessibility",
        "service_at_locations__location__phones__languages",
        "service_at_locations__location__languages",
        "service_at_locations__location__schedules",
    )


def attributes_for(ids: Iterable[Any]) -> dict[str, list[Attribute]]:
    found: dict[str, list[Attribute]] = defaultdict(list)
    rows = Attribute.objects.filter(link_id__in=list(ids)).select_related("taxonomy_term__taxonomy")
    for attribute in rows.order_by("id"):
        found[str(attribute.link_id)].append(attribute)
    return found


def context_for(
    services: list[Service], today: date | None = None, public: bool = False
) -> Context:
    """The attributes of these (prefetched) services and of their locations: one query."""
    ids: set[Any] = set()
    for service in services:
        ids.add(service.id)
        ids |= {sal.location_id for sal in service.service_at_locations.all()}
    return Context(today or timezone.localdate(), attributes_for(ids), public)


def by_id(items: Iterable[Any]) -> list[Any]:
    return sorted(items, key=lambda i: str(i.id))


def add_list(doc: Row, key: str, items: list[Row]) -> Row:
    """Nest ``items`` under ``key``, unless there are none."""
    if items:
        doc[key] = items
    return doc


def _rows(table: str, items: Iterable[Any]) -> list[Row]:
    return [compact(table, row(table, x)) for x in by_id(items)]


def term_document(term: TaxonomyTerm) -> Row:
    doc = compact("taxonomy_term", taxonomy_term_row(term))
    if term.taxonomy is not None:
        doc["taxonomy_detail"] = compact("taxonomy", row("taxonomy", term.taxonomy))
    return doc


def attribute_documents(attributes: list[Attribute]) -> list[Row]:
    return [
        {
            **compact("attribute", row("attribute", a)),
            "taxonomy_term": term_document(a.taxonomy_term),
        }
        for a in attributes
    ]


def phone_document(phone: Phone) -> Row:
    doc = compact("phone", row("phone", phone))
    return add_list(doc, "languages", _rows("language", phone.languages.all()))


def phone_documents(phones: Iterable[Phone]) -> list[Row]:
    return [phone_document(p) for p in by_id(phones)]


def contact_documents(contacts: Iterable[Contact]) -> list[Row]:
    return [
        add_list(compact("contact", row("contact", c)), "phones", phone_documents(c.phones.all()))
        for c in by_id(contacts)
    ]


def schedule_documents(schedules: Iterable[Schedule], zone: str, ctx: Context) -> list[Row]:
    return [compact("schedule", schedule_row(s, zone, ctx.today)) for s in by_id(schedules)]


def location_document(location: Location, ctx: Context, nested: bool = True) -> Row:
    doc = compact("location", location_row(location, location.addresses.all()))
    if not nested:
        return doc
    hidden = location.address_confidential
    addresses = [
        compact("address", address_row(a, hidden)) for a in by_id(location.addresses.all())
    ]
    add_list(doc, "addresses", addresses)
    add_list(doc, "accessibility", _rows("accessibility", location.accessibility.all()))
    add_list(doc, "phones", phone_documents(location.phones.all()))
    add_list(doc, "contacts", contact_documents(location.contacts.all()))
    add_list(doc, "languages", _rows("language", location.languages.all()))
    schedules = schedule_documents(location.schedules.all(), location.timezone_name, ctx)
    add_list(doc, "schedules", schedules)
    attributes = attribute_documents(ctx.attributes.get(str(location.id), []))
    return add_list(doc, "attributes", attributes)


def service_at_location_document(sal: ServiceAtLocation, ctx: Context) -> Row:
    doc = compact("service_at_location", row("service_at_location", sal))
    schedules = schedule_documents(sal.schedules.all(), sal.location.timezone_name, ctx)
    add_list(doc, "schedules", schedules)
    add_list(doc, "contacts", contact_documents(sal.contacts.all()))
    doc["location"] = location_document(sal.location, ctx)
    return doc


def organization_document(service: Service) -> Row:
    organization = service.organization
    doc = compact("organization", row("organization", organization))
    add_list(doc, "phones", phone_documents(organization.phones.all()))
    return add_list(doc, "contacts", contact_documents(organization.contacts.all()))


def service_document(service: Service, ctx: Context) -> Row:
    """One service with everything about it, in the shape of HSDS ``compiled/service.json``."""
    sals = by_id(service.service_at_locations.all())
    doc = compact("service", service_row(service))
    doc["organization"] = organization_document(service)
    add_list(doc, "phones", phone_documents(service.phones.all()))
    add_list(doc, "contacts", contact_documents(service.contacts.all()))
    add_list(doc, "schedules", schedule_documents(service.schedules.all(), service_zone(sals), ctx))
    areas = [
        compact("service_area", service_area_row(a)) for a in by_id(service.service_areas.all())
    ]
    add_list(doc, "service_areas", areas)
    add_list(doc, "service_at_locations", [service_at_location_document(s, ctx) for s in sals])
    add_list(doc, "languages", _rows("language", service.languages.all()))
    add_list(doc, "cost_options", _rows("cost_option", service.cost_options.all()))
    add_list(doc, "attributes", attribute_documents(ctx.attributes.get(str(service.id), [])))
    verified = None if ctx.public else verification_row(service)
    return add_list(doc, "metadata", [compact("metadata", verified)] if verified else [])


def service_list_document(service: Service) -> Row:
    """A service's own fields and its organization's: the shape of a page of ``/services``."""
    doc = compact("service", service_row(service))
    doc["organization"] = compact("organization", row("organization", service.organization))
    return doc


def organization_with_services(organization: Any, services: list[Service]) -> Row:
    """An organization, its phones and its (already filtered) services' own fields."""
    doc = compact("organization", row("organization", organization))
    add_list(doc, "phones", phone_documents(organization.phones.all()))
    add_list(doc, "contacts", contact_documents(organization.contacts.all()))
    doc["services"] = [compact("service", service_row(s)) for s in services]
    return doc
