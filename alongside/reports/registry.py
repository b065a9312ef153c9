"""The metric registry: each number a report gives, defined once, with a version.

A metric has a name, a version, a plain-language definition (who is counted, when, what is
left out) and the function that computes it for a period. A report is a named, versioned
list of metrics. Changing what a metric counts means a new version and a new definition,
never a silent change: ``tests/test_registry.py`` holds a fingerprint of every definition.

A metric may need an app that is not installed yet (``requires``): it is still listed with
its definition, and every report shows it as not available yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Value = int | Decimal | str | None


@dataclass(frozen=True)
class Row:
    """One cell: ``measure`` of the people or things in ``category`` of ``dimension``.

    ``count`` marks counts of people or events, which suppression hides when small; the
    other measures (hours, units, amounts, percentages) are hidden with them.
    """

    dimension: str
    category: str
    label: str
    measure: str
    value: Value
    count: bool = True


@dataclass(frozen=True)
class Computed:
    value: Value
    rows: list[Row] = field(default_factory=list)
    # Whether ``value`` is a count (suppressed when small) or a sum, a median, a percentage.
    value_is_count: bool = True


class Context:
    """The period a report runs for, and the reads its metrics share (each made once)."""

    def __init__(self, start: date, end: date) -> None:
        self.start = start
        self.end = end
        self._kept: dict[str, Any] = {}

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]


@dataclass(frozen=True)
class Metric:
    name: str
    version: int
    title: str | Promise
    definition: str | Promise
    compute: Callable[[Context], Computed] | None
    # The app whose records it counts, when that app may not be installed.
    requires: str = ""

    @property
    def available(self) -> bool:
        return self.compute is not None and (not self.requires or apps.is_installed(self.requires))

    @property
    def key(self) -> str:
        return f"{self.name} v{self.version}"


@dataclass(frozen=True)
class Report:
    name: str
    version: int
    title: str | Promise
    description: str | Promise
    metrics: tuple[str, ...]


METRICS: dict[str, Metric] = {}
REPORTS: dict[str, Report] = {}


def register(metric: Metric) -> Metric:
    if metric.name in METRICS:
        raise ValueError(f"Metric {metric.name} is registered twice.")
    METRICS[metric.name] = metric
    return metric


def register_report(report: Report) -> Report:
    unknown = [name for name in report.metrics if name not in METRICS]
    if unknown:
        raise ValueError(f"Report {report.name} names unknown metrics: {unknown}")
    REPORTS[report.name] = report
    return report


NOT_AVAILABLE = _("not available yet")
