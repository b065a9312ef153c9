from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, get_language_info
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from alongside.core.client import client_ip, over_hourly_limit
from alongside.directory.forms import LANGUAGE_CODE, SearchForm, SuggestionForm
from alongside.directory.models import Service
from alongside.directory.search import SearchResults, services_search
from alongside.directory.search.params import DEFAULT_RADIUS
from alongside.directory.selectors import REMOTE_FORMATS, service_detail, statewide_services
from alongside.directory.services import suggestion_submit
from alongside.directory.taxonomy import GROUPS, LANGUAGES, TERMS_BY_GROUP

if TYPE_CHECKING:
    from django.http import HttpRequest


def _filter_groups(form: SearchForm, facets: dict[str, dict[str, int]]) -> list[dict]:
    """The filter checkboxes: each term with its count, checked as the search asked."""
    groups = []
    for group, label in GROUPS.items():
        chosen = _chosen(form, group)
        groups.append(
            {
                "name": group,
                "label": str(label),
                # Plain strings: a lazy translation is looked up again at every use.
                "terms": [
                    {
                        "code": term.code,
                        "label": str(term.label),
                        "description": str(term.description),
                        "checked": term.code in chosen,
                        "count": facets.get(group, {}).get(term.code, 0),
                    }
                    for term in TERMS_BY_GROUP[group]
                ],
            }
        )
    return groups


def _languages(form: SearchForm, facets: dict[str, dict[str, int]]) -> list[dict]:
    """The language boxes, each with its count: the usual ones, then any other the search
    asked for."""
    chosen = {code.lower() for code in _chosen(form, "language")}
    offered = [(code, str(name)) for code, name in LANGUAGES]
    others = sorted(
        c for c in chosen - {code for code, _n in offered} if LANGUAGE_CODE.fullmatch(c)
    )
    offered += [(code, _language_name(code)) for code in others]
    counts = facets.get("language", {})
    return [
        {"code": code, "name": name, "checked": code in chosen, "count": counts.get(code, 0)}
        for code, name in offered
    ]


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:  # a language Django has no name for
        return code


def _chosen(form: SearchForm, name: str) -> set[str]:
    # What was asked, even when another field is wrong (the widget's own rule).
    return set(form[name].value() or []) if form.is_bound else set()


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The search page. Visitors without cookies share a page per search for a minute."""
    seconds = settings.DIRECTORY_PAGE_CACHE_SECONDS
    # No cookie: no session, so nothing on the page can be this visitor's own.
    shared = seconds > 0 and not request.COOKIES
    key = _page_key(request) if shared else ""
    content = cache.get(key) if shared else None
    if content is not None:
        response = HttpResponse(content)
    else:
        response = _search(request)
        if shared and response.status_code == 200:
            cache.set(key, response.content, seconds)
    if shared:
        patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ["Cookie", "HX-Request", "Accept-Language"])
    return response


def _page_key(request: HttpRequest) -> str:
    parts = f"{get_language()} {bool(request.htmx)} {request.get_full_path()}"  # type: ignore[attr-defined]
    return "directory.find:" + hashlib.sha256(parts.encode()).hexdigest()


def _search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    found = services_search(form.params()) if form.is_valid() else None
    context = {
        "form": form,
        "found": found,
        "did_you_mean": _other_places(request, form),
        "counties": _county_links(request, found.facets.get("county", {}) if found else {}),
        "fallback": _fallback(request, form, found),
        "groups": _filter_groups(form, found.facets if found else {}),
        "languages": _languages(form, found.facets if found else {}),
        "query_string": request.GET.urlencode(),
        "limit": settings.DIRECTORY_SEARCH_LIMIT,
    }
    # A live update is the results and, out of band, the counts around them.
    template = "directory/_live_update.html" if request.htmx else "directory/search.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if form.is_valid() else 400)


def _with(request: HttpRequest, **changes: str) -> str:
    """This search's query string with some parameters changed (and the first page)."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


def _other_places(request: HttpRequest, form: SearchForm) -> list[dict[str, str]]:
    """Other towns the place typed may mean, each as this search there."""
    return [
        {"label": place.label, "url": _with(request, near=place.label)}
        for place in form.other_places[:8]
    ]


def _county_links(request: HttpRequest, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The county facet: each county of the services found, with its count, as this search
    narrowed to that county."""
    return [
        {"name": county, "count": count, "url": _with(request, county=county)}
        for county, count in counts.items()
    ]


WIDER_RADII = (25, 50, 100)


def _fallback(request: HttpRequest, form: SearchForm, found: SearchResults | None) -> dict | None:
    """What a search that found nothing, or could not read its place, still offers: a wider
    circle, the services by phone, text or video for the whole state, and the crisis line."""
    if found is not None and found.total:
        return None
    if found is None and "near" not in form.errors:
        return None
    wider = ""
    if found is not None and found.place is not None:
        radius = form.cleaned_data.get("radius") or DEFAULT_RADIUS
        if larger := next((r for r in WIDER_RADII if r > radius), None):
            wider = _with(request, radius=str(larger))
            wider_miles = larger
    state = str(settings.DIRECTORY_HOME_STATE or "")
    remote = "&".join(f"format={code}" for code in REMOTE_FORMATS)
    return {
        "wider_url": wider,
        "wider_miles": wider_miles if wider else 0,
        "state": state,
        "statewide": statewide_services(state),
        "statewide_url": f"{reverse('directory:search')}?{remote}",
    }


@require_safe
def service_page(request: HttpRequest, service_id: str) -> HttpResponse:
    detail = service_detail(service_id, timezone.now())
    if detail is None:
        raise Http404
    return render(request, "directory/service.html", {"d": detail, "back": _back(request)})


def _back(request: HttpRequest) -> str:
    """The search a listing was opened from (``?back=``), as a query string of the search's
    own fields only, so that "Back to search" returns to it."""
    searched = QueryDict(request.GET.get("back", "")[:2000], mutable=True)
    known = set(SearchForm.base_fields) | set(GROUPS)
    for name in list(searched):
        if name not in known:
            del searched[name]
    return searched.urlencode()


def _over_suggestion_limit(request: HttpRequest) -> bool:
    """At most ``DIRECTORY_SUGGESTIONS_PER_HOUR`` suggestions an hour from one address."""
    address = client_ip(request) or ""
    return over_hourly_limit("suggest", address, settings.DIRECTORY_SUGGESTIONS_PER_HOUR)


# No account and no session here, so there is no ambient authority for CSRF to protect, and
# the listing page stays cookie-free. A honeypot field and a rate limit keep spam out.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.exclude(status=Service.Status.DEFUNCT), pk=service_id
    )
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _over_suggestion_limit(request):
            return render(
                request, "directory/suggest_limited.html", {"service": service}, status=429
            )
        if form.is_valid():
            if form.cleaned_data["homepage"]:
                # A bot filled the hidden field: thank it and keep nothing.
                return render(request, "directory/suggest_thanks.html", {"service": service})
            data = form.cleaned_data
            try:
                suggestion_submit(
                    service=service,
                    proposed={
                        f: data[f]
                        for f in (
                            "name",
                            "phone",
                            "url",
                            "email",
                            "description",
                            "fees_description",
                        )
                    },
                    message=data["message"],
                    contact=data["contact"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, "directory/suggest_thanks.html", {"service": service})
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/suggest.html", {"service": service, "form": form}, status=status
    )
