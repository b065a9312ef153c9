"""Care pages for peer specialists and supervisors, under /staff/care/.

Every view: ``staff_required(*CARE_ROLES)`` → the participant through
``participant_for_request_or_404`` (404 outside what the membership may see; GETs are audited
as views) → form → service → redirect. Nothing here logs participant data, and URLs carry
only UUIDs.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import ical, selectors, services
from alongside.care.access import (
    CARE_ROLES,
    TEAM_ROLES,
    care_settings_for,
    participant_for_request_or_404,
    participants_visible_to,
    record_for_participant_or_404,
    sees_whole_team,
)
from alongside.care.consent import DisclosureRefused, disclose
from alongside.care.models import (
    Appointment,
    BreakGlass,
    CalendarFeed,
    Consent,
    Encounter,
    Goal,
    Participant,
    Referral,
    SafetyConcern,
)
from alongside.core.audit import Action, audit_record
from alongside.core.roles import Role
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpRequest

care_required = staff_required(*CARE_ROLES)
LIST_VIEWS = {
    "mine": gettext_lazy("My participants"),
    "active": gettext_lazy("Everyone active"),
    "unassigned": gettext_lazy("Needs assignment"),
}


def _apply(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, naming the field where there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    participant: Participant | None = None,
    submit: str = "",
    intro: str = "",
    template: str = "care/form.html",
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "participant": participant,
        "submit": submit or _("Save"),
        "intro": intro,
        **extra,
    }
    return render(request, template, context, status=400 if form.errors else 200)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


def _to_participant(participant: Participant, anchor: str = "") -> HttpResponse:
    response = redirect("care:participant", pk=participant.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- Dashboard and lists ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@care_required
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.caseload_dashboard(request.membership)  # type: ignore[attr-defined]
    audit_record(action=Action.VIEW, request=request, object_type="care.dashboard")
    return render(request, "care/dashboard.html", {"d": data})


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_list(request: HttpRequest) -> HttpResponse:
    """The three lists; a name search is POSTed so that names never appear in a URL."""
    which = request.GET.get("show", "mine")
    if which not in LIST_VIEWS:
        which = "mine"
    query = " ".join(request.POST.get("q", "").split())[:100] if request.method == "POST" else ""
    participants = selectors.participants_list(
        request.membership,  # type: ignore[attr-defined]
        which=which,
        search=query,
    )
    page = Paginator(participants, 50).get_page(None if query else request.GET.get("page"))
    audit_record(action=Action.VIEW, request=request, object_type="care.participant_list")
    return render(
        request,
        "care/participant_list.html",
        {
            "page": page,
            "which": which,
            "which_label": LIST_VIEWS[which],
            "query": query,
            "views": LIST_VIEWS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_create(request: HttpRequest) -> HttpResponse:
    organization = request.organization  # type: ignore[attr-defined]
    form = care_forms.ParticipantCreateForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            participant = services.participant_create(
                organization=organization,
                actor=request.user,
                data=data,
                specialists=data.pop("specialists"),
                enrolled_on=data.pop("enrolled_on"),
                agreement_how=data.pop("agreement_how"),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Participant added and enrolled."))
            return _to_participant(participant)
    return _form_page(
        request, form, title=_("Add a participant"), submit=_("Add and enroll"), wide=True
    )


@require_http_methods(["GET", "HEAD"])
@care_required
def participant_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    record = selectors.participant_record(participant)
    membership = request.membership  # type: ignore[attr-defined]
    return render(
        request,
        "care/participant_detail.html",
        {
            "r": record,
            "participant": participant,
            "is_team": membership.has_role(*TEAM_ROLES),
            "revoke_how": Consent.RevokedHow.choices,
            "referral_statuses": Referral.Status.choices,
            "discharge_form": care_forms.DischargeForm(auto_id="discharge_%s"),
            "enroll_form": care_forms.EnrollForm(auto_id="enroll_%s"),
            "pathway_form": care_forms.PathwayForm(auto_id="pathway_%s"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ParticipantForm(
        request.POST or None, instance=participant, organization=participant.organization
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.participant_update(
                participant=Participant.objects.get(pk=participant.pk),
                actor=request.user,
                data=data,
                specialists=data.pop("specialists"),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Details saved."))
            return _to_participant(participant)
    return _form_page(request, form, title=_("Edit details"), participant=participant, wide=True)


@require_POST
@care_required
def participant_enrollment(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    """Discharge, re-enroll or change pathway, from the forms on the participant page."""
    participant = participant_for_request_or_404(request, pk)
    form: BaseForm
    try:
        if action == "discharge":
            form = care_forms.DischargeForm(request.POST)
            if form.is_valid():
                services.participant_discharge(
                    participant=participant, actor=request.user, **form.cleaned_data
                )
        elif action == "reenroll":
            form = care_forms.EnrollForm(request.POST)
            if form.is_valid():
                services.participant_reenroll(
                    participant=participant, actor=request.user, **form.cleaned_data
                )
        elif action == "pathway":
            form = care_forms.PathwayForm(request.POST)
            if form.is_valid():
                services.participant_pathway_change(
                    participant=participant, actor=request.user, **form.cleaned_data
                )
        else:
            raise Http404
    except ValidationError as exc:
        _apply(form, exc)
    if form.errors:
        return _form_page(request, form, title=_("Enrollment"), participant=participant)
    messages.success(request, _("Enrollment updated."))
    return _to_participant(participant, "enrollment")


# --- Consent ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def consent_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"discloser": participant.organization.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_create(
                participant=participant, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return _to_participant(participant, "consents")
    return _form_page(
        request,
        form,
        title=_("Record a consent to share"),
        participant=participant,
        intro=_(
            "Write down exactly what the person agreed to: who may share, with whom, what, "
            "why and until when. They can revoke it at any time."
        ),
        multipart=True,
    )


@require_POST
@care_required
def consent_revoke(request: HttpRequest, pk: Any, consent_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    consent = record_for_participant_or_404(Consent, participant, consent_id)
    form = care_forms.RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.consent_revoke(consent=consent, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        return _form_page(request, form, title=_("Revoke consent"), participant=participant)
    messages.success(request, _("Consent revoked."))
    return _to_participant(participant, "consents")


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def disclosure_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Share information through the consent gate; Part 2 records get the § 2.32 notice."""
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure, notice = disclose(
                participant=participant, actor=request.user, **form.cleaned_data
            )
        except DisclosureRefused as refused:
            form.add_error(None, refused.check.explanation())
        else:
            return render(
                request,
                "care/disclosure_done.html",
                {"participant": participant, "disclosure": disclosure, "notice": notice},
            )
    return _form_page(
        request,
        form,
        title=_("Share information"),
        participant=participant,
        submit=_("Check consent and record"),
        intro=_(
            "Alongside checks that a consent on file covers this recipient and purpose today, "
            "then records the disclosure in the person's accounting of disclosures."
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def restriction_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.restriction_create(
            participant=participant, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Restriction recorded."))
        return _to_participant(participant, "summary")
    return _form_page(
        request, form, title=_("Record a restriction they asked for"), participant=participant
    )


# --- Plan and goals -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def plan_version_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.PlanVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_create(
                participant=participant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Plan recorded."))
            return _to_participant(participant, "plan")
    return _form_page(
        request, form, title=_("Record the agreed recovery plan"), participant=participant
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def goal_form(request: HttpRequest, pk: Any, goal_id: Any = None) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    goal = record_for_participant_or_404(Goal, participant, goal_id) if goal_id else None
    form = care_forms.GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                services.goal_create(
                    participant=participant, actor=request.user, data=form.cleaned_data
                )
            else:
                services.goal_update(
                    goal=Goal.objects.get(pk=goal.pk), actor=request.user, data=form.cleaned_data
                )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return _to_participant(participant, "plan")
    return _form_page(
        request,
        form,
        title=_("Add a goal") if goal is None else _("Edit goal"),
        participant=participant,
        intro=_("Write the goal the way the person says it, in their own words."),
        template="care/goal_form.html",
        progress_form=care_forms.ProgressForm() if goal else None,
        goal=goal,
    )


@require_POST
@care_required
def goal_progress(request: HttpRequest, pk: Any, goal_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    goal = record_for_participant_or_404(Goal, participant, goal_id)
    form = care_forms.ProgressForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, title=_("Note progress"), participant=participant)
    services.goal_progress_add(goal=goal, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Progress noted."))
    return _to_participant(participant, "plan")


# --- Encounters ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.EncounterForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            encounter = services.encounter_create(
                participant=participant, actor=request.user, data=data, goals=data.pop("goals")
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Draft saved. Read it over, then sign it."))
            return redirect("care:encounter", pk=participant.pk, encounter_id=encounter.pk)
    return _form_page(
        request, form, title=_("Write an encounter note"), participant=participant, wide=True
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_detail(request: HttpRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """A note: editable while a draft; once signed, read-only with amendments below."""
    participant = participant_for_request_or_404(request, pk)
    encounter = record_for_participant_or_404(Encounter, participant, encounter_id)
    form = None
    if not encounter.is_signed:
        form = care_forms.EncounterForm(
            request.POST or None, instance=encounter, participant=participant
        )
    elif request.method == "POST":
        messages.error(request, _("This note is signed. Add an amendment instead."))
        return redirect("care:encounter", pk=participant.pk, encounter_id=encounter.pk)
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.encounter_update(
                encounter=Encounter.objects.get(pk=encounter.pk),
                actor=request.user,
                data=data,
                goals=data.pop("goals"),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("care:encounter", pk=participant.pk, encounter_id=encounter.pk)
    return render(
        request,
        "care/encounter.html",
        {
            "participant": participant,
            "encounter": encounter,
            "form": form,
            "amend_form": care_forms.AmendForm() if encounter.is_signed else None,
            "amendments": encounter.amendments.select_related("written_by"),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@care_required
def encounter_sign(request: HttpRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    encounter = record_for_participant_or_404(Encounter, participant, encounter_id)
    try:
        services.encounter_sign(encounter=encounter, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Note signed."))
    return redirect("care:encounter", pk=participant.pk, encounter_id=encounter.pk)


@require_POST
@care_required
def encounter_amend(request: HttpRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    encounter = record_for_participant_or_404(Encounter, participant, encounter_id)
    form = care_forms.AmendForm(request.POST)
    if form.is_valid():
        try:
            services.note_amend(
                encounter=encounter, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        return _form_page(request, form, title=_("Amend a signed note"), participant=participant)
    messages.success(request, _("Amendment added."))
    return redirect("care:encounter", pk=participant.pk, encounter_id=encounter.pk)


# --- Safety -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def safety_concern_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.SafetyConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_concern_raise(
                participant=participant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Recorded. Your supervisor has been told."))
            return _to_participant(participant, "safety")
    return _form_page(
        request,
        form,
        title=_("Safety concern"),
        participant=participant,
        submit=_("Record and tell my supervisor"),
        template="care/safety_form.html",
        protocol=care_settings_for(participant.organization).safety_protocol,
    )


@require_POST
@staff_required(*TEAM_ROLES)
def safety_concern_resolve(request: HttpRequest, pk: Any, concern_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    concern = record_for_participant_or_404(SafetyConcern, participant, concern_id)
    try:
        services.safety_concern_resolve(concern=concern, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as resolved."))
    return _to_participant(participant, "safety")


# --- Referrals and appointments -----------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def referral_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ReferralForm(request.POST or None)
    query = " ".join(request.GET.get("q", "").split())[:100]
    near = " ".join(request.GET.get("near", "").split())[:100]
    listings, search_errors = selectors.directory_listings(query=query, near=near)
    chosen = None
    service_id = request.GET.get("service") or request.POST.get("directory_service_id")
    if service_id:
        chosen = selectors.directory_listing_name(service_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                participant=participant,
                actor=request.user,
                provider_name=form.cleaned_data["provider_name"],
                directory_service_id=form.cleaned_data["directory_service_id"],
                status=form.cleaned_data["status"],
                warm_handoff_note=form.cleaned_data["warm_handoff_note"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Referral saved."))
            return _to_participant(participant, "referrals")
    if chosen and not form.is_bound:
        form.initial["directory_service_id"] = service_id
    return _form_page(
        request,
        form,
        title=_("Refer to a service"),
        participant=participant,
        template="care/referral_form.html",
        listings=listings,
        query=query,
        near=near,
        search_errors=search_errors,
        chosen=chosen,
    )


@require_POST
@care_required
def referral_status(request: HttpRequest, pk: Any, referral_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    referral = record_for_participant_or_404(Referral, participant, referral_id)
    form = care_forms.ReferralStatusForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, title=_("Referral status"), participant=participant)
    services.referral_update(referral=referral, actor=request.user, data=form.cleaned_data)
    messages.success(request, _("Referral updated."))
    return _to_participant(participant, "referrals")


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def appointment_create(request: HttpRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.AppointmentForm(
        request.POST or None,
        organization=participant.organization,
        initial={"specialist": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(
                participant=participant, actor=request.user, **form.appointment_data()
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Appointment booked."))
            return _to_participant(participant, "appointments")
    return _form_page(request, form, title=_("Book an appointment"), participant=participant)


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def appointment_edit(request: HttpRequest, pk: Any, appointment_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    appointment = record_for_participant_or_404(
        Appointment, participant, appointment_id, cancelled_at__isnull=True
    )
    form = care_forms.AppointmentForm(
        request.POST or None, organization=participant.organization, instance=appointment
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_update(
                appointment=appointment, actor=request.user, data=form.appointment_data()
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Appointment changed."))
            return _to_participant(participant, "appointments")
    return _form_page(
        request,
        form,
        title=_("Change an appointment"),
        participant=participant,
        template="care/appointment_form.html",
        appointment=appointment,
    )


@require_POST
@care_required
def appointment_cancel(request: HttpRequest, pk: Any, appointment_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    appointment = record_for_participant_or_404(Appointment, participant, appointment_id)
    services.appointment_cancel(appointment=appointment, actor=request.user)
    messages.success(request, _("Appointment cancelled."))
    return _to_participant(participant, "appointments")


# --- Calendar and its feed ----------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@care_required
def calendar(request: HttpRequest) -> HttpResponse:
    """A specialist's week; supervisors and admins may look at anyone's on the team."""
    return _calendar_page(request)


def _calendar_page(request: HttpRequest, feed_token: str = "") -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    organization = request.organization  # type: ignore[attr-defined]
    query = care_forms.CalendarWeekForm(request.GET)
    query.is_valid()
    day = query.cleaned_data.get("week") or timezone.localdate()
    staff = list(care_forms.care_staff(organization)) if sees_whole_team(membership) else []
    specialist: Any = request.user
    wanted = query.cleaned_data.get("specialist")
    if wanted and wanted != request.user.pk:
        specialist = next((u for u in staff if u.pk == wanted), None)
        if specialist is None:
            raise Http404
    week = selectors.calendar_week(
        membership, specialist_id=specialist.pk, start=selectors.week_start(day)
    )
    audit_record(action=Action.VIEW, request=request, object_type="care.calendar")
    own = specialist.pk == request.user.pk
    feed = (
        CalendarFeed.objects.filter(organization=organization, user=specialist).first()
        if own
        else None
    )
    return render(
        request,
        "care/calendar.html",
        {
            "week": week,
            "specialist": specialist,
            "own": own,
            "staff": staff,
            "today": timezone.localdate(),
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("care:calendar_feed", args=[feed_token]))
            if feed_token
            else "",
        },
    )


@require_POST
@care_required
def calendar_feed_manage(request: HttpRequest) -> HttpResponse:
    """Make a new feed address (the old one stops working), or turn the feed off."""
    organization = request.organization  # type: ignore[attr-defined]
    if request.POST.get("action") == "off":
        services.calendar_feed_delete(organization=organization, user=request.user)
        messages.success(request, _("Calendar feed turned off."))
        return redirect("care:calendar")
    token = services.calendar_feed_reset(organization=organization, user=request.user)
    # The token is stored only as a digest, so it is shown on this response and never again.
    return _calendar_page(request, feed_token=token)


@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: times and places only, never who the appointment is with."""
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
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


# --- Break-glass and settings -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open, for a few hours, a record outside one's caseload; supervisors review each use."""
    membership = request.membership  # type: ignore[attr-defined]
    organization = request.organization  # type: ignore[attr-defined]
    # Names are POSTed, never put in a URL.
    query = " ".join(request.POST.get("q", "").split())[:100]
    matches: list[Participant] = []
    visible = participants_visible_to(membership)
    if len(query) >= 2:
        matches = list(
            Participant.objects.for_org(organization)
            .filter(Q(preferred_name__icontains=query) | Q(legal_name__icontains=query))
            .exclude(pk__in=visible.values("pk"))
            .only("id", "preferred_name")[:20]
        )
    opening = request.method == "POST" and "participant" in request.POST
    form = care_forms.BreakGlassForm(request.POST if opening else None)
    if opening:
        participant = get_for_org_or_404(
            Participant, organization, pk=_uuid_or_404(request.POST.get("participant", ""))
        )
        if form.is_valid():
            services.break_glass_open(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
            return _to_participant(participant)
    return render(
        request,
        "care/break_glass.html",
        {
            "query": query,
            "matches": matches,
            "form": form,
            "restricted": care_settings_for(organization).own_caseload_only,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required(*TEAM_ROLES)
def break_glass_review(request: HttpRequest, grant_id: Any) -> HttpResponse:
    grant = get_for_org_or_404(BreakGlass, request.organization, pk=grant_id)  # type: ignore[attr-defined]
    services.break_glass_review(grant=grant, actor=request.user)
    messages.success(request, _("Marked as reviewed."))
    return redirect("care:dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(Role.ORG_ADMIN)
def care_settings(request: HttpRequest) -> HttpResponse:
    organization = request.organization  # type: ignore[attr-defined]
    form = care_forms.CareSettingsForm(
        request.POST or None,
        instance=care_settings_for(organization),
        initial={"is_part2_program": organization.is_part2_program},
    )
    if request.method == "POST" and form.is_valid():
        services.care_settings_update(
            organization=organization, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Settings saved."))
        return redirect("care:settings")
    return _form_page(request, form, title=_("Care settings"))
