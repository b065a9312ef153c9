"""A participant's record as an HL7 FHIR R4 ``Bundle``, exported only through the consent gate.

The bundle is a ``collection`` of Patient, Consent, Coverage, CarePlan, Goal and Encounter
resources, and those apps above care add (``register_bundle_contributor``: outcomes adds
Questionnaire and QuestionnaireResponse under "recovery measures"), each with ``fullUrl``
``urn:uuid:<Alongside id>`` and referring to the others by that URN. It is validated with
``fhir.resources.R4B`` before it leaves. Encounters go out only once signed (a draft can
still change), and without the note text: the bridge carries what happened and when, not
what was said.

Race and ethnicity go out in Alongside's own extension (``RACE_ETHNICITY_EXTENSION``), one per
answer: US Core's race and ethnicity extensions ask two questions with the 1997 categories, and
splitting the person's one answer (or placing "Middle Eastern or North African" under another
category) would say something they did not.

Only the categories of information the consent covers go out (42 CFR § 2.31 asks for the
amount and kind of information): the Patient always, as the subject the rest refer to, but its
names, birth date and gender only with ``demographics`` and its phone, e-mail, address and
emergency contact only with ``contact_details``; Coverage with ``coverage``; CarePlan and Goal
with ``recovery_plan``; Encounter period, class and type with ``encounter_dates``, and where and
with whom with ``encounter_notes`` (the note text never). ``Bundle.meta.extension`` names each
category released (``RELEASED_EXTENSION``) and withheld (``WITHHELD_EXTENSION``), with a
sentence for people (``WITHHELD_NOTE_EXTENSION``), whenever the consent withholds anything.

For a 42 CFR Part 2 record, ``Bundle.meta.security`` carries the ``42CFRPart2`` and
``NORDSCLCD`` (no re-disclosure without consent) labels and ``Bundle.meta.extension`` the text
of the § 2.32 notice (``NOTICE_EXTENSION``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from alongside.care.consent import disclose, is_part2, withheld_sentence
from alongside.care.models import (
    CATEGORIES,
    Consent,
    Coverage,
    Encounter,
    Enrollment,
    Gender,
    Goal,
    InformationCategory,
    Participant,
    PlanVersion,
    Purpose,
    RaceEthnicity,
    ServiceCategory,
)
from alongside.core.audit import Action, audit_record
from alongside.core.people import display_name

# Alongside's own code systems; URNs because a deployment has no canonical FHIR server.
SYSTEM = "urn:alongside:fhir:"
NOTICE_EXTENSION = SYSTEM + "StructureDefinition/part2-redisclosure-notice"
RACE_ETHNICITY_EXTENSION = SYSTEM + "StructureDefinition/race-ethnicity"
RELEASED_EXTENSION = SYSTEM + "StructureDefinition/information-released"
WITHHELD_EXTENSION = SYSTEM + "StructureDefinition/information-withheld"
WITHHELD_NOTE_EXTENSION = SYSTEM + "StructureDefinition/information-withheld-note"
CATEGORY_SYSTEM = SYSTEM + "CodeSystem/information-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
Cat = InformationCategory
# The categories care's own resources fill; referrals are not in a bundle, and recovery
# measures come from the outcomes app (``register_bundle_contributor``).
FHIR_CATEGORIES = frozenset(
    {
        Cat.DEMOGRAPHICS,
        Cat.CONTACT_DETAILS,
        Cat.COVERAGE,
        Cat.RECOVERY_PLAN,
        Cat.ENCOUNTER_DATES,
        Cat.ENCOUNTER_NOTES,
    }
)


@dataclass(frozen=True)
class BundleContributor:
    """Resources an app above care adds to the bundle, released under one category."""

    category: str
    resources: Callable[[Participant], list[dict[str, Any]]]


# Apps above care (outcomes: Questionnaire and QuestionnaireResponse) register here from
# ``AppConfig.ready``; care cannot import them.
_contributors: dict[str, BundleContributor] = {}


def register_bundle_contributor(
    name: str, *, category: str, resources: Callable[[Participant], list[dict[str, Any]]]
) -> None:
    """Add resources to every participant bundle (once per name), under ``category``."""
    _contributors[name] = BundleContributor(category, resources)


def carried_categories() -> frozenset[str]:
    """The categories a bundle can hold: care's own and those the contributors add."""
    return FHIR_CATEGORIES | {c.category for c in _contributors.values()}


ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"

GENDERS = {
    Gender.WOMAN: "female",
    Gender.MAN: "male",
    Gender.NONBINARY: "other",
    Gender.ANOTHER: "other",
    Gender.PREFER_NOT_TO_SAY: "unknown",
}
PURPOSES_OF_USE = {
    Purpose.TREATMENT: (ACT_REASON, "TREAT"),
    Purpose.PAYMENT: (ACT_REASON, "HPAYMT"),
    Purpose.OPERATIONS: (ACT_REASON, "HOPERAT"),
    Purpose.FAMILY: (ACT_REASON, "FAMRQT"),
}
GOAL_STATUS = {
    Goal.Status.ACTIVE: "active",
    Goal.Status.ACHIEVED: "completed",
    Goal.Status.PAUSED: "on-hold",
    Goal.Status.LET_GO: "cancelled",
}
# Encounter.class (v3 ActEncounterCode): ambulatory, virtual, home health or field.
ENCOUNTER_CLASS = {
    Encounter.Type.IN_PERSON: "AMB",
    Encounter.Type.GROUP: "AMB",
    Encounter.Type.BRIEF_CHECKIN: "AMB",
    Encounter.Type.PHONE: "VR",
    Encounter.Type.VIDEO: "VR",
    Encounter.Type.TEXT: "VR",
    Encounter.Type.WARMLINE_FOLLOWUP: "VR",
    Encounter.Type.HOME_VISIT: "HH",
    Encounter.Type.OUTREACH: "FLD",
    Encounter.Type.HOSPITAL_VISIT: "FLD",
}


def _urn(obj: Any) -> str:
    return f"urn:uuid:{obj.pk}"


def _ref(obj: Any) -> dict[str, str]:
    return {"reference": _urn(obj)}


def _coding(system: str, code: str, display: Any = "") -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = str(display)
    return coding


def _choice(kind: str, value: str, label: Any) -> dict[str, Any]:
    """A CodeableConcept in one of Alongside's code systems."""
    return {"coding": [_coding(SYSTEM + "CodeSystem/" + kind, value, label)], "text": str(label)}


def _local(day: date, moment: Any) -> str:
    return datetime.combine(day, moment, timezone.get_current_timezone()).isoformat()


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """FHIR forbids empty strings, lists and objects."""
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def patient_resource(
    participant: Participant, released: Collection[str] = CATEGORIES
) -> dict[str, Any]:
    names = [{"use": "usual", "text": participant.preferred_name}]
    if participant.legal_name:
        names.append({"use": "official", "text": participant.legal_name})
    telecom = []
    if participant.phone:
        telecom.append({"system": "phone", "value": participant.phone})
    if participant.email:
        telecom.append({"system": "email", "value": participant.email})
    contacts = []
    if participant.emergency_contact_name or participant.emergency_contact_phone:
        contacts.append(
            _drop_empty(
                {
                    "relationship": [{"text": participant.emergency_contact_relationship}]
                    if participant.emergency_contact_relationship
                    else [],
                    "name": {"text": participant.emergency_contact_name}
                    if participant.emergency_contact_name
                    else None,
                    "telecom": [{"system": "phone", "value": participant.emergency_contact_phone}]
                    if participant.emergency_contact_phone
                    else [],
                }
            )
        )
    demographics: dict[str, Any] = {
        "name": names,
        "gender": GENDERS.get(participant.gender),  # type: ignore[call-overload]
        "birthDate": participant.date_of_birth.isoformat() if participant.date_of_birth else None,
        "communication": [{"language": {"text": participant.preferred_language}}]
        if participant.preferred_language
        else [],
        "extension": [
            {
                "url": RACE_ETHNICITY_EXTENSION,
                "valueCoding": _coding(
                    SYSTEM + "CodeSystem/race-ethnicity", value, RaceEthnicity(value).label
                ),
            }
            for value in participant.race_ethnicity
        ],
    }
    contact_details: dict[str, Any] = {
        "telecom": telecom,
        "address": [{"text": participant.address}] if participant.address else [],
        "contact": contacts,
    }
    return _drop_empty(
        {
            "resourceType": "Patient",
            "id": str(participant.pk),
            "identifier": [{"system": "urn:ietf:rfc:3986", "value": _urn(participant)}],
            **(demographics if Cat.DEMOGRAPHICS in released else {}),
            **(contact_details if Cat.CONTACT_DETAILS in released else {}),
            "managingOrganization": {"display": participant.organization.name},
        }
    )


def coverage_resource(coverage: Coverage, participant: Participant) -> dict[str, Any]:
    payor: dict[str, Any] = {"display": coverage.payer_name}
    if coverage.payer_code:
        payor["identifier"] = {"system": SYSTEM + "payer-code", "value": coverage.payer_code}
    return _drop_empty(
        {
            "resourceType": "Coverage",
            "id": str(coverage.pk),
            # The record is in force; whether the coverage still is, the period says.
            "status": "active",
            "beneficiary": _ref(participant),
            "subscriberId": coverage.member_id,
            "payor": [payor],
            "period": _drop_empty(
                {
                    "start": coverage.starts_on.isoformat(),
                    "end": coverage.ends_on.isoformat() if coverage.ends_on else None,
                }
            ),
        }
    )


def _consent_active(consent: Consent, today: date) -> bool:
    if consent.revoked_on and consent.revoked_on <= today:
        return False
    return not (consent.expires_on and consent.expires_on < today)


def consent_resource(consent: Consent, participant: Participant, part2: bool) -> dict[str, Any]:
    today = timezone.localdate()
    purposes = []
    for purpose in consent.purposes:
        system, code = PURPOSES_OF_USE.get(purpose, (SYSTEM + "CodeSystem/purpose", purpose))
        purposes.append(_coding(system, code, Purpose(purpose).label))
    actors = [
        {
            "role": {"coding": [_coding(ACT_CODE, "IRCP", "information recipient")]},
            "reference": {"display": name},
        }
        for name in consent.recipient_list
    ]
    ends = [day for day in (consent.expires_on, consent.revoked_on) if day]
    end = min(ends) if ends else None
    period = _drop_empty(
        {
            "start": consent.signed_on.isoformat() if consent.signed_on else None,
            "end": end.isoformat() if end else None,
        }
    )
    policy = ("cfr42", "42 CFR Part 2") if part2 else ("hipaa-auth", "HIPAA Authorization")
    return _drop_empty(
        {
            "resourceType": "Consent",
            "id": str(consent.pk),
            "status": "active" if _consent_active(consent, today) else "inactive",
            "scope": {
                "coding": [
                    _coding(
                        "http://terminology.hl7.org/CodeSystem/consentscope",
                        "patient-privacy",
                        "Privacy Consent",
                    )
                ]
            },
            "category": [{"coding": [_coding("http://loinc.org", "59284-0", "Patient Consent")]}],
            "patient": _ref(participant),
            "dateTime": _local(consent.signed_on, datetime.min.time())
            if consent.signed_on
            else None,
            "organization": [{"display": consent.discloser}],
            "policyRule": {
                "coding": [
                    _coding("http://terminology.hl7.org/CodeSystem/consentpolicycodes", *policy)
                ]
            },
            "provision": _drop_empty(
                {
                    "type": "permit",
                    "period": period,
                    "actor": actors,
                    "purpose": purposes,
                }
            ),
        }
    )


def goal_resource(goal: Goal, participant: Participant) -> dict[str, Any]:
    categories = [
        _choice("service-category", goal.service_category, goal.get_service_category_display())
    ]
    categories += [_choice("chime", value, value.capitalize()) for value in goal.chime]
    return _drop_empty(
        {
            "resourceType": "Goal",
            "id": str(goal.pk),
            "lifecycleStatus": GOAL_STATUS[Goal.Status(goal.status)],
            "achievementStatus": {
                "coding": [
                    _coding(
                        "http://terminology.hl7.org/CodeSystem/goal-achievement",
                        "achieved",
                        "Achieved",
                    )
                ]
            }
            if goal.status == Goal.Status.ACHIEVED
            else None,
            "category": categories,
            "description": {"text": goal.text},
            "subject": _ref(participant),
            "startDate": timezone.localdate(goal.created_at).isoformat(),
            "target": [{"dueDate": goal.target_date.isoformat()}] if goal.target_date else [],
        }
    )


def care_plan_resource(
    participant: Participant,
    goals: list[Goal],
    versions: list[PlanVersion],
    enrollments: list[Enrollment],
) -> dict[str, Any]:
    enrolled = any(e.discharged_on is None for e in enrollments)
    first = min((e.enrolled_on for e in enrollments), default=None)
    last_out = max((e.discharged_on for e in enrollments if e.discharged_on), default=None)
    latest = versions[0] if versions else None
    return _drop_empty(
        {
            "resourceType": "CarePlan",
            "id": str(latest.plan_id if latest else participant.pk),
            "status": "active" if enrolled else "completed",
            "intent": "plan",
            "category": [{"text": "Peer support recovery plan"}],
            "title": "Recovery plan",
            "description": latest.summary if latest else None,
            "subject": _ref(participant),
            "period": _drop_empty(
                {
                    "start": first.isoformat() if first else None,
                    "end": last_out.isoformat() if last_out and not enrolled else None,
                }
            ),
            "created": latest.agreed_on.isoformat() if latest else None,
            "goal": [_ref(goal) for goal in goals],
        }
    )


def encounter_resource(
    encounter: Encounter, participant: Participant, released: Collection[str] = CATEGORIES
) -> dict[str, Any]:
    # ``serviceType`` holds one concept; an encounter may touch several categories, so every
    # one goes in ``type`` (each in its own code system) and ``serviceType`` names it when alone.
    categories = [
        _choice("service-category", value, ServiceCategory(value).label)
        for value in encounter.service_categories
    ]
    # Where and with whom belong to what happened (the notes), not to the date of contact.
    details = Cat.ENCOUNTER_NOTES in released
    return _drop_empty(
        {
            "resourceType": "Encounter",
            "id": str(encounter.pk),
            "status": "finished",
            "class": _coding(ACT_CODE, ENCOUNTER_CLASS[Encounter.Type(encounter.type)]),
            "type": [
                _choice("encounter-type", encounter.type, encounter.get_type_display()),
                *categories,
            ],
            "serviceType": categories[0] if len(categories) == 1 else None,
            "subject": _ref(participant),
            "participant": [{"individual": {"display": display_name(encounter.specialist)}}]
            if details
            else [],
            "period": {
                "start": _local(encounter.date, encounter.start_time),
                # An encounter past midnight ends on the next day; FHIR wants end after start.
                "end": _local(
                    encounter.date + timedelta(days=int(encounter.ends_next_day)),
                    encounter.end_time,
                ),
            },
            "length": {
                "value": encounter.duration_minutes,
                "unit": "min",
                "system": "http://unitsofmeasure.org",
                "code": "min",
            },
            "location": [{"location": {"display": encounter.setting}}]
            if encounter.setting and details
            else [],
        }
    )


def _category_extensions(released: Collection[str], withheld: Collection[str]) -> list[Any]:
    def coded(url: str, codes: Collection[str]) -> list[dict[str, Any]]:
        return [
            {"url": url, "valueCoding": _coding(CATEGORY_SYSTEM, c, c.label)}
            for c in CATEGORIES
            if c in set(codes)
        ]

    # A full release needs no label; a partial one names both sides.
    if not withheld:
        return []
    return [
        *coded(RELEASED_EXTENSION, released),
        *coded(WITHHELD_EXTENSION, withheld),
        {"url": WITHHELD_NOTE_EXTENSION, "valueString": withheld_sentence(withheld)},
    ]


def participant_bundle(
    participant: Participant,
    *,
    identifier: str = "",
    notice: str = "",
    released: Collection[str] = CATEGORIES,
    withheld: Collection[str] = (),
    consent: Consent | None = None,
) -> dict[str, Any]:
    """The record as a FHIR R4 collection bundle, validated with ``fhir.resources.R4B``.

    Only the ``released`` categories go in; ``Bundle.meta`` names them and the ``withheld``
    ones. With ``consent`` (the one the export is made under), that is the only Consent sent.
    """
    part2 = is_part2(participant)
    released = set(released)
    resources = [patient_resource(participant, released)]
    consents = [consent] if consent else list(participant.consents.all())
    resources += [consent_resource(c, participant, part2) for c in consents]
    if Cat.COVERAGE in released:
        resources += [coverage_resource(c, participant) for c in participant.coverages.all()]
    if Cat.RECOVERY_PLAN in released:
        goals = list(participant.goals.order_by("created_at"))
        versions = list(
            PlanVersion.objects.filter(plan__participant=participant).order_by("-number")
        )
        enrollments = list(participant.enrollments.all())
        resources.append(care_plan_resource(participant, goals, versions, enrollments))
        resources += [goal_resource(goal, participant) for goal in goals]
    if Cat.ENCOUNTER_DATES in released:
        encounters = (
            participant.encounters.filter(status=Encounter.Status.SIGNED)
            .select_related("specialist")
            .defer("worked_on", "response", "next_steps")
            .order_by("date", "start_time")
        )
        resources += [encounter_resource(e, participant, released) for e in encounters]
    for name in sorted(_contributors):
        contributor = _contributors[name]
        if contributor.category in released:
            resources += contributor.resources(participant)
    meta: dict[str, Any] = {}
    if part2:
        meta["security"] = [
            _coding(ACT_CODE, "42CFRPart2", "42 CFR Part2"),
            _coding(ACT_CODE, "NORDSCLCD", "no redisclosure without consent directive"),
            _coding(CONFIDENTIALITY, "R", "restricted"),
        ]
    extensions = _category_extensions(released, withheld)
    if notice:
        extensions.insert(0, {"url": NOTICE_EXTENSION, "valueString": notice})
    meta["extension"] = extensions
    bundle = _drop_empty(
        {
            "resourceType": "Bundle",
            "meta": _drop_empty(meta),
            "identifier": {"system": "urn:ietf:rfc:3986", "value": identifier}
            if identifier
            else None,
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "entry": [
                {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
                for resource in resources
            ],
        }
    )
    # Validate (raises on a bad bundle) and send the canonical serialization.
    return json.loads(Bundle.model_validate(bundle).model_dump_json())  # type: ignore[no-any-return]


@transaction.atomic
def participant_fhir_export(
    *,
    participant: Participant,
    actor: Any,
    purpose: str,
    recipient: str,
    categories: Collection[str] = (),
) -> dict[str, Any]:
    """Export the record as FHIR through the consent gate; audited ``disclose`` and ``export``.

    Only the categories the consent covers go out, or ``categories`` when given (required
    under an older "as described" consent: the reviewer's choice). Raises ``DisclosureRefused``
    when no consent covers ``recipient``, ``purpose`` and ``categories``, or when the consent
    needs a choice that was not made; nothing is recorded then.
    """
    disclosure, notice = disclose(
        participant=participant,
        recipient=recipient,
        purpose=purpose,
        description="FHIR R4 bundle: Patient, Consent, Coverage, CarePlan, Goal, signed "
        "Encounters, recovery measures, as far as the consent covers them",
        actor=actor,
        categories=categories,
        carried=carried_categories(),
    )
    bundle = participant_bundle(
        participant,
        identifier=_urn(disclosure),
        notice=notice,
        released=disclosure.released_categories,
        withheld=disclosure.withheld_categories,
        consent=disclosure.consent,
    )
    audit_record(
        action=Action.EXPORT,
        actor=actor,
        organization=participant.organization,
        obj=disclosure,
        object_type="care.fhir_bundle",
        participant_id=str(participant.pk),
    )
    return bundle
