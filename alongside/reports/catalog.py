"""The reports, and running one for a period: metric by metric, suppressed if asked.

Running is read-only and gives the same answer for the same data: metrics come in the
report's order, rows in each metric's fixed order, and nothing in the answer says when it
was run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from alongside.reports import metrics as metrics  # registers the metrics
from alongside.reports.registry import (
    METRICS,
    NOT_AVAILABLE,
    REPORTS,
    Computed,
    Context,
    Metric,
    Report,
    Row,
    Value,
    register_report,
)
from alongside.reports.suppression import suppress

register_report(
    Report(
        name="quarterly",
        version=1,
        title=_("Quarterly program report"),
        description=_(
            "What state contracts and federal grants ask for each quarter: people served, "
            "enrollments and discharges, services, groups, recovery measures, referrals, the "
            "warm line, billing, staff credentials and GPRA follow-ups."
        ),
        metrics=(
            "participants_served",
            "enrollments_new",
            "discharges_by_reason",
            "encounters_by_type",
            "encounters_by_service_category",
            "group_activity",
            "recovery_measures",
            "referrals",
            "warmline_contacts",
            "warmline_crisis_transfers",
            "warmline_median_wait",
            "billing_units",
            "staff_credentials",
            "gpra_followups",
        ),
    )
)
register_report(
    Report(
        name="gpra",
        version=1,
        title=_("GPRA follow-ups"),
        description=_(
            "For programs funded by SAMHSA grants: intake interviews, 6-month follow-ups due, "
            "and the follow-up rate counting only interviews inside the window."
        ),
        metrics=("gpra_followups",),
    )
)


@dataclass(frozen=True)
class MetricResult:
    metric: Metric
    available: bool
    value: Value = None
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class ReportResult:
    report: Report
    start: date
    end: date
    suppressed: bool
    results: tuple[MetricResult, ...]


def run_report(report: Report, start: date, end: date, *, suppressed: bool) -> ReportResult:
    """Compute every metric of ``report`` for ``start``..``end`` (inside a scope)."""
    context = Context(start, end)
    results = []
    for name in report.metrics:
        metric = METRICS[name]
        if not metric.available or metric.compute is None:
            results.append(MetricResult(metric, available=False))
            continue
        computed: Computed = metric.compute(context)
        if suppressed:
            computed = suppress(computed)
        results.append(MetricResult(metric, True, computed.value, tuple(computed.rows)))
    return ReportResult(report, start, end, suppressed, tuple(results))


def json_value(value: Value) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def as_json(result: ReportResult) -> dict[str, Any]:
    """The API's answer: ``{name, version, period, metrics: [{metric, version, value|rows}]}``."""
    out = []
    for item in result.results:
        entry: dict[str, Any] = {
            "metric": item.metric.name,
            "version": item.metric.version,
            "available": item.available,
        }
        if item.available:
            entry["value"] = json_value(item.value)
            entry["rows"] = [
                {
                    "dimension": row.dimension,
                    "category": row.category,
                    "label": row.label,
                    "measure": row.measure,
                    "value": json_value(row.value),
                }
                for row in item.rows
            ]
        else:
            entry["note"] = str(NOT_AVAILABLE)
        out.append(entry)
    return {
        "name": result.report.name,
        "version": result.report.version,
        "period": {"from": result.start.isoformat(), "to": result.end.isoformat()},
        "suppressed": result.suppressed,
        "metrics": out,
    }


def get_report(name: str) -> Report | None:
    return REPORTS.get(name)
