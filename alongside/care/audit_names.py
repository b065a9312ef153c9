"""What the audit report needs from care: participants by name, and care's events in words.

Registered with ``core.audit_words`` when the app starts (``CareConfig.ready``), because core
may not import care.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.care.models import Participant
from alongside.core.audit_words import PhraseKey
from alongside.core.models import AuditEvent
from alongside.core.tenancy import organization_scope

if TYPE_CHECKING:
    from alongside.core.models import Organization

Action = AuditEvent.Action
# Enough for any one name in one organization; a longer list means the name was too short.
MOST_MATCHES = 50


def participant_ids_named(organization: Organization, text: str) -> list[str]:
    """Ids of the organization's participants whose preferred or legal name contains ``text``."""
    with organization_scope(organization):
        found = Participant.objects.search(text).values_list("pk", flat=True)[:MOST_MATCHES]
        return [str(pk) for pk in found]


def participant_names(organization: Organization, ids: list[str]) -> dict[str, str]:
    """The preferred names of the participants among ``ids`` (other ids are left out)."""
    valid = [i for i in ids if _is_uuid(i)]
    with organization_scope(organization):
        rows = Participant.objects.filter(pk__in=valid).values_list("pk", "preferred_name")
        return {str(pk): name for pk, name in rows}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


PHRASES: dict[PhraseKey, str | Promise] = {
    (Action.VIEW, "care.participant"): _("opened the record"),
    (Action.CREATE, "care.participant"): _("added the person"),
    (Action.UPDATE, "care.participant"): _("changed the record"),
    (Action.UPDATE, "care.participant", "specialists"): _("changed who is assigned"),
    (Action.UPDATE, "care.participant", "pathway"): _("changed the pathway"),
    (Action.EXPORT, "care.fhir_bundle"): _("exported FHIR"),
    (Action.DISCLOSE, "care.disclosure"): _("disclosed the record"),
    (Action.CREATE, "care.enrollment"): _("enrolled the person"),
    (Action.UPDATE, "care.enrollment"): _("discharged the person"),
    (Action.CREATE, "care.consent"): _("recorded a consent"),
    (Action.UPDATE, "care.consent"): _("changed a consent"),
    (Action.CREATE, "care.restriction"): _("recorded a restriction"),
    (Action.CREATE, "care.encounter"): _("wrote an encounter note"),
    (Action.UPDATE, "care.encounter"): _("changed an encounter note"),
    # The trail keeps field names sorted; each of these changes leads with the one named.
    (Action.UPDATE, "care.encounter", "signed_at"): _("signed an encounter note"),
    (Action.UPDATE, "care.encounter", "return_comment"): _("returned a note with a comment"),
    (Action.UPDATE, "care.encounter", "cosigned_at"): _("co-signed an encounter note"),
    (Action.CREATE, "care.noteamendment"): _("amended a signed note"),
    (Action.CREATE, "care.planversion"): _("wrote a recovery plan"),
    (Action.VIEW, "care.plans_due"): _("opened the plans due for review"),
    (Action.CREATE, "care.wellnessplan"): _("wrote a wellness and crisis plan"),
    (Action.UPDATE, "care.wellnessplan"): _("changed the wellness and crisis plan"),
    (Action.VIEW, "care.person_copy"): _("opened the person's copy of their record"),
    (Action.EXPORT, "care.person_copy_pdf"): _("downloaded the person's copy as a PDF"),
    (Action.CREATE, "care.goal"): _("added a goal"),
    (Action.UPDATE, "care.goal"): _("changed a goal"),
    (Action.CREATE, "care.goalprogress"): _("noted progress on a goal"),
    (Action.CREATE, "care.safetyconcern"): _("recorded a safety concern"),
    (Action.UPDATE, "care.safetyconcern"): _("resolved a safety concern"),
    (Action.CREATE, "care.referral"): _("made a referral"),
    (Action.UPDATE, "care.referral"): _("changed a referral"),
    (Action.CREATE, "care.appointment"): _("made an appointment"),
    (Action.UPDATE, "care.appointment"): _("changed an appointment"),
    (Action.CREATE, "care.coverage"): _("added a coverage"),
    (Action.UPDATE, "care.coverage"): _("changed a coverage"),
    (Action.DELETE, "care.coverage"): _("removed a coverage"),
    (Action.CREATE, "care.housingstatus"): _("noted where the person lives"),
    (Action.CREATE, "care.employmentstatus"): _("noted the person's work"),
    (Action.BREAK_GLASS, "care.breakglass"): _("opened a record outside their caseload"),
    (Action.VIEW, "care.dashboard"): _("opened the caseload dashboard"),
    (Action.VIEW, "care.participant_list"): _("opened the participant list"),
    (Action.VIEW, "care.calendar"): _("opened the calendar"),
    (Action.VIEW, "care.break_glass_search"): _("found the person in the break-glass search"),
    (Action.VIEW, "care.caseload_transfer"): _("saw the person in a caseload to transfer"),
    (Action.EXPORT, "care.calendar_feed"): _("read the calendar feed"),
    (Action.UPDATE, "care.caseload_transfer"): _("transferred a caseload"),
    (Action.UPDATE, "care.caresettings"): _("changed the care settings"),
}
