"""Recovery measures in the participant's FHIR bundle: a ``Questionnaire`` for each instrument
the person answered and a ``QuestionnaireResponse`` for each administration.

Care builds the bundle and validates it with ``fhir.resources.R4B``; these resources join it
under the consent category "recovery measures" (``care.fhir.register_bundle_contributor``).
A corrected administration goes out as ``entered-in-error`` beside the one that supersedes it
(which names it in an extension); "I'd rather not" goes out as ``stopped`` with no answers.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from alongside.outcomes.models import Administration, Instrument
from alongside.outcomes.selectors import administrations_of

if TYPE_CHECKING:
    from alongside.care.models import Participant

SYSTEM = "urn:alongside:fhir:"
TOTAL_EXTENSION = SYSTEM + "StructureDefinition/measure-total"
SUPERSEDES_EXTENSION = SYSTEM + "StructureDefinition/measure-supersedes"


def questionnaire_id(instrument: Instrument) -> str:
    """A stable UUID per code, version and language, as the bundle's URNs need one."""
    name = f"{SYSTEM}Questionnaire/{instrument.code}/{instrument.version}/{instrument.language}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def questionnaire_url(instrument: Instrument) -> str:
    return f"{SYSTEM}Questionnaire/{instrument.code}"


def questionnaire_resource(instrument: Instrument) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument),
        "url": questionnaire_url(instrument),
        "version": instrument.version,
        "name": "".join(ch for ch in instrument.code if ch.isalnum()),
        "title": instrument.name,
        "status": "active",
        "language": instrument.language,
        "subjectType": ["Patient"],
        "description": instrument.citation,
        "copyright": instrument.licence,
        "item": [
            {
                "linkId": item["key"],
                "text": item["text"],
                "type": "integer",
                "answerOption": [{"valueInteger": o["value"]} for o in item["options"]],
            }
            for item in instrument.items
        ],
    }


def _status(administration: Administration) -> str:
    if getattr(administration, "is_superseded", False):
        return "entered-in-error"
    return "stopped" if administration.declined else "completed"


def response_resource(administration: Administration, participant: Participant) -> dict[str, Any]:
    instrument = administration.instrument
    extensions: list[dict[str, Any]] = []
    if administration.total is not None:
        extensions.append({"url": TOTAL_EXTENSION, "valueInteger": administration.total})
    if administration.supersedes_id:
        extensions.append(
            {
                "url": SUPERSEDES_EXTENSION,
                "valueReference": {"reference": f"urn:uuid:{administration.supersedes_id}"},
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(administration.pk),
        "questionnaire": f"{questionnaire_url(instrument)}|{instrument.version}",
        "status": _status(administration),
        "subject": {"reference": f"urn:uuid:{participant.pk}"},
        "authored": administration.completed_on.isoformat(),
        "item": [
            {"linkId": key, "answer": [{"valueInteger": administration.answers[key]}]}
            for key in instrument.item_keys
            if key in administration.answers
        ],
    }
    if extensions:
        resource["extension"] = extensions
    if not resource["item"]:
        del resource["item"]
    return resource


def measure_resources(participant: Participant) -> list[dict[str, Any]]:
    """The Questionnaires the person answered, then every administration, oldest first."""
    administrations = list(administrations_of(participant))
    instruments = {a.instrument_id: a.instrument for a in administrations}
    return [
        *(questionnaire_resource(i) for i in instruments.values()),
        *(response_resource(a, participant) for a in administrations),
    ]
