"""The pages a one-time link opens on the person's own phone: fill in a measure, or see their
progress. No account, no name on the page, and no cookie at all.

Django's CSRF check needs a cookie, which this phone must not be given. The link's token,
secret and good for one use, is in the address the form posts to, so a forged post cannot
name it; the view is exempt from the cookie check for that reason alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alongside.core.audit import Action, audit_record
from alongside.core.forms import errors_onto_form
from alongside.core.tenancy import organization_scope
from alongside.outcomes import services
from alongside.outcomes.forms import MeasureForm
from alongside.outcomes.models import LinkKind, MeasureLink
from alongside.outcomes.views import charts_context

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/public/closed.html", status=410)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.link_for_token(token)
    except services.LinkClosed:
        return _closed(request)
    with organization_scope(link.organization):
        if link.kind == LinkKind.PROGRESS:
            return _progress(request, link)
        return _fill(request, link)


def _progress(request: HttpRequest, link: MeasureLink) -> HttpResponse:
    # Opening the address only offers a button: a messaging app that fetches a link to draw
    # its preview must not use up the person's one look.
    if request.method != "POST":
        return render(request, "outcomes/public/progress_open.html")
    try:
        services.measure_link_use(link=link)
    except services.LinkClosed:
        return _closed(request)
    participant = link.participant
    audit_record(
        action=Action.VIEW,
        request=request,
        organization=link.organization,
        obj=link,
        object_type="outcomes.my_progress",
        participant_id=str(participant.pk),
    )
    return render(
        request,
        "outcomes/public/progress.html",
        {"organization": link.organization, **charts_context(participant)},
    )


def _fill(request: HttpRequest, link: MeasureLink) -> HttpResponse:
    instrument = link.instrument
    assert instrument is not None
    form = MeasureForm(request.POST or None, instrument=instrument)
    context = {"organization": link.organization, "instrument": instrument}
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.measure_link_submit(
                link=link, answers=form.answers(), declined=form.cleaned_data["declined"]
            )
        except services.LinkClosed:
            return _closed(request)
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            return render(
                request,
                "outcomes/public/thanks.html",
                {**context, "administration": administration},
            )
    return render(
        request,
        "outcomes/public/fill.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )
