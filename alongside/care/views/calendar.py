"""Appointments, a specialist's week, and the private iCalendar feed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import ical, selectors, services
from alongside.care.access import participant_for_request_or_404, sees_whole_team
from alongside.care.models import Appointment, CalendarFeed
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.audit import Action, audit_record, audit_views
from alongside.core.tenancy import get_for_org_or_404, organization_scope

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def appointment_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.AppointmentForm(
        request.POST or None,
        organization=request.organization,
        initial={"specialist": request.user.pk},
    )
    return care_form(
        request,
        form,
        save=lambda _data: services.appointment_create(
            participant=participant, actor=request.user, **form.appointment_data()
        ),
        done=lambda _result: to_participant(participant, "appointments"),
        success=_("Appointment booked."),
        title=_("Book an appointment"),
        participant=participant,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def appointment_edit(request: StaffRequest, pk: Any, appointment_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    appointment = get_for_org_or_404(
        Appointment,
        request.organization,
        pk=appointment_id,
        participant=participant,
        cancelled_at__isnull=True,
    )
    form = care_forms.AppointmentForm(
        request.POST or None, organization=request.organization, instance=appointment
    )
    return care_form(
        request,
        form,
        save=lambda _data: services.appointment_update(
            appointment=appointment, actor=request.user, data=form.appointment_data()
        ),
        done=lambda _result: to_participant(participant, "appointments"),
        success=_("Appointment changed."),
        title=_("Change an appointment"),
        participant=participant,
        template="care/appointment_form.html",
        appointment=appointment,
    )


@require_POST
@care_required
def appointment_cancel(request: StaffRequest, pk: Any, appointment_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    appointment = get_for_org_or_404(
        Appointment, request.organization, pk=appointment_id, participant=participant
    )
    services.appointment_cancel(appointment=appointment, actor=request.user)
    messages.success(request, _("Appointment cancelled."))
    return to_participant(participant, "appointments")


@require_http_methods(["GET", "HEAD"])
@care_required
def calendar(request: StaffRequest) -> HttpResponse:
    """A specialist's week; supervisors and admins may look at anyone's on the team."""
    return _calendar_page(request)


def this_week_start(today: date) -> date:
    """The Monday of the week to show as "this week": on a Sunday, the coming one.

    A Sunday's own week is all but over; the week being planned is the one that starts tomorrow.
    """
    return selectors.week_start(today + timedelta(days=1))


def _calendar_page(request: StaffRequest, feed_token: str = "") -> HttpResponse:
    query = care_forms.CalendarWeekForm(request.GET)
    query.is_valid()
    today = timezone.localdate()
    this_week = this_week_start(today)
    day = query.cleaned_data.get("week") or this_week
    staff = (
        list(care_forms.care_staff(request.organization))
        if sees_whole_team(request.membership)
        else []
    )
    specialist: Any = request.user
    wanted = query.cleaned_data.get("specialist")
    if wanted and wanted != request.user.pk:
        specialist = next((u for u in staff if u.pk == wanted), None)
        if specialist is None:
            raise Http404
    week = selectors.calendar_week(
        request.membership, specialist_id=specialist.pk, start=selectors.week_start(day)
    )
    audit_views(
        request=request,
        participant_ids=[a.participant_id for day in week.days for a in day.appointments],
        object_type="care.calendar",
    )
    own = specialist.pk == request.user.pk
    return render(
        request,
        "care/calendar.html",
        {
            "week": week,
            "specialist": specialist,
            "own": own,
            "staff": staff,
            "today": today,
            "this_week": this_week,
            "feed": CalendarFeed.objects.filter(user=specialist).first() if own else None,
            "feed_url": request.build_absolute_uri(reverse("care:calendar_feed", args=[feed_token]))
            if feed_token
            else "",
        },
    )


@require_POST
@care_required
def calendar_feed_manage(request: StaffRequest) -> HttpResponse:
    """Make a new feed address (the old one stops working), or turn the feed off."""
    if request.POST.get("action") == "off":
        services.calendar_feed_delete(user=request.user)
        messages.success(request, _("Calendar feed turned off."))
        return redirect("care:calendar")
    token = services.calendar_feed_reset(organization=request.organization, user=request.user)
    # The token is stored only as a digest, so it is shown on this response and never again.
    return _calendar_page(request, feed_token=token)


@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: times and places only, never who the appointment is with."""
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    # A calendar app signs in with the token alone; from here on, only its organization.
    with organization_scope(feed.organization):
        return _feed_answer(request, feed)


def _feed_answer(request: HttpRequest, feed: CalendarFeed) -> HttpResponse:
    now = timezone.now()
    appointments = selectors.calendar_feed_appointments(feed, now=now)
    calendar_url = request.build_absolute_uri(reverse("care:calendar"))
    events = [
        ical.Event(
            uid=f"{a.pk}@alongside",
            start=a.starts_at,
            end=a.ends_at,
            summary=_("Appointment (Alongside)"),
            location=a.place,
            url=calendar_url,
            cancelled=a.cancelled_at is not None,
            last_modified=a.updated_at,
        )
        for a in appointments
    ]
    services.calendar_feed_used(feed=feed, at=now)
    audit_record(
        action=Action.EXPORT,
        actor=feed.user,
        organization=feed.organization,
        obj=feed,
        object_type="care.calendar_feed",
    )
    body = ical.calendar(events, name=_("Alongside appointments"), stamp=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="alongside.ics"'
    return response
