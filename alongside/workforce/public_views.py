"""The public career guide at ``/careers/``: what each state's peer certification asks, built
from the same credential files the staff pages use, so the guide stays as true as the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alongside.workforce import selectors
from alongside.workforce.states import state_name

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

NATIONAL = "US"


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    by_state = selectors.types_by_state()
    states = [
        {"code": code, "name": state_name(code), "types": types}
        for code, types in sorted(by_state.items(), key=lambda item: state_name(item[0]))
        if code != NATIONAL
    ]
    return render(
        request,
        "careers/index.html",
        {"states": states, "national": by_state.get(NATIONAL, [])},
    )


@require_safe
def state(request: HttpRequest, state: str) -> HttpResponse:
    code = state.upper()
    types = selectors.types_by_state().get(code)
    if not types:
        raise Http404
    national = [] if code == NATIONAL else selectors.types_by_state().get(NATIONAL, [])
    return render(
        request,
        "careers/state.html",
        {"code": code, "name": state_name(code), "types": types, "national": national},
    )
