"""The person's copy of their plan and record: the printable page and the PDF download."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from alongside.care import services
from alongside.core.models import AuditEvent

WELLNESS = {
    "keeps_me_well": "Walking the dog every morning",
    "early_signs": "I stop answering texts",
    "what_helps": "A short walk with someone",
    "who_to_call": "My sister Dana (sample) 603-555-0123",
    "do_not_want": "Please do not call my employer",
    "updated_on": datetime.date(2026, 3, 2),
}


@pytest.fixture
def full_plan(participant, member, goal, encounter, in_org):
    services.plan_version_create(
        participant=participant,
        actor=member,
        summary="Steady days and people around me",
        agreed_on=datetime.date(2026, 3, 2),
        agreed_how="signed",
    )
    services.wellness_plan_save(participant=participant, actor=member, data=WELLNESS)
    return participant


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_copy_page_speaks_to_the_person_in_their_words(sign_in, member, full_plan):
    page = sign_in(member).get(reverse("care:person_copy", args=[full_plan.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Your recovery plan" in text and "Your wellness and crisis plan" in text
    assert "I want to get back to playing guitar" in text
    assert "My sister Dana (sample) 603-555-0123" in text
    assert "We will look at it again together by" in text or "due to be looked at" in text
    assert "person-copy-print.css" in text


def test_the_copy_leaves_out_the_note_text(sign_in, member, full_plan):
    text = sign_in(member).get(reverse("care:person_copy", args=[full_plan.pk])).content.decode()
    assert "Phone, 40 minutes, with bob" in text
    assert "Looked at bus routes" not in text


def test_opening_the_copy_is_audited(sign_in, member, full_plan):
    sign_in(member).get(reverse("care:person_copy", args=[full_plan.pk]))
    event = AuditEvent.objects.get(object_type="care.person_copy")
    assert (event.action, event.actor, event.participant_id) == ("view", member, str(full_plan.pk))


def test_the_pdf_is_a_private_download_with_the_same_words(sign_in, member, full_plan):
    response = sign_in(member).get(reverse("care:person_copy_pdf", args=[full_plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert full_plan.preferred_name not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "Your recovery plan" in text
    assert "I want to get back to playing guitar" in text
    assert "603-555-0123" in text
    assert "Looked at bus routes" not in text


def test_downloading_the_pdf_is_audited_as_an_export(sign_in, member, full_plan):
    sign_in(member).get(reverse("care:person_copy_pdf", args=[full_plan.pk]))
    event = AuditEvent.objects.get(object_type="care.person_copy_pdf")
    assert (event.action, event.actor, event.participant_id) == (
        "export",
        member,
        str(full_plan.pk),
    )


def test_the_pdf_keeps_words_beyond_latin_1(sign_in, member, participant, in_org):
    services.wellness_plan_save(
        participant=participant,
        actor=member,
        data={**WELLNESS, "what_helps": "Café con mi abuela — “tranquila” ☕ Привет"},
    )
    response = sign_in(member).get(reverse("care:person_copy_pdf", args=[participant.pk]))
    assert "Привет" in _pdf_text(response.content)


def test_the_copy_without_a_plan_says_so(sign_in, member, participant):
    text = sign_in(member).get(reverse("care:person_copy", args=[participant.pk])).content.decode()
    assert "You have not agreed a recovery plan with us yet" in text
    assert "You have not written one with us yet" in text


def test_the_billing_role_cannot_open_the_copy(sign_in, billing_user, participant):
    client = sign_in(billing_user)
    assert client.get(reverse("care:person_copy", args=[participant.pk])).status_code == 403
    assert client.get(reverse("care:person_copy_pdf", args=[participant.pk])).status_code == 403
