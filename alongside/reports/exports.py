"""A report as CSV and as a spreadsheet (``.xlsx``), byte for byte the same on every run.

Both carry the period, the report's and each metric's version, and no time of running: the
same data gives the same file. The spreadsheet's second sheet holds the definitions.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from alongside.lib.csvsafe import safe_cell
from alongside.reports.catalog import MetricResult, ReportResult
from alongside.reports.registry import METRICS, NOT_AVAILABLE, Value

COLUMNS = (
    "report",
    "report_version",
    "from",
    "to",
    "suppressed",
    "metric",
    "metric_version",
    "dimension",
    "category",
    "label",
    "measure",
    "value",
)
# The date written into the spreadsheet's own properties (created, modified) and its ZIP
# entries: a fixed one, so that two runs give the same bytes.
FIXED_TIME = datetime(2000, 1, 1)  # noqa: DTZ001 (a constant, not a moment)


def cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def table(result: ReportResult) -> list[list[str]]:
    """The report as rows of text cells, ``COLUMNS`` first."""
    head = [
        result.report.name,
        str(result.report.version),
        result.start.isoformat(),
        result.end.isoformat(),
        "yes" if result.suppressed else "no",
    ]
    rows: list[list[str]] = [list(COLUMNS)]
    for item in result.results:
        metric = [item.metric.name, str(item.metric.version)]
        if not item.available:
            rows.append(head + metric + ["", "", "", "", str(NOT_AVAILABLE)])
            continue
        rows.append(head + metric + ["total", "value", "", "value", cell(item.value)])
        for row in item.rows:
            rows.append(
                head
                + metric
                + [row.dimension, row.category, row.label, row.measure, cell(row.value)]
            )
    return rows


def as_csv(result: ReportResult) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table(result):
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _metric_definitions(results: tuple[MetricResult, ...]) -> list[list[Any]]:
    names = [item.metric.name for item in results]
    return [
        [
            METRICS[name].name,
            METRICS[name].version,
            str(METRICS[name].title),
            str(METRICS[name].definition),
            _("yes") if METRICS[name].available else str(NOT_AVAILABLE),
        ]
        for name in names
    ]


def as_xlsx(result: ReportResult) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    sheet.append([str(result.report.title)])
    sheet.append([_("Period"), result.start.isoformat(), result.end.isoformat()])
    sheet.append([_("Small counts suppressed"), _("yes") if result.suppressed else _("no")])
    sheet.append([])
    for row in table(result):
        sheet.append([safe_cell(value) for value in row])
    definitions = workbook.create_sheet(_("Definitions")[:31])
    definitions.append([_("metric"), _("version"), _("title"), _("definition"), _("available")])
    for row in _metric_definitions(result.results):
        definitions.append([safe_cell(value) for value in row])
    workbook.properties.creator = "Alongside"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_dates(raw.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same ZIP with every entry dated ``FIXED_TIME`` (zipfile stamps the time of writing)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
