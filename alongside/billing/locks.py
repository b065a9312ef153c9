"""What billing tells care through core's hooks: what may not change on a billed encounter,
who must look when its note is amended, and whether a note being written will be billable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from alongside.billing.holds import BILLED_STATUSES, Hold
from alongside.billing.models import Claim, Line, Payer
from alongside.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

# What a claim says about an encounter: changing any of these would change what was billed.
BILLED_FIELDS = frozenset(
    {
        "date",
        "start_time",
        "end_time",
        "ends_next_day",
        "type",
        "contact",
        "participant",
        "participant_id",
        "specialist",
        "specialist_id",
    }
)
AMENDED = "The note was amended after the claim was sent: check whether to replace it."


def billed_encounter_refusal(encounter: Any, fields: frozenset[str]) -> str | None:
    """Refuse a change to what was billed on an encounter that went out on a claim."""
    if not fields & BILLED_FIELDS:
        return None
    billed = Line.objects.filter(encounter_id=encounter.pk, claim__status__in=BILLED_STATUSES)
    if not billed.exists():
        return None
    return str(
        _(
            "This encounter is on a claim sent to the payer: its date, times, type, person "
            "and specialist cannot change. Add an amendment instead."
        )
    )


def flag_amended_claims(encounter: Any, actor: Any) -> None:
    """Mark the sent claims carrying this encounter for review: the amendment may matter."""
    Claim.objects.filter(
        pk__in=Line.objects.filter(
            encounter_id=encounter.pk, claim__status__in=BILLED_STATUSES
        ).values("claim_id")
    ).update(needs_review=AMENDED)


def will_it_bill_panel(request: HttpRequest, encounter: Any) -> dict[str, Any] | None:
    """For the note page: per payer covering the person, billable or the reasons it is not."""
    from alongside.billing.services import encounter_will_bill

    membership = getattr(request, "membership", None)
    if membership is None or not membership.has_role(
        Role.PEER_SPECIALIST, Role.SUPERVISOR, Role.ORG_ADMIN
    ):
        return None
    codes = set(encounter.participant.coverages.values_list("payer_code", flat=True))
    payers = list(Payer.objects.filter(code__in=codes).order_by("name"))
    if not payers:
        if not Payer.objects.exists():
            return None
        return {"no_payer": True, "answers": []}
    answers = []
    for payer in payers:
        draft = encounter_will_bill(encounter, payer)
        # The author is writing it: signing is the next step, not a problem to report.
        reasons = [r for r in draft.reasons if r != Hold.not_signed()]
        answers.append({"payer": payer, "units": draft.units, "reasons": reasons})
    return {"no_payer": False, "answers": answers}
