"""The reports API: ``GET /api/v1/reports/{name}?from=&to=[&suppress=1]`` (docs/reports.md).

Organization admins' and supervisors' tokens only (403 for any other role); the answer counts
the token's own organization only. ``Accept: text/csv`` answers the same CSV file as the page's
download. Running a report is audited as an export.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError

from alongside.core.api import DetailOut, ErrorsOut
from alongside.reports import exports, services
from alongside.reports.access import REPORT_ROLES
from alongside.reports.catalog import as_json, get_report
from alongside.reports.forms import LONGEST

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["reports"])
READ = {400: ErrorsOut | DetailOut, 401: DetailOut, 403: DetailOut, 404: DetailOut}
Number = int | float | str | None


class ReportQuery(Schema):
    from_: date = Field(..., alias="from", description="First day of the period (YYYY-MM-DD).")
    to: date = Field(..., description="Last day of the period, included (YYYY-MM-DD).")
    suppress: bool = Field(
        False,
        description='For a funder or the public: counts of 1 to 10 read "<11", and a cell '
        'that would give one back from a total reads "suppressed".',
    )


class RowOut(Schema):
    dimension: str
    category: str
    label: str
    measure: str
    value: Number


class MetricOut(Schema):
    metric: str
    version: int
    available: bool
    value: Number = None
    rows: list[RowOut] | None = None
    note: str | None = Field(None, description='"not available yet" when not available.')


class ReportOut(Schema):
    name: str
    version: int
    period: dict[str, str]
    suppressed: bool
    metrics: list[MetricOut]


def _error(field: str, message: str) -> ParameterError:
    return ParameterError([{"loc": ("query", field), "msg": message}])


@router.get(
    "/reports/{name}",
    response={200: ReportOut, **READ},
    summary="A report's counts for a period (JSON, or CSV with Accept: text/csv)",
)
def report_get(request: StaffRequest, name: str, params: Query[ReportQuery]) -> Any:
    if not request.membership.has_role(*REPORT_ROLES):
        raise HttpError(403, _("Reports are for organization admins and supervisors."))
    report = get_report(name)
    if report is None:
        raise HttpError(404, _("No report has this name."))
    if params.to < params.from_:
        raise _error("to", _("The end of the period comes before its start."))
    if params.to - params.from_ > LONGEST:
        raise _error("to", _("Choose a period of three years or less."))
    result = services.report_run(
        request=request,
        report=report,
        start=params.from_,
        end=params.to,
        suppressed=params.suppress,
        exported=True,
    )
    if "text/csv" in request.headers.get("Accept", ""):
        return HttpResponse(exports.as_csv(result), content_type="text/csv; charset=utf-8")
    return as_json(result)
