"""Recovery measures in the JSON API under ``/api/v1/participants/{id}/measures…``.

Tokens whose roles open care records use it. Recording a measure that does not suit the
person's focus answers 409; an item value outside its options answers 400 naming the item.
Another organization's participant or administration answers 404. Every read is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError
from ninja.responses import Status

from alongside.care.access import can_see_care, participant_for_request_or_404
from alongside.core.api import DetailOut, ErrorsOut
from alongside.core.tenancy import get_for_org_or_404
from alongside.outcomes import services
from alongside.outcomes.models import Administration, LinkKind, Via
from alongside.outcomes.selectors import administrations_of, instrument_by_code

if TYPE_CHECKING:
    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["outcomes"])

READ = {400: ErrorsOut | DetailOut, 401: DetailOut, 403: DetailOut, 404: DetailOut}
WRITE = {**READ, 409: DetailOut}


class MeasureIn(Schema):
    instrument: str = Field(description="The instrument's code, e.g. BARC-10.")
    answers: dict[str, int | None] = Field(
        default_factory=dict, description="Values by item key; leave an item out to skip it."
    )
    completed_on: date
    declined: bool = Field(False, description='"I\'d rather not" for the whole measure.')
    supersedes: UUID | None = Field(
        None, description="The id of an earlier administration this one corrects."
    )


class MeasureRecordedOut(Schema):
    id: UUID
    total: int | None
    complete: bool
    missing: list[str]


class MeasureOut(Schema):
    id: UUID
    instrument: str
    version: str
    completed_on: date
    total: int | None
    complete: bool
    missing: list[str]
    declined: bool
    via: str
    supersedes: UUID | None
    superseded: bool
    change_since_first: int | None = Field(
        description="Against the first complete total of the same instrument; null for it."
    )
    change_since_previous: int | None = Field(
        description="Against the complete total before this one; null for the first."
    )


class MeasureDetailOut(MeasureOut):
    answers: dict[str, int]


class LinkIn(Schema):
    instrument: str | None = Field(None, description="The code to fill in; none for `progress`.")
    kind: str = Field("fill", description="`fill` (a measure) or `progress` (my progress page).")


class LinkOut(Schema):
    url: str
    kind: str
    instrument: str | None
    expires_at: datetime


def _participant(request: StaffRequest, participant_id: UUID) -> Participant:
    if not can_see_care(request.membership):
        raise HttpError(403, _("This token's roles do not open care records."))
    return participant_for_request_or_404(request, participant_id)


def _rows(participant: Participant) -> list[dict[str, Any]]:
    """Every administration with its change against the same instrument's earlier totals."""
    first: dict[str, int] = {}
    previous: dict[str, int] = {}
    rows = []
    for a in administrations_of(participant):
        superseded = bool(a.is_superseded)  # type: ignore[attr-defined]
        code = a.instrument.code
        change_first = change_previous = None
        if a.total is not None and not superseded:
            if code in first:
                change_first = a.total - first[code]
                change_previous = a.total - previous[code]
            first.setdefault(code, a.total)
            previous[code] = a.total
        rows.append(
            {
                "id": a.pk,
                "instrument": code,
                "version": a.instrument.version,
                "completed_on": a.completed_on,
                "total": a.total,
                "complete": a.total is not None,
                "missing": a.missing,
                "declined": a.declined,
                "via": a.via,
                "supersedes": a.supersedes_id,
                "superseded": superseded,
                "change_since_first": change_first,
                "change_since_previous": change_previous,
                "answers": a.answers,
            }
        )
    return rows


@router.get(
    "/participants/{participant_id}/measures",
    response={200: list[MeasureOut], **READ},
    summary="A participant's recovery measures, with totals and change",
)
def measures_list(request: StaffRequest, participant_id: UUID) -> Any:
    return _rows(_participant(request, participant_id))


@router.get(
    "/participants/{participant_id}/measures/{administration_id}",
    response={200: MeasureDetailOut, **READ},
    summary="One administration with its answers",
)
def measure_detail(request: StaffRequest, participant_id: UUID, administration_id: UUID) -> Any:
    participant = _participant(request, participant_id)
    shown = get_for_org_or_404(
        Administration.objects.filter(participant=participant),
        request.organization,
        pk=administration_id,
    )
    return next(row for row in _rows(participant) if row["id"] == shown.pk)


@router.post(
    "/participants/{participant_id}/measures",
    response={201: MeasureRecordedOut, **WRITE},
    summary="Record a measure the person filled in",
)
def measure_record(request: StaffRequest, participant_id: UUID, payload: MeasureIn) -> Any:
    participant = _participant(request, participant_id)
    instrument = instrument_by_code(request.organization, payload.instrument)
    if instrument is None:
        raise ParameterError(
            [{"loc": ("body", "payload", "instrument"), "msg": _("No instrument has this code.")}]
        )
    supersedes = None
    if payload.supersedes is not None:
        supersedes = get_for_org_or_404(
            Administration.objects.filter(participant=participant),
            request.organization,
            pk=payload.supersedes,
        )
    try:
        administration = services.administration_record(
            participant=participant,
            instrument=instrument,
            answers=payload.answers,
            completed_on=payload.completed_on,
            declined=payload.declined,
            supersedes=supersedes,
            actor=request.user,
            via=Via.API,
        )
    except services.Unsuitable as exc:
        raise HttpError(409, str(exc)) from exc
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise HttpError(409, " ".join(exc.messages)) from exc
        raise ParameterError(
            [
                {"loc": ("body", "payload", "answers", field.removeprefix("item_")), "msg": msg}
                for field, messages in exc.message_dict.items()
                for msg in messages
            ]
        ) from exc
    return Status(
        201,
        {
            "id": administration.pk,
            "total": administration.total,
            "complete": administration.total is not None,
            "missing": administration.missing,
        },
    )


@router.post(
    "/participants/{participant_id}/measure-links",
    response={201: LinkOut, **WRITE},
    summary="A one-time link for the person's phone (7 days, one use)",
)
def measure_link(request: StaffRequest, participant_id: UUID, payload: LinkIn) -> Any:
    participant = _participant(request, participant_id)
    if payload.kind not in LinkKind.values:
        raise ParameterError(
            [{"loc": ("body", "payload", "kind"), "msg": _("Choose fill or progress.")}]
        )
    instrument = None
    if payload.kind == LinkKind.FILL:
        instrument = instrument_by_code(request.organization, payload.instrument or "")
        if instrument is None:
            raise ParameterError(
                [
                    {
                        "loc": ("body", "payload", "instrument"),
                        "msg": _("No instrument has this code."),
                    }
                ]
            )
    try:
        link, token = services.measure_link_create(
            participant=participant, actor=request.user, kind=payload.kind, instrument=instrument
        )
    except services.Unsuitable as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(
        201,
        {
            "url": request.build_absolute_uri(reverse("measure:page", args=[token])),
            "kind": link.kind,
            "instrument": instrument.code if instrument else None,
            "expires_at": link.expires_at,
        },
    )
