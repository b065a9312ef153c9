"""What a search asks, validated once (by ``SearchForm``) and handed to the engine as is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from alongside.directory import geo
from alongside.directory.day_parts import BAND_BY_CODE, WEEKDAY_BY_CODE
from alongside.directory.taxonomy import FILTER_GROUPS

DEFAULT_RADIUS = 25
DEFAULT_PER_PAGE = 20


def _frozen(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in value.items() if v})


@dataclass(frozen=True)
class SearchParams:
    """A valid search. ``filters`` holds, per filter group (``taxonomy.FILTER_GROUPS``), the
    codes asked: OR-ed within a group (AND-ed for ``access``), AND-ed across groups."""

    q: str = ""
    place: geo.Place | None = None
    radius: int = DEFAULT_RADIUS
    counties: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    open_now: bool = False
    open_at: datetime | None = None
    day: str = ""  # a code of ``day_parts.DAYS`` ("tue")
    time_of_day: str = ""  # a code of ``day_parts.TIME_OF_DAY`` ("evening")
    sort: str = "name"  # distance, relevance or name: never one the search cannot do
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", _frozen(self.filters))
        unknown = set(self.filters) - set(FILTER_GROUPS)
        if unknown:
            raise ValueError(f"unknown filter groups: {sorted(unknown)}")
        if (
            self.day
            and self.day not in WEEKDAY_BY_CODE
            or (self.time_of_day and self.time_of_day not in BAND_BY_CODE)
        ):
            raise ValueError("unknown day or time of day")

    @property
    def wants_open(self) -> bool:
        return self.open_now or self.open_at is not None

    @classmethod
    def of(cls, data: Mapping[str, Any], place: geo.Place | None = None) -> SearchParams:
        """From ``SearchForm.cleaned_data`` (already valid)."""
        q = data.get("q") or ""
        sort = data.get("sort") or ("distance" if place else ("relevance" if q else "name"))
        if sort == "relevance" and not q:
            sort = "name"
        # ``peer_run=1`` is the attribute's own box, as a link may ask for it.
        extra = {"attribute": ("peer_run",)} if data.get("peer_run") else {}
        return cls(
            q=q,
            place=place,
            radius=data.get("radius") or DEFAULT_RADIUS,
            counties=tuple(data.get("county") or ()),
            filters={
                g: tuple(dict.fromkeys([*(data.get(g) or ()), *extra.get(g, ())]))
                for g in FILTER_GROUPS
            },
            open_now=bool(data.get("open_now")),
            open_at=data.get("open_at"),
            day=data.get("day") or "",
            time_of_day=data.get("time_of_day") or "",
            sort=sort,
            page=data.get("page") or 1,
            per_page=data.get("per_page") or DEFAULT_PER_PAGE,
        )
