"""Every outcomes page and API read that shows a person's measures names them in the audit
trail (the care walk in care/tests/test_audit_coverage.py lists these as walked here)."""

import pytest
from django.test import Client
from django.urls import reverse

from alongside.care.tests.test_audit_coverage import WALKED_ELSEWHERE
from alongside.core.models import AuditEvent
from alongside.core.services import api_token_create

from .conftest import record

pytestmark = pytest.mark.django_db

WALKED_HERE = {k for k, v in WALKED_ELSEWHERE.items() if v == "outcomes/tests/test_audit.py"}


def _last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _named(participant, since):
    return AuditEvent.objects.filter(id__gt=since, participant_id=str(participant.pk)).exists()


@pytest.fixture
def administration(barc, person, member, in_org):
    return record(person, barc, member)


def test_every_outcomes_page_that_shows_a_person_names_them(
    sign_in, member, person, administration
):
    pages = {
        "outcomes:measures": [person.pk],
        "outcomes:administer": [person.pk, "BARC-10"],
        "outcomes:administration": [person.pk, administration.pk],
    }
    assert set(pages) == {name for name in WALKED_HERE if ":" in name}
    client = sign_in(member)
    unaudited = []
    for name, args in pages.items():
        since = _last_event_id()
        assert client.get(reverse(name, args=args)).status_code == 200, name
        if not _named(person, since):
            unaudited.append(name)
    assert unaudited == []


def test_every_outcomes_api_read_names_the_person(member, org, person, administration):
    reads = {
        "/participants/{participant_id}/measures": f"/participants/{person.pk}/measures",
        "/participants/{participant_id}/measures/{administration_id}": (
            f"/participants/{person.pk}/measures/{administration.pk}"
        ),
    }
    assert set(reads) == {path for path in WALKED_HERE if path.startswith("/")}
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=member, organization=org)}")
    for path in reads.values():
        since = _last_event_id()
        assert client.get("/api/v1" + path).status_code == 200, path
        assert _named(person, since), path


def test_a_form_shown_again_after_an_error_names_the_person(sign_in, member, person, barc):
    since = _last_event_id()
    url = reverse("outcomes:administer", args=[person.pk, "BARC-10"])
    assert sign_in(member).post(url, {"item_1": "9"}).status_code == 400
    assert _named(person, since)


def test_the_link_page_names_the_person(sign_in, member, person, barc):
    since = _last_event_id()
    url = reverse("outcomes:link_create", args=[person.pk])
    assert sign_in(member).post(url, {"kind": "progress"}).status_code == 200
    assert _named(person, since)
    assert sign_in(member).get(url).status_code == 405
