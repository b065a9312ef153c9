"""The values the care API takes, shared by every schema, and the check that keeps each
schema's writable fields to the list its service writes.

Choices are enums of the models' values; free text refuses NUL characters (PostgreSQL cannot
store them); dates and times are bounded to what a care record can mean, so a bad value is a
400 naming the field rather than an error in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Choices
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, WithJsonSchema

from alongside.care.models import CATEGORIES, Purpose, ServiceCategory

NO_NUL = r"^[^\x00]*$"
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
S = TypeVar("S", bound=Schema)


def choices_enum(name: str, choices: type[Choices]) -> type[Enum]:
    """The model's choices as an enum, named ``name`` in the OpenAPI description."""
    return Enum(name, {v: v for v in choices.values}, type=str)  # type: ignore[return-value]


# Choices more than one part of the API takes.
CategoryChoice = choices_enum("ServiceCategory", ServiceCategory)
PurposeChoice = choices_enum("Purpose", Purpose)
# "as_described" is kept for consents recorded before the categories; nothing new may use it.
InformationCategoryChoice = Enum(  # type: ignore[misc]
    "InformationCategory", {c.value: c.value for c in CATEGORIES}, type=str
)


def _in_range_day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"Give a date between {EARLIEST} and {LATEST}.")
    return value


def _in_range_moment(value: datetime) -> datetime:
    _in_range_day(value.date())
    return value


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give a local time without a time zone, e.g. 10:30.")
    return value


def _iso_text(value: Any) -> Any:
    # Without this, pydantic would read a number as seconds since 1970.
    if not isinstance(value, str | date | time):
        raise ValueError("Give an ISO 8601 string.")
    return value


Day = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_in_range_day)]
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_range_moment)]
ClockTime = Annotated[
    time,
    BeforeValidator(_iso_text),
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "Local time, HH:MM.",
        }
    ),
]


# JSON Schema's "time" format needs a UTC offset; these are wall-clock times on ``date``.
LocalTimeOut = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "Local time, HH:MM:SS.",
        }
    ),
]


def words(max_length: int | None = None, default: Any = "", **extra: Any) -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, **extra)


class In(Schema):
    """Input: enums arrive as their plain values; unknown fields are refused."""

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


def writes(
    service_fields: Iterable[str], *, omit: Iterable[str] = (), extra: Iterable[str] = ()
) -> Callable[[type[S]], type[S]]:
    """Hold a schema's fields to the fields its service writes (``services.GOAL_FIELDS``, …).

    The schema keeps its own annotations (types, limits, validators); this checks the names
    when the module is imported, so a field added to or dropped from the service's list and not
    here stops the API from loading. ``omit`` names what the API deliberately does not take,
    ``extra`` what it takes besides (usernames, ids of related records, options of the call).
    """

    def check(schema: type[S]) -> type[S]:
        wanted = (set(service_fields) - set(omit)) | set(extra)
        have = set(schema.model_fields)
        if have != wanted:
            raise ImproperlyConfigured(
                f"{schema.__name__} does not take what its service writes: "
                f"missing {sorted(wanted - have)}, unknown to the service {sorted(have - wanted)}."
            )
        return schema

    return check
