"""Staff pages for groups: the list, a group's form and page, single dates, registrations.

Facilitators are the members who open care records (peer specialists, supervisors,
organization admins): they write the group notes, so they run these pages. Attendance and
the check-in sheet are in ``views_attendance``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.access import CARE_ROLES, participants_visible_to
from alongside.core.audit import Action, audit_record
from alongside.core.forms import act_and_tell, form_view
from alongside.core.tenancy import get_for_org_or_404, staff_required
from alongside.groups import selectors, services
from alongside.groups.forms import DateNoteForm, GroupForm, RegistrationForm, SessionMoveForm
from alongside.groups.models import Group, Registration, Session
from alongside.groups.schedule import Occurrence, occurrences

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest

groups_required = staff_required(*CARE_ROLES)
# The group page shows this much of the past (to take attendance late) and of the future.
PAST, AHEAD = timedelta(days=28), timedelta(days=56)


def group_for_request(request: StaffRequest, pk: Any) -> Group:
    return get_for_org_or_404(Group, request.organization, pk=pk)


def occurrence_or_404(group: Group, day: date) -> Occurrence:
    """The occurrence the schedule (or a session kept for it) gives ``day``; else 404."""
    session = group.sessions.filter(scheduled_date=day).first()
    found = occurrences(group, day, day, sessions=[session] if session else [])
    for occurrence in found:
        if occurrence.scheduled_date == day:
            return occurrence
    if session is not None:  # moved to a date outside ``day``
        return Occurrence(
            group, day, session.start_time, session.date, session.start_time, session.end_time,
            session.cancelled, session,
        )  # fmt: skip
    raise Http404


def session_for_request(request: StaffRequest, group: Group, day: date) -> Session:
    occurrence = occurrence_or_404(group, day)
    if occurrence.session is not None:
        return occurrence.session
    return services.session_get_or_create(group=group, scheduled_date=day, actor=request.user)


def _facilitators(request: StaffRequest) -> Any:
    chosen = [u.pk for u in services.facilitator_choices(request.organization)]
    return get_user_model().objects.filter(pk__in=chosen).order_by("first_name", "username")


def _service_call(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "meeting_times": data.pop("meeting_times", []),
        "facilitators": data.pop("facilitators", []),
        "data": data,
    }


def _to_group(group: Group) -> HttpResponse:
    return redirect("groups:detail", pk=group.pk)


@groups_required
def group_list(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.groups_with_next(timezone.now(), today)
    return render(request, "groups/group_list.html", {"rows": rows, "today": today})


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def group_create(request: StaffRequest) -> HttpResponse:
    form = GroupForm(
        request.POST or None,
        facilitators=_facilitators(request),
        initial={"facilitators": [request.user.pk], "timezone": settings.TIME_ZONE},
    )
    return form_view(
        request,
        form,
        save=lambda data: services.group_create(
            organization=request.organization, actor=request.user, **_service_call(data)
        ),
        done=_to_group,
        template="groups/group_form.html",
        context={"title": _("New group")},
        success=_("Group saved."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def group_edit(request: StaffRequest, pk: Any) -> HttpResponse:
    group = group_for_request(request, pk)
    form = GroupForm(request.POST or None, instance=group, facilitators=_facilitators(request))
    return form_view(
        request,
        form,
        save=lambda data: services.group_update(
            group=group, actor=request.user, **_service_call(data)
        ),
        done=_to_group,
        template="groups/group_form.html",
        context={"title": _("Change %(group)s") % {"group": group.name}, "group": group},
        success=_("Group saved."),
    )


@groups_required
def group_detail(request: StaffRequest, pk: Any) -> HttpResponse:
    group = group_for_request(request, pk)
    today = timezone.localdate()
    dates = occurrences(group, today - PAST, today + AHEAD)
    registrations = list(selectors.registrations_of(group))
    if registrations:
        # Registered participants and the public's contacts are read here, so say who looked.
        audit_record(
            action=Action.VIEW, request=request, obj=group, changed_fields=["registrations"]
        )
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "past": [o for o in dates if o.date < today][::-1][:6],
            "upcoming": [o for o in dates if o.date >= today],
            "today": today,
            "registrations": registrations,
            "facilitators": list(group.facilitators.all()),
            "full": group.capacity is not None and len(registrations) >= group.capacity,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def session_cancel(request: StaffRequest, pk: Any, day: date) -> HttpResponse:
    group = group_for_request(request, pk)
    occurrence = occurrence_or_404(group, day)
    return form_view(
        request,
        DateNoteForm(request.POST or None),
        save=lambda data: services.session_cancel(
            group=group, scheduled_date=day, actor=request.user, **data
        ),
        done=lambda _session: _to_group(group),
        template="groups/date_form.html",
        context={
            "group": group,
            "occurrence": occurrence,
            "title": _("Cancel one date"),
            "submit": _("Cancel this date"),
        },
        success=_("The date is cancelled. The public pages say so."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def session_move(request: StaffRequest, pk: Any, day: date) -> HttpResponse:
    group = group_for_request(request, pk)
    occurrence = occurrence_or_404(group, day)
    form = SessionMoveForm(
        request.POST or None,
        initial={
            "date": occurrence.date,
            "start_time": occurrence.start_time,
            "end_time": occurrence.end_time,
            "public_note": occurrence.session.public_note if occurrence.session else "",
        },
    )
    return form_view(
        request,
        form,
        save=lambda data: services.session_move(
            group=group, scheduled_date=day, actor=request.user, **data
        ),
        done=lambda _session: _to_group(group),
        template="groups/date_form.html",
        context={
            "group": group,
            "occurrence": occurrence,
            "title": _("Move one date"),
            "submit": _("Move this date"),
        },
        success=_("The date is moved. The public pages say so."),
    )


@require_POST
@groups_required
def session_reinstate(request: StaffRequest, pk: Any, day: date) -> HttpResponse:
    group = group_for_request(request, pk)
    session = occurrence_or_404(group, day).session
    if session is None:
        raise Http404
    act_and_tell(
        request,
        lambda: services.session_reinstate(session=session, actor=request.user),
        _("The date meets again."),
    )
    return _to_group(group)


@require_http_methods(["GET", "HEAD", "POST"])
@groups_required
def registration_add(request: StaffRequest, pk: Any) -> HttpResponse:
    group = group_for_request(request, pk)
    form = RegistrationForm(
        request.POST or None, participants=participants_visible_to(request.membership)
    )
    return form_view(
        request,
        form,
        save=lambda data: services.registration_add(group=group, actor=request.user, **data),
        done=lambda _registration: _to_group(group),
        template="groups/registration_form.html",
        context={"group": group, "title": _("Register someone")},
        success=_("Registered."),
    )


@require_POST
@groups_required
def registration_withdraw(request: StaffRequest, pk: Any, registration_id: Any) -> HttpResponse:
    group = group_for_request(request, pk)
    registration = get_for_org_or_404(
        Registration, request.organization, pk=registration_id, group=group
    )
    act_and_tell(
        request,
        lambda: services.registration_withdraw(registration=registration, actor=request.user),
        _("The registration is withdrawn; the place is free."),
    )
    return _to_group(group)
