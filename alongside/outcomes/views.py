"""Staff pages: a person's measures and trend, filling one in together, sending a one-time
link (with its QR code), and the program's counts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import segno
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care.access import (
    CARE_ROLES,
    TEAM_ROLES,
    participant_for_request_or_404,
    participant_view_audit,
)
from alongside.core.forms import errors_onto_form
from alongside.core.tenancy import get_for_org_or_404, staff_required
from alongside.outcomes import services
from alongside.outcomes.chart import trend_svg
from alongside.outcomes.forms import LinkForm, MeasureForm, PeriodForm
from alongside.outcomes.models import Administration, LinkKind
from alongside.outcomes.selectors import (
    administrations_of,
    instrument_by_code,
    measures_for,
    program_summary,
    suitable_instruments,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest

care_required = staff_required(*CARE_ROLES)


def charts_context(participant: Participant) -> dict[str, Any]:
    """Each measure's series with its chart, and the person's goals: the panel and page share it."""
    measures = measures_for(participant)
    return {
        "series": [
            {
                "series": s,
                "svg": trend_svg(s, measures.goals, chart_id=f"trend-{s.instrument.code}"),
            }
            for s in measures.series
        ],
        "goals": measures.goals,
    }


def measures_panel(request: HttpRequest, participant: Participant) -> dict[str, Any] | None:
    """The section on care's participant page (the page has audited the view already)."""
    return {
        **charts_context(participant),
        "suitable": suitable_instruments(participant.organization, participant),
    }


@require_http_methods(["GET", "HEAD"])
@care_required
def measures(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return render(
        request,
        "outcomes/measures.html",
        {
            "participant": participant,
            **charts_context(participant),
            "administrations": list(administrations_of(participant)),
            "suitable": suitable_instruments(request.organization, participant),
        },
    )


def _refused(request: StaffRequest, participant: Participant, reason: str) -> HttpResponse:
    return render(
        request,
        "outcomes/refused.html",
        {"participant": participant, "reason": reason},
        status=409,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def administer(request: StaffRequest, pk: Any, code: str) -> HttpResponse:
    """Fill in a measure with the specialist; ``?corrects=<id>`` supersedes an earlier one."""
    participant = participant_for_request_or_404(request, pk)
    instrument = instrument_by_code(request.organization, code)
    if instrument is None:
        raise Http404
    if not services.instrument_suits(instrument, participant):
        participant_view_audit(request, participant)
        return _refused(
            request,
            participant,
            _("%(name)s does not suit this person's focus of support (%(focus)s).")
            % {"name": instrument.short_name, "focus": participant.get_focus_display()},
        )
    corrects = None
    if request.GET.get("corrects"):
        corrects = get_for_org_or_404(
            Administration.objects.filter(participant=participant), request.organization,
            pk=_uuid(request.GET["corrects"]),
        )  # fmt: skip
    form = MeasureForm(request.POST or None, instrument=instrument, staff=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.administration_record(
                participant=participant,
                instrument=instrument,
                answers=form.answers(),
                completed_on=form.cleaned_data["completed_on"],
                declined=form.cleaned_data["declined"],
                supersedes=corrects,
                actor=request.user,
            )
        except services.Unsuitable as exc:
            return _refused(request, participant, str(exc))
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            return redirect("outcomes:measures", pk=participant.pk)
    if request.method == "POST":
        participant_view_audit(request, participant)
    return render(
        request,
        "outcomes/administer.html",
        {"participant": participant, "instrument": instrument, "form": form, "corrects": corrects},
        status=400 if form.errors else 200,
    )


def _uuid(value: str) -> Any:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


@require_http_methods(["GET", "HEAD"])
@care_required
def administration(request: StaffRequest, pk: Any, administration_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    shown = get_for_org_or_404(
        administrations_of(participant), request.organization, pk=administration_id
    )
    items = [
        {"key": item["key"], "text": item["text"], "value": shown.answers.get(item["key"])}
        for item in shown.instrument.items
    ]
    return render(
        request,
        "outcomes/administration.html",
        {"participant": participant, "administration": shown, "items": items},
    )


@require_POST
@care_required
def link_create(request: StaffRequest, pk: Any) -> HttpResponse:
    """Make a one-time link (to fill in a measure, or to see progress); show it and its QR code."""
    participant = participant_for_request_or_404(request, pk)
    participant_view_audit(request, participant)
    form = LinkForm(request.POST)
    if not form.is_valid() or form.cleaned_data["kind"] not in LinkKind.values:
        return redirect("outcomes:measures", pk=participant.pk)
    kind = form.cleaned_data["kind"]
    instrument = None
    if kind == LinkKind.FILL:
        instrument = instrument_by_code(request.organization, form.cleaned_data["instrument"])
        if instrument is None:
            raise Http404
    try:
        link, token = services.measure_link_create(
            participant=participant, actor=request.user, kind=kind, instrument=instrument
        )
    except services.Unsuitable as exc:
        return _refused(request, participant, str(exc))
    url = request.build_absolute_uri(reverse("measure:page", args=[token]))
    return render(
        request,
        "outcomes/link.html",
        {
            "participant": participant,
            "link": link,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=6, border=2),
        },
    )


@require_http_methods(["GET", "HEAD"])
@staff_required(*TEAM_ROLES)
def program(request: StaffRequest) -> HttpResponse:
    """The program's view: counts and average change per measure; no person, no specialist."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today - timedelta(days=365), "end": today})
    rows, start, end = [], None, None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = program_summary(start=start, end=end)
    return render(
        request,
        "outcomes/program.html",
        {"form": form, "rows": rows, "start": start, "end": end},
        status=200 if form.is_valid() else 400,
    )
