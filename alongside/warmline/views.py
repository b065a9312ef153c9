"""The public side of the warm line: its page and the SMS provider's webhook."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from alongside.warmline import selectors, sms


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Hours, phone, a chat that starts with one click; after hours, 988 and the library.

    Sets no cookie and keeps nothing in the browser: the chat's script stores its resume
    token only once the person presses start.
    """
    line = selectors.public_line()
    hours = selectors.line_hours(line) if line is not None else None
    response = render(request, "warmline/index.html", {"line": line, "hours": hours})
    # "Open now" changes by the minute; and nothing here is for anyone else to keep.
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # The provider signs its requests instead; ``is_authentic`` checks it.
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    status, body, content_type = sms.receive_webhook(request)
    return HttpResponse(body, status=status, content_type=content_type)
