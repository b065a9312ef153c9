"""The read-only Open Referral HSDS 3.0 API at ``/api/hsds/``, for other directories and 211s.

No account is needed. Only active services appear, with what hangs off them; a confidential
address appears as its town only. Every answer allows any origin (CORS), a browser's preflight
included (``lib.public_answers``), and carries an ETag and a Last-Modified date; a request
whose If-None-Match matches gets 304 Not Modified (a date alone cannot tell that nothing
changed: see docs/hsds.md).
Lists are paged the HSDS way (``page``, ``per_page``; ``total_items``, ``contents``, …) and
take a fixed number of queries whatever the page size.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from types import GenericAlias
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import create_model

from alongside.core.api import ErrorsOut
from alongside.directory.hsds import documents as d
from alongside.directory.hsds.mapping import MAPPINGS
from alongside.directory.hsds.tables import TABLES
from alongside.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from alongside.lib.api_errors import bad_parameters, errors_response
from alongside.lib.public_answers import public_answer

if TYPE_CHECKING:
    from django.http import HttpRequest

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/v3.0/hsds/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
CACHE_SECONDS = 60
_ACTIVE = Service.Status.ACTIVE


# --- answers ------------------------------------------------------------------------------


def _finish(
    request: HttpRequest, response: HttpResponse, last_modified: datetime | None = None
) -> HttpResponse:
    return public_answer(request, response, max_age=CACHE_SECONDS, last_modified=last_modified)


def _answer(request: HttpRequest, payload: Any, last_modified: datetime | None) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _finish(request, response, last_modified)


def _not_found() -> HttpResponse:
    return errors_response({"id": ["No such record here."]}, status=404)


def _cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _finish(request, view(request, *args, **kwargs))

    return wrapper


hsds_api = NinjaAPI(
    title="Alongside HSDS API",
    version=HSDS_VERSION,
    description=(
        "Open Referral HSDS 3.0, read-only: the public peer support directory. No account "
        "needed; CORS open; ETag and Last-Modified; If-None-Match answers 304 when "
        "unchanged."
    ),
    urls_namespace="hsds",
    docs_url=None,
    docs_decorator=_cached,  # the OpenAPI document is a public answer too: an ETag
)
hsds_api.exception_handler(ValidationError)(bad_parameters)


# --- shapes, for the OpenAPI document (built from the same HSDS tables) ----------------------

_EXTRA_OUT = {"service": {"last_modified"}, "schedule": {"timezone"}, "taxonomy_term": {"taxonomy"}}


def _many(item: Any) -> Any:
    return GenericAlias(list, (item,))


def _shape(name: str, table: str, **nested: Any) -> Any:
    fields: dict[str, Any] = {"id": (str, ...)}
    shown = set(MAPPINGS[table].columns) | _EXTRA_OUT.get(table, set())
    for f in TABLES[table].fields:
        if f.name in shown and f.name != "id":
            kind: Any = float if f.type == "number" else str
            fields[f.name] = (kind | None, None)
    fields.update({key: (kind | None, None) for key, kind in nested.items()})
    return create_model(name, __base__=Schema, **fields)


TaxonomyOut = _shape("Taxonomy", "taxonomy")
TermOut = _shape("TaxonomyTerm", "taxonomy_term", taxonomy_detail=TaxonomyOut)
AttributeOut = _shape("Attribute", "attribute", taxonomy_term=TermOut)
LanguageOut = _shape("Language", "language")
PhoneOut = _shape("Phone", "phone", languages=_many(LanguageOut))
ContactOut = _shape("Contact", "contact", phones=_many(PhoneOut))
ScheduleOut = _shape("Schedule", "schedule")
LocationBriefOut = _shape("LocationBrief", "location")
LocationOut = _shape(
    "Location",
    "location",
    addresses=_many(_shape("Address", "address")),
    accessibility=_many(_shape("Accessibility", "accessibility")),
    phones=_many(PhoneOut),
    contacts=_many(ContactOut),
    languages=_many(LanguageOut),
    schedules=_many(ScheduleOut),
    attributes=_many(AttributeOut),
)
OrganizationBriefOut = _shape("OrganizationBrief", "organization")
ServiceBriefOut = _shape("ServiceBrief", "service", organization=OrganizationBriefOut)
ServiceAtLocationBriefOut = _shape(
    "ServiceAtLocationBrief",
    "service_at_location",
    location=LocationBriefOut,
    service=ServiceBriefOut,
)
ServiceAtLocationOut = _shape(
    "ServiceAtLocation",
    "service_at_location",
    schedules=_many(ScheduleOut),
    contacts=_many(ContactOut),
    location=LocationOut,
    service=ServiceBriefOut,
)
ServiceOut = _shape(
    "Service",
    "service",
    organization=_shape(
        "Organization", "organization", phones=_many(PhoneOut), contacts=_many(ContactOut)
    ),
    phones=_many(PhoneOut),
    contacts=_many(ContactOut),
    schedules=_many(ScheduleOut),
    service_areas=_many(_shape("ServiceArea", "service_area")),
    service_at_locations=_many(
        _shape(
            "ServiceAtLocationOfService",
            "service_at_location",
            schedules=_many(ScheduleOut),
            contacts=_many(ContactOut),
            location=LocationOut,
        )
    ),
    languages=_many(LanguageOut),
    cost_options=_many(_shape("CostOption", "cost_option")),
    attributes=_many(AttributeOut),
)
OrganizationOut = _shape(
    "OrganizationWithServices",
    "organization",
    phones=_many(PhoneOut),
    contacts=_many(ContactOut),
    services=_many(_shape("ServiceOfOrganization", "service")),
)


class PageOut(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="The number of entities in this page.")
    first_page: bool
    last_page: bool
    empty: bool


def _page_of(name: str, item: Any) -> Any:
    return create_model(name, __base__=PageOut, contents=(_many(item), ...))


class ApiInfoOut(Schema):
    version: str
    profile: str
    openapi_url: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Items per page, 1 to {MAX_PER_PAGE}."
    )


class ServicesQuery(PageQuery):
    organization_id: uuid.UUID | None = Field(None, description="Only this organization's.")
    taxonomy_term_id: uuid.UUID | None = Field(None, description="Only those with this term.")
    taxonomy_id: uuid.UUID | None = Field(None, description="Only those with a term of this.")
    full: bool = Field(False, description="Fully nested services, as /services/{id} gives.")


class TermsQuery(PageQuery):
    taxonomy_id: uuid.UUID | None = Field(None, description="Only the terms of this taxonomy.")


# --- helpers --------------------------------------------------------------------------------


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((x for x in moments if x is not None), default=None)


def _directory_changed() -> datetime | None:
    """When anything in the directory last changed (for answers without their own date)."""
    return _latest(
        [
            Service.objects.aggregate(at=Max("last_modified"))["at"],
            Organization.objects.aggregate(at=Max("last_modified"))["at"],
        ]
    )


def _paged(
    request: HttpRequest,
    queryset: QuerySet[Any],
    params: PageQuery,
    build: Callable[[list[Any]], list[dict[str, Any]]],
    changed: Callable[[list[Any]], datetime | None],
) -> HttpResponse:
    total = queryset.count()
    start = (params.page - 1) * params.per_page
    # A page past the end is empty; never ask the database for an absurd OFFSET.
    items = list(queryset[start : start + params.per_page]) if start < total else []
    pages = math.ceil(total / params.per_page)
    payload = {
        "total_items": total,
        "total_pages": pages,
        "page_number": params.page,
        "size": len(items),
        "first_page": params.page == 1,
        "last_page": params.page >= pages,
        "empty": not items,
        "contents": build(items),
    }
    return _answer(request, payload, changed(items) if items else _directory_changed())


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _service_changed(services: list[Service]) -> datetime | None:
    return _latest(t for s in services for t in (s.last_modified, s.organization.last_modified))


def _active_services() -> QuerySet[Service]:
    return Service.objects.filter(status=_ACTIVE).select_related("organization")


# --- endpoints ------------------------------------------------------------------------------


@hsds_api.get("/", response=ApiInfoOut, summary="About this API and its HSDS version")
def api_info(request: HttpRequest) -> HttpResponse:
    payload = {
        "version": HSDS_VERSION,
        "profile": HSDS_PROFILE,
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
    }
    return _answer(request, payload, _directory_changed())


@hsds_api.get(
    "/services",
    response={200: _page_of("ServicePage", ServiceBriefOut), 400: ErrorsOut},
    summary="Active services, a page at a time",
)
def services(request: HttpRequest, params: Query[ServicesQuery]) -> HttpResponse:
    queryset = _active_services().order_by("name", "id")
    if params.organization_id:
        queryset = queryset.filter(organization_id=params.organization_id)
    if params.taxonomy_term_id:
        linked = Attribute.objects.filter(taxonomy_term_id=params.taxonomy_term_id)
        queryset = queryset.filter(id__in=linked.values("link_id"))
    if params.taxonomy_id:
        linked = Attribute.objects.filter(taxonomy_term__taxonomy_id=params.taxonomy_id)
        queryset = queryset.filter(id__in=linked.values("link_id"))
    if params.full:
        queryset = d.documents_queryset(queryset)

    def build(items: list[Service]) -> list[dict[str, Any]]:
        if not params.full:
            return [d.service_list_document(s) for s in items]
        ctx = d.context_for(items, public=True)
        return [d.service_document(s, ctx) for s in items]

    return _paged(request, queryset, params, build, _service_changed)


@hsds_api.get(
    "/services/{service_id}",
    response={200: ServiceOut, 404: ErrorsOut},
    summary="One active service, fully nested",
)
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    key = _uuid(service_id)
    found = list(d.documents_queryset(_active_services().filter(pk=key))) if key else []
    if not found:
        return _not_found()
    ctx = d.context_for(found, public=True)
    return _answer(request, d.service_document(found[0], ctx), _service_changed(found))


def _organizations() -> QuerySet[Organization]:
    with_active = Service.objects.filter(status=_ACTIVE).values("organization_id")
    return Organization.objects.filter(id__in=with_active)


@hsds_api.get(
    "/organizations",
    response={200: _page_of("OrganizationPage", OrganizationBriefOut), 400: ErrorsOut},
    summary="Organizations with at least one active service",
)
def organizations(request: HttpRequest, params: Query[PageQuery]) -> HttpResponse:
    return _paged(
        request,
        _organizations().order_by("name", "id"),
        params,
        lambda items: [d.compact("organization", d.row("organization", o)) for o in items],
        lambda items: _latest(o.last_modified for o in items),
    )


@hsds_api.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, 404: ErrorsOut},
    summary="One organization, with its active services",
)
def organization(request: HttpRequest, organization_id: str) -> HttpResponse:
    key = _uuid(organization_id)
    active = Service.objects.filter(status=_ACTIVE).order_by("name", "id")
    found = (
        _organizations()
        .filter(pk=key)
        .prefetch_related(
            Prefetch("services", queryset=active),
            "phones__languages",
            "contacts__phones__languages",
        )
        .first()
        if key
        else None
    )
    if found is None:
        return _not_found()
    services = list(found.services.all())
    doc = d.organization_with_services(found, services)
    changed = _latest([found.last_modified, *(s.last_modified for s in services)])
    return _answer(request, doc, changed)


def _service_at_locations() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(service__status=_ACTIVE).select_related(
        "service__organization", "location"
    )


def _sal_changed(items: list[ServiceAtLocation]) -> datetime | None:
    return _service_changed([s.service for s in items])


@hsds_api.get(
    "/service_at_locations",
    response={200: _page_of("ServiceAtLocationPage", ServiceAtLocationBriefOut), 400: ErrorsOut},
    summary="Where active services are offered, a page at a time",
)
def service_at_locations(request: HttpRequest, params: Query[PageQuery]) -> HttpResponse:
    def build(items: list[ServiceAtLocation]) -> list[dict[str, Any]]:
        ctx = d.Context(public=True)
        return [
            {
                **d.compact("service_at_location", d.row("service_at_location", sal)),
                "location": d.location_document(sal.location, ctx, nested=False),
                "service": d.service_list_document(sal.service),
            }
            for sal in items
        ]

    # A confidential place is shown at its town, which its addresses tell.
    queryset = _service_at_locations().prefetch_related("location__addresses")
    return _paged(request, queryset.order_by("service__name", "id"), params, build, _sal_changed)


@hsds_api.get(
    "/service_at_locations/{sal_id}",
    response={200: ServiceAtLocationOut, 404: ErrorsOut},
    summary="One service at one location, fully nested",
)
def service_at_location(request: HttpRequest, sal_id: str) -> HttpResponse:
    key = _uuid(sal_id)
    found = (
        _service_at_locations()
        .filter(pk=key)
        .prefetch_related(
            "schedules",
            "contacts__phones__languages",
            "location__addresses",
            "location__accessibility",
            "location__phones__languages",
            "location__contacts__phones__languages",
            "location__languages",
            "location__schedules",
        )
        .first()
        if key
        else None
    )
    if found is None:
        return _not_found()
    ctx = d.Context(attributes=d.attributes_for([found.location_id]), public=True)
    doc = d.service_at_location_document(found, ctx)
    doc["service"] = d.service_list_document(found.service)
    return _answer(request, doc, _sal_changed([found]))


def _taxonomy_doc(taxonomy: Taxonomy) -> dict[str, Any]:
    return d.compact("taxonomy", d.row("taxonomy", taxonomy))


@hsds_api.get(
    "/taxonomies",
    response={200: _page_of("TaxonomyPage", TaxonomyOut), 400: ErrorsOut},
    summary="The taxonomies services are described with",
)
def taxonomies(request: HttpRequest, params: Query[PageQuery]) -> HttpResponse:
    queryset = Taxonomy.objects.order_by("name", "id")
    return _paged(
        request,
        queryset,
        params,
        lambda items: [_taxonomy_doc(t) for t in items],
        lambda items: _directory_changed(),
    )


@hsds_api.get(
    "/taxonomies/{taxonomy_id}",
    response={200: TaxonomyOut, 404: ErrorsOut},
    summary="One taxonomy",
)
def taxonomy(request: HttpRequest, taxonomy_id: str) -> HttpResponse:
    key = _uuid(taxonomy_id)
    found = Taxonomy.objects.filter(pk=key).first() if key else None
    if found is None:
        return _not_found()
    return _answer(request, _taxonomy_doc(found), _directory_changed())


@hsds_api.get(
    "/taxonomy_terms",
    response={200: _page_of("TaxonomyTermPage", TermOut), 400: ErrorsOut},
    summary="Taxonomy terms, with their taxonomy",
)
def taxonomy_terms(request: HttpRequest, params: Query[TermsQuery]) -> HttpResponse:
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__name", "code", "id"
    )
    if params.taxonomy_id:
        queryset = queryset.filter(taxonomy_id=params.taxonomy_id)
    return _paged(
        request,
        queryset,
        params,
        lambda items: [d.term_document(t) for t in items],
        lambda items: _directory_changed(),
    )


@hsds_api.get(
    "/taxonomy_terms/{term_id}",
    response={200: TermOut, 404: ErrorsOut},
    summary="One taxonomy term",
)
def taxonomy_term(request: HttpRequest, term_id: str) -> HttpResponse:
    key = _uuid(term_id)
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=key).first() if key else None
    if found is None:
        return _not_found()
    return _answer(request, d.term_document(found), _directory_changed())
