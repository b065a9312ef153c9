"""Report pages, files and GPRA tracking, for organization admins and supervisors.

A report page shows counts only. The GPRA pages name participants (who is due, one person's
interview dates), so each is limited to the people the viewer may open and audited as a view.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from alongside.care.report_selectors import (
    participant_for_request_or_404,
    participant_view_audit,
)
from alongside.core.audit import audit_views
from alongside.core.forms import form_view
from alongside.core.tenancy import get_for_org_or_404, staff_required
from alongside.lib.charts import Bar, bar_chart
from alongside.reports import exports, selectors, services
from alongside.reports.access import REPORT_ROLES
from alongside.reports.catalog import REPORTS, ReportResult, get_report
from alongside.reports.demographics import DIMENSION_LABELS
from alongside.reports.forms import GpraEpisodeForm, PeriodForm, last_full_quarter, recent_quarters
from alongside.reports.gpra import followup_window, in_window
from alongside.reports.models import GpraEpisode
from alongside.reports.registry import METRICS, NOT_AVAILABLE, Report, Row

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

reports_required = staff_required(*REPORT_ROLES)

MEASURE_LABELS = {
    "participants": _("participants"),
    "enrollments": _("enrollments"),
    "discharges": _("discharges"),
    "encounters": _("encounters"),
    "hours": _("hours"),
    "sessions": _("sessions"),
    "attendances": _("attendances"),
    "attendees": _("attendees"),
    "walk_ins": _("walk-ins"),
    "referrals_made": _("referrals made"),
    "referrals_connected": _("connected"),
    "lines": _("service lines"),
    "units": _("units"),
    "amount": _("amount ($)"),
    "paid_amount": _("paid amount ($)"),
    "staff": _("staff"),
    "intakes": _("intake interviews"),
    "followups_due": _("follow-ups due"),
    "followups_in_window": _("done in the window"),
    "followups_outside_window": _("done outside the window"),
    "rate_percent": _("follow-up rate (%)"),
    "target_percent": _("target (%)"),
    "participants_with_follow_up": _("people with a follow-up"),
    "measured": _("people measured"),
    "with_follow_up": _("with a follow-up"),
    "average_change": _("average change"),
    "contacts": _("contacts"),
    "crisis_transfers": _("crisis transfers"),
    "answered": _("answered"),
    "median_wait_seconds": _("median wait (seconds)"),
}
OTHER_DIMENSIONS = {
    "total": _("All"),
    "type": _("By type"),
    "service_category": _("By service category"),
    "reason": _("By reason"),
    "status": _("By status"),
    "instrument": _("By measure"),
    "channel": _("By channel"),
    "hour": _("By hour the contact began"),
}


def _report_or_404(name: str) -> Report:
    report = get_report(name)
    if report is None:
        raise Http404
    return report


def _period(request: StaffRequest) -> tuple[PeriodForm, date, date, bool]:
    """The period the query asks for; the last full quarter when it asks for none."""
    start, end = last_full_quarter(timezone.localdate())
    if "from" not in request.GET and "to" not in request.GET:
        suppressed = request.GET.get("suppress", "") not in {"", "0"}
        initial = {"from": start, "to": end, "suppress": suppressed}
        return PeriodForm(initial=initial), start, end, suppressed
    form = PeriodForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        return form, data["from"], data["to"], bool(data["suppress"])
    return form, start, end, False


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return float(value)


def _groups(rows: tuple[Row, ...], metric_name: str) -> list[dict[str, Any]]:
    """A metric's rows as one table per dimension (categories down, measures across), each
    with a chart of its first measure."""
    by_dimension: OrderedDict[str, OrderedDict[str, dict[str, Any]]] = OrderedDict()
    measures: OrderedDict[str, list[str]] = OrderedDict()
    for row in rows:
        table = by_dimension.setdefault(row.dimension, OrderedDict())
        line = table.setdefault(row.category, {"label": row.label, "values": {}})
        line["values"][row.measure] = exports.cell(row.value)
        line.setdefault("numbers", {})[row.measure] = _number(row.value)
        found = measures.setdefault(row.dimension, [])
        if row.measure not in found:
            found.append(row.measure)
    groups = []
    for dimension, table in by_dimension.items():
        names = measures[dimension]
        label = DIMENSION_LABELS.get(dimension) or OTHER_DIMENSIONS.get(dimension, dimension)
        lines = [
            {"label": line["label"], "cells": [line["values"].get(m, "") for m in names]}
            for line in table.values()
        ]
        chart = None
        if dimension != "total" and len(table) > 1:
            first = names[0]
            chart = bar_chart(
                chart_id=f"chart-{metric_name}-{dimension}",
                title=f"{label}: {MEASURE_LABELS.get(first, first)}",
                bars=[
                    Bar(line["label"], line["numbers"].get(first), line["values"].get(first, ""))
                    for line in table.values()
                ],
            )
        groups.append(
            {
                "dimension": dimension,
                "label": label,
                "measures": [MEASURE_LABELS.get(m, m) for m in names],
                "lines": lines,
                "chart": chart,
            }
        )
    return groups


def _sections(result: ReportResult) -> list[dict[str, Any]]:
    return [
        {
            "metric": item.metric,
            "available": item.available,
            "value": exports.cell(item.value),
            "groups": _groups(item.rows, item.metric.name) if item.available else [],
        }
        for item in result.results
    ]


def _query(start: date, end: date, suppressed: bool) -> str:
    params = {"from": start.isoformat(), "to": end.isoformat()}
    if suppressed:
        params["suppress"] = "1"
    return urlencode(params)


@reports_required
def home(request: StaffRequest) -> HttpResponse:
    return render(request, "reports/home.html", {"reports": list(REPORTS.values())})


@reports_required
def definitions(request: StaffRequest) -> HttpResponse:
    metrics = sorted(METRICS.values(), key=lambda m: m.name)
    return render(
        request,
        "reports/definitions.html",
        {"metrics": metrics, "not_available": NOT_AVAILABLE},
    )


@reports_required
def report_page(request: StaffRequest, name: str) -> HttpResponse:
    report = _report_or_404(name)
    form, start, end, suppressed = _period(request)
    result = services.report_run(
        request=request, report=report, start=start, end=end, suppressed=suppressed, exported=False
    )
    today = timezone.localdate()
    quarters = [
        {"start": s, "end": e, "query": _query(s, e, suppressed)} for s, e in recent_quarters(today)
    ]
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "result": result,
            "form": form,
            "sections": _sections(result),
            "query": _query(start, end, suppressed),
            "quarters": quarters,
            "not_available": NOT_AVAILABLE,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _file(request: StaffRequest, name: str, kind: str) -> HttpResponse:
    report = _report_or_404(name)
    form, start, end, suppressed = _period(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Choose a valid period."), status=400, content_type="text/plain")
    result = services.report_run(
        request=request, report=report, start=start, end=end, suppressed=suppressed, exported=True
    )
    stem = f"{report.name}-{start.isoformat()}-{end.isoformat()}"
    if suppressed:
        stem += "-suppressed"
    if kind == "csv":
        response = HttpResponse(exports.as_csv(result), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


@reports_required
def report_csv(request: StaffRequest, name: str) -> HttpResponse:
    return _file(request, name, "csv")


@reports_required
def report_xlsx(request: StaffRequest, name: str) -> HttpResponse:
    return _file(request, name, "xlsx")


@reports_required
def gpra_due(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    due = selectors.due_this_month(request.membership, today)
    audit_views(
        request=request,
        participant_ids=[d.episode.participant_id for d in due],
        object_type="reports.gpra_due",
    )
    return render(request, "reports/gpra_due.html", {"due": due, "today": today})


@reports_required
def gpra_participant(request: StaffRequest, participant_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, participant_id)
    form = GpraEpisodeForm(request.POST or None)
    if request.method == "POST":
        # A POST answered with the page again (an error) shows the person: audit the view.
        participant_view_audit(request, participant)
    return form_view(
        request,
        form,
        save=lambda data: services.gpra_episode_create(
            participant=participant, actor=request.user, data=data
        ),
        done=lambda _episode: redirect("reports:gpra_participant", participant.pk),
        template="reports/gpra_participant.html",
        context={
            "participant": participant,
            "episodes": [(e, _window(e)) for e in selectors.episodes_of(participant)],
        },
        success=_("Saved."),
    )


def _window(episode: GpraEpisode) -> dict[str, Any]:
    return {"window": followup_window(episode.intake_on), "in_window": in_window(episode)}


@reports_required
def gpra_episode(request: StaffRequest, pk: Any) -> HttpResponse:
    episode = get_for_org_or_404(GpraEpisode, request.organization, pk=pk)
    participant = participant_for_request_or_404(request, episode.participant_id)
    if request.method == "POST":
        participant_view_audit(request, participant)
    initial = {name: getattr(episode, name) for name in services.EPISODE_FIELDS}
    form = GpraEpisodeForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.gpra_episode_update(
            episode=episode, actor=request.user, data=data
        ),
        done=lambda _changed: redirect(reverse("reports:gpra_participant", args=[participant.pk])),
        template="reports/gpra_episode.html",
        context={"participant": participant, "episode": episode, **_window(episode)},
        success=_("Saved."),
    )
