from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.core.audit import Action, audit_record
from alongside.core.forms import SORTABLE, AuditFilterForm
from alongside.core.landing import ROLES_WITHOUT_PAGES
from alongside.core.roles import Role
from alongside.core.selectors import audit_events_for_org
from alongside.core.tenancy import (
    StaffRequest,
    memberships_for,
    staff_required,
    switch_organization,
)
from alongside.lib.csvsafe import safe_cell

if TYPE_CHECKING:
    from collections.abc import Iterator


@staff_required()
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "core/staff_home.html",
        {
            "memberships": memberships_for(request.user),
            "role_pages_missing": [
                role for role in ROLES_WITHOUT_PAGES if request.membership.has_role(role)
            ],
        },
    )


@require_POST
@staff_required()
def organization_switch(request: StaffRequest) -> HttpResponse:
    membership = switch_organization(request, request.POST.get("organization", ""))
    messages.success(
        request, _("You are now working in %(org)s.") % {"org": membership.organization.name}
    )
    return redirect("core:staff_home")


@staff_required(Role.ORG_ADMIN)
def audit_report(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_for_org(request.organization, filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    current_sort = filters.get("sort") or "-occurred_at"
    query = request.GET.copy()
    query.pop("page", None)
    columns = []
    for name, label in _COLUMNS:
        query["sort"] = name if current_sort != name else f"-{name}"
        direction = (
            "ascending"
            if current_sort == name
            else "descending"
            if current_sort == f"-{name}"
            else "none"
        )
        columns.append({"label": label, "query": query.urlencode(), "aria_sort": direction})
    query.pop("sort", None)
    return render(
        request,
        "core/audit_report.html",
        {
            "form": form,
            "page": page,
            "columns": columns,
            "export_query": request.GET.urlencode(),
        },
    )


_COLUMNS = list(
    zip(
        SORTABLE,
        [
            _("When"),
            _("User"),
            _("Action"),
            _("Record type"),
            _("Record id"),
            _("Participant"),
            _("IP address"),
        ],
        strict=True,
    )
)


class _Echo:
    def write(self, value: str) -> str:
        return value


@staff_required(Role.ORG_ADMIN)
def audit_export(request: StaffRequest) -> StreamingHttpResponse | HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(_("The filters are not valid."), status=400)
    filters = form.cleaned_data if request.GET else {}
    events = audit_events_for_org(request.organization, filters)
    audit_record(action=Action.EXPORT, request=request, object_type="audit_report")
    writer = csv.writer(_Echo())

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
            ]
        )
        for e in events.iterator(chunk_size=1000):
            yield writer.writerow(
                map(
                    safe_cell,
                    [
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
                    ],
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
    return response
