"""Taking attendance on a phone, and the printable walk-in check-in sheet of a session.

The attendance page lists everyone registered (and anyone already marked), each with
present / absent / excused and an optional short note; "Add to the list" brings in a
participant who came on the spot without saving anything yet. A note that names someone else
on the list comes back with a warning and a "Save anyway" button.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.access import participants_visible_to
from alongside.core.audit import Action, audit_record, audit_views
from alongside.core.forms import form_view
from alongside.groups import attendance as taking
from alongside.groups import selectors
from alongside.groups.checkin import checkin_token
from alongside.groups.forms import AttendanceForm
from alongside.groups.models import Attendance
from alongside.groups.views import group_for_request, groups_required, session_for_request

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest

ADD, SAVE, CONFIRM = "add", "save", "confirm"


def _initial(session: Any, sheet: dict[Any, Attendance]) -> dict[str, Any]:
    initial: dict[str, Any] = {"walk_ins": session.walk_ins, "summary": session.summary}
    for pk, attendance in sheet.items():
        initial[f"status_{pk}"] = attendance.status
        if attendance.encounter is not None:
            initial[f"note_{pk}"] = attendance.encounter.response
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def attendance(request: StaffRequest, pk: Any, day: date) -> HttpResponse:
    group = group_for_request(request, pk)
    session = session_for_request(request, group, day)
    sheet = selectors.attendance_sheet(session)
    people = selectors.roster_people(session, sheet)
    addable = participants_visible_to(request.membership).enrolled()
    action = request.POST.get("action", SAVE)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        # People added on the spot, carried from one "Add to the list" to the next.
        added = [v for v in data.getlist("added") if v]
        newcomer = str(data.get("add") or "")
        if action == ADD and newcomer:
            added.append(newcomer)
            data[f"status_{newcomer}"] = Attendance.Status.PRESENT
            data["add"] = ""
        known = {str(p.pk) for p in people}
        extra = [p for p in addable.filter(pk__in=added) if str(p.pk) not in known]
        people = sorted([*people, *extra], key=lambda p: p.preferred_name.casefold())
        data.setlist("added", [str(p.pk) for p in extra])
    form = AttendanceForm(data, people=people, addable=addable, initial=_initial(session, sheet))
    context = {
        "group": group,
        "session": session,
        "title": _("Attendance"),
        "names_warning": False,
    }
    if request.method != "POST":
        audit_record(action=Action.VIEW, request=request, obj=session)
    if action == ADD:
        return _shown(
            request,
            render(request, "groups/attendance.html", {"form": form, **context, "unbound": True}),
            people,
            addable,
        )

    def save(_data: dict[str, Any]) -> taking.AttendanceTaken:
        try:
            return taking.attendance_take(
                session=session, actor=request.user, confirm_names=action == CONFIRM, **form.lists()
            )
        except taking.NamesInNotes:
            context["names_warning"] = True
            raise

    def saved(taken: taking.AttendanceTaken) -> HttpResponse:
        messages.success(
            request,
            _(
                "Attendance saved: %(headcount)s came. Each participant present has a draft "
                "group note to read and sign."
            )
            % {"headcount": taken.headcount},
        )
        return redirect("groups:detail", pk=group.pk)

    response = form_view(
        request, form, save=save, done=saved, template="groups/attendance.html", context=context
    )
    return _shown(request, response, people, addable)


def _shown(request: StaffRequest, response: HttpResponse, people: Any, addable: Any) -> Any:
    """The sheet names the people on the roster and offers every enrolled participant to add:
    each one shown is named in the audit trail (not when the answer is a redirect)."""
    if response.status_code != 302:
        audit_views(
            request=request,
            participant_ids=[*(p.pk for p in people), *addable.values_list("pk", flat=True)],
            object_type="groups.attendance",
        )
    return response


@groups_required
def checkin_sheet(request: StaffRequest, pk: Any, day: date) -> HttpResponse:
    """A page to print: the session's QR code, which opens the walk-in check-in page."""
    group = group_for_request(request, pk)
    session = session_for_request(request, group, day)
    url = request.build_absolute_uri(reverse("checkin:page", args=[checkin_token(session)]))
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2)
    return render(
        request,
        "groups/checkin_sheet.html",
        {"group": group, "session": session, "url": url, "qr": qr},
    )
