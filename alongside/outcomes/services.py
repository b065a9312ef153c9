"""Writing recovery measures: administrations (never changed once submitted) and one-time links.

A measure is offered only when it suits the participant's focus (``Unsuitable`` otherwise,
which pages and the API answer with 409). A mistake in an administration is corrected by a
new one that supersedes it; both are kept and the trend uses the newer.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.records import record_create, record_update
from alongside.outcomes.models import Administration, Instrument, LinkKind, MeasureLink, Via
from alongside.outcomes.scoring import score

if TYPE_CHECKING:
    from alongside.care.models import Participant

# A link the person has not used by then no longer opens.
LINK_LIFETIME = timedelta(days=7)


class Unsuitable(Exception):
    """The instrument does not suit the participant's focus of support."""


class LinkClosed(Exception):
    """The one-time link was used already, has expired, or never existed."""


def instrument_suits(instrument: Instrument, participant: Participant) -> bool:
    return participant.focus in instrument.focus


def _require_suitable(instrument: Instrument, participant: Participant) -> None:
    if not instrument_suits(instrument, participant):
        raise Unsuitable(
            _("%(name)s does not suit this person's focus of support (%(focus)s).")
            % {"name": instrument.short_name, "focus": participant.get_focus_display()}
        )


def administration_record(
    *,
    participant: Participant,
    instrument: Instrument,
    answers: dict[str, Any],
    completed_on: date,
    actor: Any,
    via: str = Via.STAFF,
    declined: bool = False,
    supersedes: Administration | None = None,
) -> Administration:
    """Record one filling-in: checked, scored, audited, and never changed afterwards.

    Raises ``Unsuitable`` for an instrument that does not suit the person, and
    ``ValidationError`` naming each item whose value is not one of its options.
    """
    _require_suitable(instrument, participant)
    if instrument.organization_id not in (None, participant.organization_id):
        raise Unsuitable(_("This instrument belongs to another organization."))
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The day filled in cannot be in the future.")})
    if supersedes is not None and (
        supersedes.participant_id != participant.pk or supersedes.instrument_id != instrument.pk
    ):
        raise ValidationError(_("A correction replaces an earlier answer to the same measure."))
    if supersedes is not None and Administration.objects.filter(supersedes=supersedes).exists():
        raise ValidationError(_("That answer was already corrected; correct the newer one."))
    result = score(instrument, {} if declined else answers)
    administration = Administration(
        organization=participant.organization,
        participant=participant,
        instrument=instrument,
        completed_on=completed_on,
        answers=result.answers,
        declined=declined,
        total=None if declined else result.total,
        missing=[] if declined else result.missing,
        supersedes=supersedes,
        via=via,
        entered_by=actor,
    )
    return record_create(
        administration,
        actor=actor,
        fields=["instrument", "completed_on", "answers", "declined", "total", "supersedes"],
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def measure_link_create(
    *,
    participant: Participant,
    actor: Any,
    kind: str = LinkKind.FILL,
    instrument: Instrument | None = None,
    now: datetime | None = None,
) -> tuple[MeasureLink, str]:
    """A one-time link for the person's phone, and its token (shown once, kept only hashed)."""
    if kind == LinkKind.FILL:
        if instrument is None:
            raise ValidationError({"instrument": _("Choose a measure to send.")})
        _require_suitable(instrument, participant)
    token = secrets.token_urlsafe(24)
    link = MeasureLink(
        organization=participant.organization,
        participant=participant,
        kind=kind,
        instrument=instrument if kind == LinkKind.FILL else None,
        digest=_digest(token),
        expires_at=(now or timezone.now()) + LINK_LIFETIME,
        created_by=actor,
    )
    record_create(link, actor=actor, fields=["kind", "instrument", "expires_at"])
    return link, token


def link_for_token(token: str, *, now: datetime | None = None) -> MeasureLink:
    """The open link this token names, in whichever organization it is; ``LinkClosed`` if none.

    The person is signed in nowhere: the token is what scopes the lookup.
    """
    link = (
        MeasureLink.objects.with_scopes_disabled()  # type: ignore[attr-defined]
        .select_related("participant", "instrument", "organization")
        .filter(digest=_digest(token))
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= (now or timezone.now()):
        raise LinkClosed
    return link


@transaction.atomic
def measure_link_use(*, link: MeasureLink, now: datetime | None = None) -> MeasureLink:
    """Close a link: it opened once and opens no more."""
    fresh = MeasureLink.objects.select_for_update().get(pk=link.pk)
    if fresh.used_at is not None:
        raise LinkClosed
    record_update(fresh, actor=None, data={"used_at": now or timezone.now()}, fields=["used_at"])
    return fresh


@transaction.atomic
def measure_link_submit(
    *, link: MeasureLink, answers: dict[str, Any], declined: bool = False
) -> Administration:
    """The person's own answers through a one-time link: recorded, and the link closed."""
    if link.kind != LinkKind.FILL or link.instrument is None:
        raise LinkClosed
    measure_link_use(link=link)
    return administration_record(
        participant=link.participant,
        instrument=link.instrument,
        answers=answers,
        completed_on=timezone.localdate(),
        actor=None,
        via=Via.LINK,
        declined=declined,
    )
