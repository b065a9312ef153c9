"""The walk-in check-in page a session's QR code opens: "I'm here", with no name and no cookie.

Django's CSRF check needs a cookie, which a walk-in's phone must not be given; the form
carries a signed proof made when the page was served instead (``groups.checkin``), and the
view is exempt from the cookie check for that reason alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alongside.core.tenancy import organization_scope
from alongside.groups import attendance as taking
from alongside.groups.checkin import session_for_token, tap_proof, tap_proof_valid

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    session = session_for_token(token)
    if session is None:
        raise Http404
    with organization_scope(session.organization):
        context = {
            "group": session.group,
            "session": session,
            "opens_at": taking.session_starts_at(session) - taking.CHECKIN_OPENS_BEFORE,
            "ends_at": taking.session_ends_at(session),
            "open": taking.checkin_open(session),
        }
        if request.method == "POST":
            if not tap_proof_valid(session, request.POST.get("proof", "")):
                return render(
                    request, "groups/checkin.html", {**context, "stale": True}, status=400
                )
            counted = taking.session_walk_in_add(session=session)
            return render(
                request,
                "groups/checkin.html",
                {**context, "counted": counted},
                status=200 if counted else 409,
            )
        return render(request, "groups/checkin.html", {**context, "proof": tap_proof(session)})
