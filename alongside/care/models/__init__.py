"""The care records' models, one module per concept."""

from alongside.care.models.circumstances import (
    Coverage,
    Employment,
    EmploymentStatus,
    Housing,
    HousingStatus,
)
from alongside.care.models.consent import (
    CATEGORIES,
    TPO_PURPOSES,
    Consent,
    Disclosure,
    InformationCategory,
    Purpose,
    Restriction,
    category_labels,
)
from alongside.care.models.coordination import Appointment, CalendarFeed, Referral
from alongside.care.models.encounters import (
    Encounter,
    NoteAmendment,
    SafetyAction,
    SafetyConcern,
)
from alongside.care.models.participants import (
    BreakGlass,
    CareSettings,
    Enrollment,
    Focus,
    Gender,
    Participant,
    Pathway,
    PathwayChange,
    RaceEthnicity,
    Veteran,
)
from alongside.care.models.plans import (
    Chime,
    Goal,
    GoalProgress,
    PlanVersion,
    PlanVersionGoal,
    RecoveryPlan,
    ServiceCategory,
)
from alongside.care.models.wellness import WellnessPlan

__all__ = [
    "category_labels",
    "CATEGORIES",
    "TPO_PURPOSES",
    "Appointment",
    "BreakGlass",
    "CalendarFeed",
    "CareSettings",
    "Chime",
    "Consent",
    "Coverage",
    "Disclosure",
    "Employment",
    "EmploymentStatus",
    "Encounter",
    "Enrollment",
    "Focus",
    "Gender",
    "Goal",
    "GoalProgress",
    "Housing",
    "HousingStatus",
    "NoteAmendment",
    "Participant",
    "Pathway",
    "PathwayChange",
    "PlanVersion",
    "PlanVersionGoal",
    "InformationCategory",
    "Purpose",
    "RaceEthnicity",
    "RecoveryPlan",
    "Referral",
    "Restriction",
    "SafetyAction",
    "SafetyConcern",
    "ServiceCategory",
    "Veteran",
    "WellnessPlan",
]
