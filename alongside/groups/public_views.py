"""The public side of groups: a list to find one by day, time of day and format, a page per
group, its calendar file, and the Meeting Guide feed. No account, no cookie, nothing about
who comes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from alongside.directory.day_parts import DAY_CHOICES, TIME_OF_DAY, TIME_OF_DAY_CHOICES
from alongside.directory.taxonomy import TERMS_BY_GROUP
from alongside.groups.feeds import feed_groups, group_address, group_calendar, meeting_guide_feed
from alongside.groups.models import Group
from alongside.groups.public import (
    FORMATS,
    UPCOMING_DAYS,
    public_group_or_none,
    public_groups,
    public_groups_filtered,
    upcoming,
    with_schedules,
)
from alongside.groups.schedule import Occurrence

if TYPE_CHECKING:
    from django.http import HttpRequest

PER_PAGE = 30
FEED_MAX_AGE = 300  # seconds


class GroupFilterForm(forms.Form):
    day = forms.ChoiceField(
        label=_("Day"),
        required=False,
        choices=[("", _("Any day")), *DAY_CHOICES],
    )
    time_of_day = forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=[("", _("Any time")), *TIME_OF_DAY_CHOICES],
    )
    format = forms.ChoiceField(
        label=_("How it meets"), required=False, choices=[("", _("Any way")), *FORMATS]
    )
    # The directory's codes, as groups are tagged with them.
    focus = forms.ChoiceField(
        label=_("Focus"),
        required=False,
        choices=[("", _("Any focus")), *((t.code, t.label) for t in TERMS_BY_GROUP["focus"])],
    )
    population = forms.ChoiceField(
        label=_("Who it is for"),
        required=False,
        choices=[
            ("", _("Anyone")),
            *((t.code, t.label) for t in TERMS_BY_GROUP["population"]),
        ],
    )
    open_only = forms.BooleanField(label=_("Open groups only (anyone may come)"), required=False)


def site_url(request: HttpRequest) -> str:
    """The deployment's address for links that leave the site (feeds, calendars)."""
    return (settings.ALONGSIDE_SITE_URL or request.build_absolute_uri("/")).rstrip("/")


@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    today = timezone.localdate()
    groups = public_groups_filtered(
        day=chosen.get("day", ""),
        time_of_day=chosen.get("time_of_day", ""),
        meets=chosen.get("format", ""),
        focus=chosen.get("focus", ""),
        population=chosen.get("population", ""),
        open_only=chosen.get("open_only", False),
        today=today,
    ).order_by("name", "slug")
    # Schedules from yesterday: a group's "today" may still be yesterday here.
    first, last = today - timedelta(days=1), today + timedelta(days=UPCOMING_DAYS + 1)
    page = Paginator(with_schedules(groups, first, last), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [_row(group, now) for group in page]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "groups/public/list.html",
        {"form": form, "chosen": chosen, "page": page, "rows": rows, "bands": TIME_OF_DAY},
        status=status,
    )


def _row(group: Group, now: datetime) -> dict[str, Any]:
    """A group in the list: its next meeting, and the cancelled ones before it (said so)."""
    cancelled: list[Occurrence] = []
    for occurrence in upcoming(group, now):
        if not occurrence.cancelled:
            return {"group": group, "next": occurrence, "cancelled": cancelled}
        cancelled.append(occurrence)
    return {"group": group, "next": None, "cancelled": cancelled}


@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate()
    first, last = today - timedelta(days=1), today + timedelta(days=UPCOMING_DAYS + 1)
    found = with_schedules(public_groups().filter(slug=slug), first, last).first()
    if found is None:
        raise Http404
    sessions = upcoming(found, now)
    try:
        language = get_language_info(found.language)["name_translated"]
    except KeyError:
        language = found.language
    return render(
        request,
        "groups/public/detail.html",
        {
            "group": found,
            "sessions": sessions,
            "where": group_address(found),
            "language": language,
            "days": UPCOMING_DAYS,
        },
    )


@require_safe
def group_ics(request: HttpRequest, slug: str) -> HttpResponse:
    group = public_group_or_none(slug)
    if group is None:
        raise Http404
    url = site_url(request) + reverse("groups_public:detail", args=[group.slug])
    response = HttpResponse(
        group_calendar(group, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{group.slug}.ics"'
    return response


@require_safe
def meeting_guide(request: HttpRequest) -> JsonResponse:
    """The Meeting Guide feed (code4recovery's spec) of every public group."""
    meetings = meeting_guide_feed(
        feed_groups(), base_url=site_url(request), today=timezone.localdate()
    )
    response = JsonResponse(meetings, safe=False, json_dumps_params={"ensure_ascii": False})
    # Meeting finders read the feed from other sites' pages; it holds only public listings.
    response["Access-Control-Allow-Origin"] = "*"
    # Finders import it a few times a day; a proxy in front may keep it for a few minutes.
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
