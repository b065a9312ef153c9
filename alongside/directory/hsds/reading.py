"""Reading HSDS input into flat records, one per table row, each knowing where it came from.

A tabular data package gives one record per CSV row ("services.csv row 2", the header being
row 1). JSON in the API's shape is flattened: every nested object becomes a record of its
table ("service_full.json $.service_at_locations[0].location"), and the nesting itself
supplies the links (a phone under a service gets that service's id).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from alongside.directory.hsds.mapping import MAPPINGS, NESTED
from alongside.directory.hsds.tables import TABLES

ERROR = "error"
WARNING = "warning"

# The longest value a CSV cell may hold (the csv module's own limit), held for JSON too: a
# description of many megabytes would otherwise be kept and served as a page that size.
LONGEST_VALUE = 131_072
# HSDS nests records a few levels deep (organization, service, place, phone, language...);
# deeper than this is not HSDS, and unbounded depth would exhaust Python's stack.
DEEPEST_NESTING = 20


class Where(NamedTuple):  # a tuple: one is made for every row read, twice
    file: str
    at: str = ""  # "row 2", "header", or a JSON path such as "$[0].phones[1]"

    def describe(self, field: str = "") -> str:
        if self.at.startswith("$"):
            return f"{self.file} {self.at}.{field}" if field else f"{self.file} {self.at}"
        text = f"{self.file} {self.at}".strip()
        return f"{text}, {field}" if field else text


@dataclass(frozen=True)
class Problem:
    level: str
    where: Where
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where.describe(self.field)}: {self.message}"


@dataclass
class Problems:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # What the input holds that Alongside does not keep: "service.wait_time", "contact", …
    ignored: set[str] = field(default_factory=set)

    def error(self, where: Where, field: str, message: str) -> None:
        self.errors.append(Problem(ERROR, where, field, message))

    def warning(self, where: Where, field: str, message: str) -> None:
        self.warnings.append(Problem(WARNING, where, field, message))


@dataclass(slots=True)
class RawRecord:
    table: str
    values: dict[str, Any]  # as read: CSV text (empty cells left out) or JSON values
    where: Where
    # Links the JSON nesting implies, e.g. {"service_id": "<the enclosing service>"}.
    implied: dict[str, Any] = field(default_factory=dict)
    from_csv: bool = False


# --- Tabular data package -------------------------------------------------------------------


def _resources(folder: Path, problems: Problems) -> list[tuple[str, str]]:
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        problems.warning(
            Where("datapackage.json"), "", "missing; reading the standard HSDS file names"
        )
        return [(t, TABLES[t].path) for t in MAPPINGS if (folder / TABLES[t].path).exists()]
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.error(Where("datapackage.json"), "", f"cannot be read: {exc}")
        return []
    except RecursionError:
        problems.error(Where("datapackage.json"), "", "is nested too deeply to read")
        return []
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        problems.error(Where("datapackage.json"), "resources", "must be a list of resources")
        return []
    found = []
    for i, resource in enumerate(resources):
        where = Where("datapackage.json", f"$.resources[{i}]")
        name = resource.get("name") if isinstance(resource, dict) else None
        path = resource.get("path") if isinstance(resource, dict) else None
        if name not in TABLES:
            problems.ignored.add(str(name))
            continue
        if name not in MAPPINGS:
            problems.ignored.add(name)
            continue
        relative = PurePosixPath(path) if isinstance(path, str) else None
        if relative is None or relative.is_absolute() or ".." in relative.parts:
            problems.error(where, "path", "must be a file name inside the package")
            continue
        found.append((name, str(relative)))
    return found


def package_files(folder: Path, problems: Problems) -> dict[str, Path]:
    """The CSV file of each table we read, by table; errors for files that are not there."""
    files = {}
    for table, relative in _resources(folder, problems):
        path = folder / relative
        if not path.is_file():
            problems.error(Where(relative), "", "listed in datapackage.json but missing")
            continue
        files[table] = path
    return files


def csv_records(folder: Path, path: Path, table: str, problems: Problems) -> Iterator[RawRecord]:
    """The rows of one table's CSV file, one at a time; read again for each pass."""
    label = path.relative_to(folder).as_posix()
    try:
        yield from _read_csv(path, label, table, problems)
    except UnicodeDecodeError:
        problems.error(Where(label), "", "is not UTF-8 text")
    except csv.Error as exc:
        problems.error(Where(label), "", f"is not valid CSV: {exc}")


def _read_csv(path: Path, label: str, table: str, problems: Problems) -> Iterator[RawRecord]:
    schema, read = TABLES[table], MAPPINGS[table].read
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        header_at = Where(label, "header")
        for name in {n for n in header if header.count(n) > 1}:
            problems.error(header_at, name, "column appears twice")
        for f in schema.fields:
            if f.required and f.name not in header and table != "metadata":
                problems.error(header_at, f.name, "required column is missing")
        # As csv.DictReader would: the last of two columns of one name wins.
        wanted = list({n: i for i, n in enumerate(header) if n in read}.items())
        names = [n for n, _ in wanted]
        cells_of = itemgetter(*[i for _, i in wanted]) if len(wanted) > 1 else None
        unread = {i: n for i, n in enumerate(header) if n not in read}
        width, number = len(header), 1
        for row in reader:
            if not row:
                continue  # a blank line is not a row (nor counted as one)
            number += 1
            where = Where(label, f"row {number}")
            if len(row) > width:
                problems.error(where, "", "has more cells than the header has columns")
            cells = len(row)
            if cells >= width and cells_of is not None:
                values = {n: v for n, v in zip(names, cells_of(row), strict=True) if v}
            else:
                values = {n: row[i] for n, i in wanted if i < cells and row[i]}
            yield RawRecord(table, values, where, from_csv=True)
            if unread:
                for i in [i for i in unread if i < cells and row[i]]:
                    # Only columns that hold something are worth reporting as not kept.
                    name = unread.pop(i)
                    known = schema.field(name) is not None
                    problems.ignored.add(f"{table}.{name}" if known else f"{label}:{name}")


# --- JSON -----------------------------------------------------------------------------------


def read_json(path: Path, problems: Problems) -> list[RawRecord]:
    label = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(Where(label), "", f"cannot be read: {exc}")
        return []
    except json.JSONDecodeError as exc:
        problems.error(Where(label), "", f"is not valid JSON: {exc}")
        return []
    except RecursionError:
        problems.error(Where(label), "", "is nested too deeply to read")
        return []
    if isinstance(data, list):
        items = [(f"$[{i}]", item) for i, item in enumerate(data)]
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = [(f"$.contents[{i}]", item) for i, item in enumerate(data["contents"])]
    elif isinstance(data, dict):
        items = [("$", data)]
    else:
        problems.error(Where(label, "$"), "", "expected a service, a list of them or a page")
        return []
    records: list[RawRecord] = []
    for at, item in items:
        _flatten(_kind_of(item), item, Where(label, at), {}, records, problems)
    return records


_ORGANIZATION_ONLY = {"services", "locations", "programs", "organization_identifiers", "website"}


def _kind_of(item: Any) -> str:
    """Services are expected; a service_at_location or an organization is recognised too."""
    if not isinstance(item, dict) or "status" in item:
        return "service"
    if isinstance(item.get("location"), dict) or isinstance(item.get("service"), dict):
        return "service_at_location"
    if _ORGANIZATION_ONLY & set(item):
        return "organization"
    return "service"


def _flatten(
    table: str,
    obj: Any,
    where: Where,
    implied: dict[str, Any],
    records: list[RawRecord],
    problems: Problems,
    depth: int = 1,
) -> None:
    if not isinstance(obj, dict):
        problems.error(where, "", "expected an object")
        return
    if depth > DEEPEST_NESTING:
        problems.error(where, "", f"is nested more than {DEEPEST_NESTING} records deep")
        return
    nests, read = NESTED.get(table, {}), MAPPINGS[table].read
    values = {}
    for key, value in obj.items():
        if key in nests:
            continue
        if key in read:
            if isinstance(value, str) and len(value) > LONGEST_VALUE:
                problems.error(where, key, f"is longer than {LONGEST_VALUE} characters")
            values[key] = value
        elif value not in (None, "", [], {}):
            problems.ignored.add(f"{table}.{key[:100]}")
    record = RawRecord(table, values, where, {k: v for k, v in implied.items() if v})
    records.append(record)
    own_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    for key, (child_table, many, link) in nests.items():
        children = obj.get(key)
        if children is None:
            continue
        at = f"{where.at}.{key}"
        if many and not isinstance(children, list):
            problems.error(Where(where.file, at), "", "expected a list")
            continue
        items = [(f"{at}[{i}]", c) for i, c in enumerate(children)] if many else [(at, children)]
        for child_at, child in items:
            child_implied: dict[str, Any] = {}
            if link == "link":
                child_implied = {"link_id": own_id, "link_entity": table}
            elif link == "resource":
                child_implied = {"resource_id": own_id, "resource_type": table}
            elif link[0] == "child":
                child_implied = {link[1]: own_id}
            elif isinstance(child, dict) and isinstance(child.get("id"), str):
                record.implied[link[1]] = child["id"]
            _flatten(
                child_table,
                child,
                Where(where.file, child_at),
                child_implied,
                records,
                problems,
                depth + 1,
            )
