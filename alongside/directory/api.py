"""The public search API, ``GET /api/v1/search``: the same parameters as the ``/find/`` page."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import StringConstraints

from alongside.core.api import ErrorsOut
from alongside.directory.day_parts import DAY_CHOICES, TIME_OF_DAY_CHOICES
from alongside.directory.forms import LANGUAGE_CODE, SORTS, SearchForm
from alongside.directory.search import SearchResults, services_search
from alongside.directory.taxonomy import LANGUAGES, codes
from alongside.lib.api_errors import errors_response
from alongside.lib.public_answers import public_answer

if TYPE_CHECKING:
    from django.http import HttpRequest

router = Router(tags=["directory"])


def _codes_enum(name: str, values: list[str]) -> type[Enum]:
    return Enum(name, {v: v for v in values}, type=str)  # type: ignore[return-value]


TypeCode = _codes_enum("TypeCode", codes("type"))
FormatCode = _codes_enum("FormatCode", codes("format"))
PopulationCode = _codes_enum("PopulationCode", codes("population"))
FocusCode = _codes_enum("FocusCode", codes("focus"))
CostCode = _codes_enum("CostCode", codes("cost"))
CredentialCode = _codes_enum("CredentialCode", codes("credential"))
PathwaysCode = _codes_enum("PathwaysCode", codes("pathways"))
AccessCode = _codes_enum("AccessCode", codes("access"))
AttributeCode = _codes_enum("AttributeCode", codes("attribute"))
HousingLevelCode = _codes_enum("HousingLevelCode", codes("housing_level"))
SortChoice = _codes_enum("SortChoice", [code for code, _label in SORTS])
DayChoice = _codes_enum("DayChoice", [code for code, _label in DAY_CHOICES])
TimeOfDayChoice = _codes_enum("TimeOfDayChoice", [code for code, _label in TIME_OF_DAY_CHOICES])


class SearchQuery(Schema):
    """Documents the parameters; ``SearchForm`` validates them, for the page and the API."""

    q: str | None = Field(
        None, max_length=200, description="Keywords over names and descriptions (stemmed)."
    )
    near: str | None = Field(
        None, max_length=100, description='A US ZIP, a town ("Concord, NH") or "lat,lon".'
    )
    radius: int | None = Field(None, ge=1, le=500, description="Miles from `near` (default 25).")
    county: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        [],
        description='A county, such as "Merrimack" or "Coos County"; repeatable (values are '
        'OR-ed), or several in one value separated by commas ("Coos, Sullivan"). An unknown '
        "county answers 400.",
    )
    type: list[TypeCode] = Field([], description="Repeatable; values of one filter are OR-ed.")  # type: ignore[valid-type]
    format: list[FormatCode] = []  # type: ignore[valid-type]
    population: list[PopulationCode] = []  # type: ignore[valid-type]
    focus: list[FocusCode] = Field(  # type: ignore[valid-type]
        [],
        description="`co_occurring` services are found by `mental_health` and by `substance_use`.",
    )
    language: list[Annotated[str, StringConstraints(pattern=f"^{LANGUAGE_CODE.pattern}$")]] = Field(
        [],
        description="Language codes: ISO 639-1 (two letters, such as `es`), or `asl`. "
        f"Facets count these always: {', '.join(code for code, _name in LANGUAGES)}; "
        "and any other that is asked for.",
    )
    cost: list[CostCode] = []  # type: ignore[valid-type]
    credential: list[CredentialCode] = []  # type: ignore[valid-type]
    pathways: list[PathwaysCode] = Field(  # type: ignore[valid-type]
        [],
        description="`mat_welcome`: welcomes people who take medication for opioid use "
        "disorder; `all_pathways`: welcomes any recovery pathway.",
    )
    access: list[AccessCode] = Field(  # type: ignore[valid-type]
        [], description="Repeatable; unlike the other filters, every value asked must hold."
    )
    attribute: list[AttributeCode] = Field(  # type: ignore[valid-type]
        [], description="`peer_run`: the organization is run by peers."
    )
    peer_run: bool | None = Field(
        None, description="`1` or `true`: the same as `attribute=peer_run`."
    )
    housing_level: list[HousingLevelCode] = Field(  # type: ignore[valid-type]
        [], description="Recovery housing certified at a NARR level (I to IV)."
    )
    open_now: bool | None = Field(
        None, description="`1` or `true`: only services open now; `0` or `false`: all."
    )
    open_at: datetime | None = Field(None, description="ISO 8601; what open_now would answer then.")
    day: DayChoice | None = Field(  # type: ignore[valid-type]
        None, description="Weekly hours on this day (`tue`), such as a group's meetings."
    )
    time_of_day: TimeOfDayChoice | None = Field(  # type: ignore[valid-type]
        None,
        description="Weekly hours in this part of the day, local time: morning 5–12, "
        "afternoon 12–17, evening 17–21, night 21–5. With `day`: that day only.",
    )
    sort: SortChoice | None = Field(None, description="`distance` needs `near`.")  # type: ignore[valid-type]
    page: int | None = Field(None, ge=1)
    per_page: int | None = Field(None, ge=1, le=100)


class ResultOut(Schema):
    service_id: str
    name: str
    organization_name: str
    types: list[str]
    formats: list[str]
    distance_miles: float | None
    open_now: bool | None
    next_open: datetime | None
    verified_on: date | None
    town: str | None = Field(description="Null for an area-wide service with no place.")


class SearchOut(Schema):
    total: int = Field(description="How many services match (see `limited`).")
    page: int
    limited: bool = Field(
        description="True when a search with no `near` or `county` looked only at the best "
        "matches (by keywords, else by name; 500 by default, DIRECTORY_SEARCH_LIMIT): add a "
        "place to search all."
    )
    results: list[ResultOut]
    facets: dict[str, dict[str, int]] = Field(
        description="For each filter, how many services each value would find; `county` "
        'counts the services found by county ("Merrimack County, NH").'
    )
    other_places: list[str] = Field(
        [],
        description="For a town given without its state (`near=Concord`), read in the "
        "deployment's own state first: the other towns of that name, nearest first.",
    )


def search_payload(found: SearchResults) -> dict[str, Any]:
    return {
        "total": found.total,
        "page": found.page,
        "limited": found.limited,
        "facets": found.facets,
        "results": [
            {
                "service_id": str(r.service_id),
                "name": r.name,
                "organization_name": r.organization_name,
                "types": r.codes["type"],
                "formats": r.codes["format"],
                "distance_miles": round(r.distance_miles, 1)
                if r.distance_miles is not None
                else None,
                "open_now": r.state.open_now,
                "next_open": r.state.next_open,
                "verified_on": r.verified_on,
                "town": r.town or None,
            }
            for r in found.results
        ],
    }


@router.get(
    "/search",
    auth=None,
    response={200: SearchOut, 400: ErrorsOut},
    summary="Search the peer support directory",
)
def search(request: HttpRequest, params: Query[SearchQuery]) -> HttpResponse:
    """Public, as the HSDS API: CORS open, an ETag and a short cache time (``public_answers``)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return errors_response(
            {f: [str(m) for m in msgs] for f, msgs in form.errors.items()}, status=400
        )
    answer = SearchOut(
        **search_payload(services_search(form.params())),
        other_places=[place.label for place in form.other_places[:8]],
    )
    response = HttpResponse(
        json.dumps(answer.model_dump(by_alias=True), cls=NinjaJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    return public_answer(request, response, max_age=settings.DIRECTORY_PAGE_CACHE_SECONDS)
