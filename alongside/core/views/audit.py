"""The audit report: who did what, in words, filtered by staff member, participant and date."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.core.audit import Action, audit_record
from alongside.core.audit_words import participant_names
from alongside.core.forms import AuditFilterForm
from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.core.selectors import audit_events_for_org, audit_rows
from alongside.core.tenancy import StaffRequest, staff_required
from alongside.lib.csvsafe import safe_cell

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.http import QueryDict

# The sortable columns the table shows, by the field each sorts on.
_COLUMNS = [
    ("occurred_at", gettext_lazy("When")),
    ("actor_username", gettext_lazy("Staff member")),
    ("action", gettext_lazy("What they did")),
    ("participant_id", gettext_lazy("Participant")),
    ("ip_address", gettext_lazy("IP address")),
]
CSV_BATCH = 500


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(Role.ORG_ADMIN)
def audit_report(request: StaffRequest) -> HttpResponse:
    """A POST (which may carry a participant's name) answers with the filters' URL, names
    turned into ids; a GET shows the events those filters find."""
    organization = request.organization
    if request.method == "POST":
        form = AuditFilterForm(request.POST, organization=organization)
        if form.is_valid():
            return redirect(_report_url(form.query()))
        events = AuditEvent.objects.none()
    else:
        query = request.GET.copy()
        query.pop("participant_name", None)
        form = AuditFilterForm(query or None, organization=organization)
        filters = form.cleaned_data if form.is_valid() else {}
        events = audit_events_for_org(organization, filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    shown = form.cleaned_data.get("participant", []) if form.is_bound and not form.errors else []
    context = {
        "form": form,
        "page": page,
        "rows": audit_rows(organization, page),
        "columns": _columns(request.GET.copy(), form),
        "export_query": request.GET.urlencode(),
        "participants_shown": sorted(participant_names(organization, shown).values()),
        "any_participant_query": _without(request.GET.copy(), "participant", "page"),
        "page_query": _without(request.GET.copy(), "page"),
    }
    return render(request, "core/audit_report.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
@staff_required(Role.ORG_ADMIN)
def audit_export(request: StaffRequest) -> StreamingHttpResponse | HttpResponse:
    organization = request.organization
    query = request.GET.copy()
    query.pop("participant_name", None)
    form = AuditFilterForm(query, organization=organization)
    if query and not form.is_valid():
        return HttpResponse(_("The filters are not valid."), status=400)
    filters = form.cleaned_data if query else {}
    events = audit_events_for_org(organization, filters)
    audit_record(action=Action.EXPORT, request=request, object_type="audit_report")
    writer = csv.writer(_Echo())

    def lines(batch: list[AuditEvent]) -> Iterator[str]:
        for row in audit_rows(organization, batch):
            e = row.event
            cells = [
                e.pk,
                e.occurred_at.isoformat(),
                e.actor_username,
                e.action,
                e.object_type,
                e.object_id,
                e.participant_id,
                e.request_id,
                e.ip_address or "",
                " ".join(e.changed_fields),
                row.who,
                row.what,
                row.participant if row.participant != e.participant_id else "",
            ]
            yield writer.writerow(map(safe_cell, cells))

    def rows() -> Iterator[str]:
        yield writer.writerow(
            [
                "id",
                "occurred_at",
                "user",
                "action",
                "object_type",
                "object_id",
                "participant_id",
                "request_id",
                "ip_address",
                "changed_fields",
                "user_name",
                "description",
                "participant_name",
            ]
        )
        # Names are looked up a batch at a time: one query per batch, not per event.
        batch: list[AuditEvent] = []
        for event in events.iterator(chunk_size=CSV_BATCH):
            batch.append(event)
            if len(batch) == CSV_BATCH:
                yield from lines(batch)
                batch = []
        yield from lines(batch)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _report_url(query: QueryDict) -> str:
    url = reverse("core:audit_report")
    return f"{url}?{query.urlencode()}" if query else url


def _without(query: QueryDict, *names: str) -> str:
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _columns(query: QueryDict, form: AuditFilterForm) -> list[dict[str, str]]:
    current = (form.cleaned_data.get("sort") if form.is_bound else "") or "-occurred_at"
    query.pop("page", None)
    columns = []
    for name, label in _COLUMNS:
        query["sort"] = name if current != name else f"-{name}"
        direction = (
            "ascending" if current == name else "descending" if current == f"-{name}" else "none"
        )
        columns.append({"label": str(label), "query": query.urlencode(), "aria_sort": direction})
    return columns
