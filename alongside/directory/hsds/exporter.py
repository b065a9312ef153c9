"""Export the directory as HSDS 3.0: a tabular data package (CSV) or JSON services.

The data package holds every record (all organizations, services of any status, locations,
our taxonomy with all its terms); the JSON holds every service, fully nested, as the HSDS
API gives it. Exporting twice gives identical files: rows are ordered by id and schedule
offsets are computed for a given day (``today``).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from alongside.directory.hsds import documents as d
from alongside.directory.hsds.mapping import WRITE_ORDER
from alongside.directory.hsds.tables import TABLES
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
from alongside.lib.csvsafe import safe_cell

EXPORTED_TABLES = (*WRITE_ORDER, "metadata")


def export_tables(*, today: date | None = None) -> dict[str, list[d.Row]]:
    """Every directory record as HSDS rows, by table, ordered by id."""
    today = today or timezone.localdate()
    locations = {str(x.id): x for x in Location.objects.order_by("id")}
    sals = list(ServiceAtLocation.objects.order_by("id"))
    for sal in sals:
        sal.location = locations[str(sal.location_id)]
    sal_zone = {sal.id: sal.location.timezone_name for sal in sals}
    by_service: dict[str, list[ServiceAtLocation]] = defaultdict(list)
    for sal in sals:
        by_service[str(sal.service_id)].append(sal)
    services = list(Service.objects.order_by("id"))

    def zone(schedule: Schedule) -> str:
        if schedule.location_id:
            return locations[str(schedule.location_id)].timezone_name
        if schedule.service_at_location_id:
            return sal_zone[schedule.service_at_location_id]
        return d.service_zone(by_service.get(str(schedule.service_id), []))

    confidential = {k for k, x in locations.items() if x.address_confidential}
    addresses = list(Address.objects.order_by("id"))
    addresses_of: dict[str, list[Address]] = defaultdict(list)
    for address in addresses:
        addresses_of[str(address.location_id)].append(address)
    tables: dict[str, list[d.Row]] = {
        "organization": [d.row("organization", x) for x in Organization.objects.order_by("id")],
        "service": [d.service_row(x) for x in services],
        "location": [d.location_row(x, addresses_of[k]) for k, x in locations.items()],
        "address": [d.address_row(x, str(x.location_id) in confidential) for x in addresses],
        "service_at_location": [d.row("service_at_location", x) for x in sals],
        "schedule": [d.schedule_row(x, zone(x), today) for x in Schedule.objects.order_by("id")],
        "service_area": [d.service_area_row(x) for x in ServiceArea.objects.order_by("id")],
        "taxonomy_term": [
            d.taxonomy_term_row(x)
            for x in TaxonomyTerm.objects.select_related("taxonomy").order_by("id")
        ],
        "metadata": [r for x in services if (r := d.verification_row(x))],
    }
    simple: dict[str, Any] = {
        "contact": Contact,
        "phone": Phone,
        "language": Language,
        "cost_option": CostOption,
        "accessibility": Accessibility,
        "taxonomy": Taxonomy,
    }
    for table, model in simple.items():
        tables[table] = [d.row(table, x) for x in model.objects.order_by("id")]
    # Attributes of records that are exported; those of deleted records stay behind.
    exported = {str(r["id"]) for t, rows in tables.items() if t != "taxonomy_term" for r in rows}
    tables["attribute"] = [
        d.row("attribute", x)
        for x in Attribute.objects.order_by("id")
        if str(x.link_id) in exported
    ]
    return {t: tables[t] for t in EXPORTED_TABLES}


def _cell(value: Any) -> str:
    value = d.plain(value)
    return "" if value is None else str(value)


def _descriptor(tables: dict[str, list[d.Row]]) -> dict[str, Any]:
    resources = []
    for table in tables:
        schema = TABLES[table]
        fields = []
        for f in schema.fields:
            spec: dict[str, Any] = {"name": f.name, "type": f.type}
            if f.format:
                spec["format"] = f.format
            constraints: dict[str, Any] = {}
            if f.required and f.name not in d.MAY_BE_EMPTY.get(table, set()):
                constraints["required"] = True
            if f.enum:
                constraints["enum"] = list(f.enum)
            if constraints:
                spec["constraints"] = constraints
            fields.append(spec)
        keys = [
            {"fields": column, "reference": {"resource": target, "fields": "id"}}
            for column, target in schema.foreign_keys.items()
            if target in tables
        ]
        resources.append(
            {
                "name": table,
                "path": schema.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id", "foreignKeys": keys},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "alongside_directory",
        "title": "Alongside peer support directory",
        "description": "Open Referral HSDS 3.0 data, exported by Alongside.",
        "resources": resources,
    }


def export_csv(folder: Path, *, today: date | None = None) -> dict[str, int]:
    """Write a data package: ``datapackage.json`` and one CSV per table. Rows per table."""
    tables = export_tables(today=today)
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        fields = TABLES[table].fields
        columns = [f.name for f in fields]
        # People open these files in spreadsheets: free text that starts like a formula gets
        # a leading quote (the import takes it off again). Ids, numbers and dates never do.
        text = [f.type == "string" and not f.format and not f.enum for f in fields]
        with (folder / TABLES[table].path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(
                [
                    safe_cell(_cell(r.get(c))) if free else _cell(r.get(c))
                    for c, free in zip(columns, text, strict=True)
                ]
                for r in rows
            )
    descriptor = json.dumps(_descriptor(tables), indent=2, ensure_ascii=False)
    (folder / "datapackage.json").write_text(descriptor + "\n", encoding="utf-8")
    return {t: len(rows) for t, rows in tables.items()}


def services_json(*, today: date | None = None) -> list[d.Row]:
    """Every service (of any status), fully nested, ordered by name."""
    services = list(d.documents_queryset(Service.objects.order_by("name", "id")))
    ctx = d.context_for(services, today)
    return [d.service_document(s, ctx) for s in services]


def export_json(path: Path, *, today: date | None = None) -> int:
    """Write the JSON list of services; returns how many."""
    services = services_json(today=today)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(services, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(services)
