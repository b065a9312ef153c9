"""The HSDS 3.0 tables, fields and references: the tabular data package's schema, as data.

Generated from the ``datapackage.json`` of HSDS 3.0 (Open Referral, CC BY-SA 4.0).
A field is ``(name, type, format, required, enum)``; ``type`` is the data package's
(string, number, date, time, datetime); ``foreign_keys`` are the references it declares.
Regenerate rather than edit by hand when HSDS publishes a new 3.x schema.
"""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    name: str
    type: str
    format: str
    required: bool
    enum: tuple[str, ...]


class Table(NamedTuple):
    name: str
    path: str
    fields: tuple[Field, ...]
    foreign_keys: dict[str, str]  # column -> table it refers to

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _f(
    name: str,
    type: str = "string",
    format: str = "",
    required: bool = False,
    enum: tuple[str, ...] = (),
) -> Field:
    return Field(name, type, format, required, enum)


TABLES: dict[str, Table] = {
    "organization": Table(
        "organization",
        "organizations.csv",
        (
            _f("id", format="uuid", required=True),
            _f("name", required=True),
            _f("alternate_name"),
            _f("description", required=True),
            _f("email", format="email"),
            _f("website", format="uri"),
            _f("tax_status"),
            _f("tax_id"),
            _f("year_incorporated", type="number"),
            _f("legal_status"),
            _f("logo"),
            _f("uri", format="uri"),
            _f("parent_organization_id", format="uuid"),
        ),
        {},
    ),
    "program": Table(
        "program",
        "programs.csv",
        (
            _f("id", format="uuid", required=True),
            _f("organization_id", format="uuid", required=True),
            _f("name", required=True),
            _f("alternate_name"),
            _f("description", required=True),
        ),
        {"organization_id": "organization"},
    ),
    "service": Table(
        "service",
        "services.csv",
        (
            _f("id", format="uuid", required=True),
            _f("organization_id", format="uuid", required=True),
            _f("program_id", format="uuid"),
            _f("name", required=True),
            _f("alternate_name"),
            _f("description"),
            _f("url", format="uri"),
            _f("email", format="email"),
            _f(
                "status",
                required=True,
                enum=("active", "inactive", "defunct", "temporarily closed"),
            ),
            _f("interpretation_services"),
            _f("application_process"),
            _f("fees_description"),
            _f("wait_time"),
            _f("fees"),
            _f("accreditations"),
            _f("eligibility_description"),
            _f("minimum_age", type="number"),
            _f("maximum_age", type="number"),
            _f("assured_date", type="date"),
            _f("assurer_email", format="email"),
            _f("licenses"),
            _f("alert"),
            _f("last_modified", type="datetime"),
        ),
        {"organization_id": "organization", "program_id": "program"},
    ),
    "attribute": Table(
        "attribute",
        "attributes.csv",
        (
            _f("id", format="uuid", required=True),
            _f("link_id", format="uuid", required=True),
            _f("taxonomy_term_id", format="uuid", required=True),
            _f("link_type"),
            _f("link_entity", required=True),
            _f("value"),
        ),
        {"taxonomy_term_id": "taxonomy_term"},
    ),
    "service_at_location": Table(
        "service_at_location",
        "service_at_location.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid", required=True),
            _f("location_id", format="uuid", required=True),
            _f("description"),
        ),
        {"service_id": "service", "location_id": "location"},
    ),
    "location": Table(
        "location",
        "locations.csv",
        (
            _f("id", format="uuid", required=True),
            _f("location_type", required=True, enum=("physical", "postal", "virtual")),
            _f("url", format="uri"),
            _f("organization_id", format="uuid"),
            _f("name"),
            _f("alternate_name"),
            _f("description"),
            _f("transportation"),
            _f("latitude", type="number"),
            _f("longitude", type="number"),
            _f("external_identifier"),
            _f("external_identifier_type"),
        ),
        {"organization_id": "organization"},
    ),
    "phone": Table(
        "phone",
        "phones.csv",
        (
            _f("id", format="uuid", required=True),
            _f("location_id", format="uuid"),
            _f("service_id", format="uuid"),
            _f("organization_id", format="uuid"),
            _f("contact_id", format="uuid"),
            _f("service_at_location_id", format="uuid"),
            _f("number", required=True),
            _f("extension", type="number"),
            _f("type"),
            _f("description"),
        ),
        {
            "contact_id": "contact",
            "location_id": "location",
            "organization_id": "organization",
            "service_id": "service",
            "service_at_location_id": "service_at_location",
        },
    ),
    "contact": Table(
        "contact",
        "contacts.csv",
        (
            _f("id", format="uuid", required=True),
            _f("organization_id", format="uuid"),
            _f("service_id", format="uuid"),
            _f("service_at_location_id", format="uuid"),
            _f("location_id", format="uuid"),
            _f("name"),
            _f("title"),
            _f("department"),
            _f("email", format="email"),
        ),
        {
            "location_id": "location",
            "organization_id": "organization",
            "service_id": "service",
            "service_at_location_id": "service_at_location",
        },
    ),
    "address": Table(
        "address",
        "addresses.csv",
        (
            _f("id", format="uuid", required=True),
            _f("location_id", format="uuid"),
            _f("attention"),
            _f("address_1", required=True),
            _f("address_2"),
            _f("city", required=True),
            _f("region"),
            _f("state_province", required=True),
            _f("postal_code", required=True),
            _f("country", required=True),
            _f("address_type", required=True, enum=("physical", "postal", "virtual")),
        ),
        {"location_id": "location"},
    ),
    "schedule": Table(
        "schedule",
        "schedules.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid"),
            _f("location_id", format="uuid"),
            _f("service_at_location_id", format="uuid"),
            _f("valid_from", type="date"),
            _f("valid_to", type="date"),
            _f("dtstart", type="date"),
            _f("timezone", type="number"),
            _f("until", type="date"),
            _f("count", type="number"),
            _f("wkst", enum=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
            _f("freq", enum=("WEEKLY", "MONTHLY")),
            _f("interval", type="number"),
            _f("byday"),
            _f("byweekno"),
            _f("bymonthday"),
            _f("byyearday"),
            _f("description"),
            _f("opens_at", type="time"),
            _f("closes_at", type="time"),
            _f("schedule_link", format="uri"),
            _f("attending_type"),
            _f("notes"),
        ),
        {
            "location_id": "location",
            "service_id": "service",
            "service_at_location_id": "service_at_location",
        },
    ),
    "funding": Table(
        "funding",
        "funding.csv",
        (
            _f("id", format="uuid", required=True),
            _f("organization_id", format="uuid"),
            _f("service_id", format="uuid"),
            _f("source"),
        ),
        {"organization_id": "organization", "service_id": "service"},
    ),
    "service_area": Table(
        "service_area",
        "service_areas.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid"),
            _f("name"),
            _f("description"),
            _f("extent"),
            _f("extent_type"),
            _f("uri"),
        ),
        {"service_id": "service"},
    ),
    "required_document": Table(
        "required_document",
        "required_documents.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid"),
            _f("document"),
            _f("uri", format="uri"),
        ),
        {"service_id": "service"},
    ),
    "language": Table(
        "language",
        "languages.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid"),
            _f("location_id", format="uuid"),
            _f("phone_id", format="uuid"),
            _f("name"),
            _f("code"),
            _f("note"),
        ),
        {"location_id": "location", "phone_id": "phone", "service_id": "service"},
    ),
    "accessibility": Table(
        "accessibility",
        "accessibility.csv",
        (
            _f("id", format="uuid", required=True),
            _f("location_id", format="uuid"),
            _f("description"),
            _f("details"),
            _f("url", format="uri"),
        ),
        {"location_id": "location"},
    ),
    "taxonomy_term": Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        (
            _f("id", format="uuid", required=True),
            _f("code"),
            _f("name", required=True),
            _f("description", required=True),
            _f("parent_id", format="uuid"),
            _f("taxonomy"),
            _f("language"),
            _f("taxonomy_id", format="uuid"),
            _f("term_uri", format="uri"),
        ),
        {"taxonomy_id": "taxonomy"},
    ),
    "metadata": Table(
        "metadata",
        "metadata.csv",
        (
            _f("id", format="uuid", required=True),
            _f("resource_id", format="uuid", required=True),
            _f("resource_type", required=True),
            _f("last_action_date", type="date", required=True),
            _f("last_action_type", required=True),
            _f("field_name", required=True),
            _f("previous_value", required=True),
            _f("replacement_value", required=True),
            _f("updated_by", required=True),
        ),
        {},
    ),
    "meta_table_description": Table(
        "meta_table_description",
        "meta_table_descriptions.csv",
        (
            _f("id", format="uuid", required=True),
            _f("name"),
            _f("language"),
            _f("character_set"),
        ),
        {},
    ),
    "cost_option": Table(
        "cost_option",
        "cost_options.csv",
        (
            _f("id", format="uuid", required=True),
            _f("service_id", format="uuid", required=True),
            _f("valid_from", type="date"),
            _f("valid_to", type="date"),
            _f("option"),
            _f("currency"),
            _f("amount", type="number"),
            _f("amount_description"),
        ),
        {"service_id": "service"},
    ),
    "organization_identifier": Table(
        "organization_identifier",
        "organization_identifiers.csv",
        (
            _f("id", format="uuid", required=True),
            _f("organization_id", format="uuid", required=True),
            _f("identifier_scheme"),
            _f("identifier_type", required=True),
            _f("identifier", required=True),
        ),
        {"organization_id": "organization"},
    ),
    "taxonomy": Table(
        "taxonomy",
        "taxonomies.csv",
        (
            _f("id", format="uuid", required=True),
            _f("name", required=True),
            _f("description", required=True),
            _f("uri", format="uri"),
            _f("version"),
        ),
        {},
    ),
}
