"""Services that change care records, one module per concept; every public one is named here.

Each service is atomic and audited with the names of what changed (``core.records``), never
the values: a note's text or a person's address must not reach the trail, logs or exports.
"""

from alongside.care.services.access import (
    CARE_SETTINGS_FIELDS,
    break_glass_open,
    break_glass_review,
    care_settings_update,
)
from alongside.care.services.calendar import (
    APPOINTMENT_FIELDS,
    appointment_cancel,
    appointment_create,
    appointment_update,
    calendar_feed_delete,
    calendar_feed_reset,
    calendar_feed_used,
)
from alongside.care.services.consent import (
    CONSENT_FIELDS,
    consent_create,
    consent_revoke,
    restriction_create,
)
from alongside.care.services.encounters import (
    ENCOUNTER_FIELDS,
    NoteChangedError,
    NotTheAuthorError,
    SignedNoteError,
    encounter_cosign,
    encounter_create,
    encounter_return,
    encounter_sign,
    encounter_update,
    note_amend,
    note_digest,
    note_ready_to_sign,
)
from alongside.care.services.participants import (
    PARTICIPANT_EDITABLE,
    PARTICIPANT_FIELDS,
    participant_create,
    participant_discharge,
    participant_enroll,
    participant_pathway_change,
    participant_reenroll,
    participant_update,
)
from alongside.care.services.plans import (
    GOAL_FIELDS,
    WELLNESS_FIELDS,
    goal_create,
    goal_progress_add,
    goal_update,
    plan_goals_by_default,
    plan_version_create,
    wellness_plan_save,
)
from alongside.care.services.referrals import REFERRAL_FIELDS, referral_create, referral_update
from alongside.care.services.safety import safety_concern_raise, safety_concern_resolve

__all__ = [
    "APPOINTMENT_FIELDS",
    "CARE_SETTINGS_FIELDS",
    "CONSENT_FIELDS",
    "ENCOUNTER_FIELDS",
    "GOAL_FIELDS",
    "PARTICIPANT_EDITABLE",
    "PARTICIPANT_FIELDS",
    "REFERRAL_FIELDS",
    "WELLNESS_FIELDS",
    "NoteChangedError",
    "NotTheAuthorError",
    "SignedNoteError",
    "appointment_cancel",
    "appointment_create",
    "appointment_update",
    "break_glass_open",
    "break_glass_review",
    "calendar_feed_delete",
    "calendar_feed_reset",
    "calendar_feed_used",
    "care_settings_update",
    "consent_create",
    "consent_revoke",
    "encounter_cosign",
    "encounter_create",
    "encounter_return",
    "encounter_sign",
    "encounter_update",
    "goal_create",
    "goal_progress_add",
    "goal_update",
    "note_amend",
    "note_digest",
    "note_ready_to_sign",
    "participant_create",
    "participant_discharge",
    "participant_enroll",
    "participant_pathway_change",
    "participant_reenroll",
    "participant_update",
    "plan_goals_by_default",
    "plan_version_create",
    "referral_create",
    "referral_update",
    "restriction_create",
    "safety_concern_raise",
    "safety_concern_resolve",
    "wellness_plan_save",
]
