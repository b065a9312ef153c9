"""Coverage in place of the single Medicaid id: pages, API, ``coverage_on``, encryption, FHIR."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from alongside.care import selectors, services
from alongside.care.fhir import RACE_ETHNICITY_EXTENSION, participant_bundle
from alongside.care.models import Coverage
from alongside.core.models import AuditEvent
from alongside.core.services import api_token_create

from .conftest import make_participant

pytestmark = pytest.mark.usefixtures("in_org")

MEDICAID = {
    "payer_name": "Medicaid",
    "payer_code": "NHMCD",
    "member_id": "SAMPLE000042",
    "starts_on": datetime.date(2025, 1, 1),
}


def _coverage(participant, member, **changes):
    return services.coverage_create(
        participant=participant, actor=member, data={**MEDICAID, **changes}
    )


def _api(user, organization):
    token = api_token_create(user=user, organization=organization)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, path, body=None):
        client = Client()
        if method in ("get", "delete"):
            return getattr(client, method)(f"/api/v1{path}", **headers)
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers
        )

    return call


def _raw_member_id(coverage):
    table = connection.ops.quote_name(Coverage._meta.db_table)
    with connection.cursor() as cursor:
        for key in (coverage.pk.hex, coverage.pk):  # SQLite keeps hex, PostgreSQL a uuid
            cursor.execute(f"SELECT member_id FROM {table} WHERE id = %s", [key])  # noqa: S608
            row = cursor.fetchone()
            if row is not None:
                return row[0]
    raise AssertionError("no such row")


# --- Services and selectors ---------------------------------------------------------------


def test_member_id_is_encrypted_at_rest(member, participant):
    coverage = _coverage(participant, member)
    raw = _raw_member_id(coverage)
    assert "000042" not in raw
    assert raw.startswith("gAAAAA")
    assert Coverage.objects.get(pk=coverage.pk).member_id == "SAMPLE000042"


def test_coverage_cannot_end_before_it_starts(member, participant):
    with pytest.raises(ValidationError) as raised:
        _coverage(participant, member, ends_on=datetime.date(2024, 12, 31))
    assert "ends_on" in raised.value.message_dict
    assert not Coverage.objects.exists()


MARCH = datetime.date(2025, 3, 1)
JULY = datetime.date(2025, 7, 1)


def test_coverage_on_a_day_lists_what_was_in_force(member, participant):
    old = _coverage(participant, member, ends_on=datetime.date(2025, 6, 30))
    new = _coverage(participant, member, payer_name="Plan (sample)", starts_on=JULY)
    both = _coverage(participant, member, payer_name="Medicare", starts_on=MARCH)
    assert selectors.coverage_on(participant, datetime.date(2024, 12, 31)) == []
    assert selectors.coverage_on(participant, datetime.date(2025, 6, 30)) == [both, old]
    assert selectors.coverage_on(participant, datetime.date(2025, 7, 1)) == [new, both]


def test_update_and_delete_are_audited_by_field_name(member, participant):
    coverage = _coverage(participant, member)
    services.coverage_update(
        coverage=coverage, actor=member, data={"ends_on": datetime.date(2025, 12, 31)}
    )
    services.coverage_delete(coverage=coverage, actor=member)
    events = AuditEvent.objects.filter(object_type="care.coverage").order_by("pk")
    assert [(e.action, e.changed_fields) for e in events][1:] == [
        ("update", ["ends_on"]),
        ("delete", []),
    ]
    assert all(e.participant_id == str(participant.pk) for e in events)
    assert not Coverage.objects.exists()


# --- Pages --------------------------------------------------------------------------------


def test_add_change_and_remove_coverage_on_the_pages(sign_in, member, participant):
    client = sign_in(member)
    response = client.post(
        reverse("care:coverage_create", args=[participant.pk]),
        {"payer_name": "Medicaid", "member_id": "SAMPLE000077", "starts_on": "2025-02-01"},
    )
    assert response.status_code == 302
    coverage = Coverage.objects.get(participant=participant)
    page = client.get(reverse("care:participant", args=[participant.pk])).content.decode()
    assert "SAMPLE000077" in page
    edit = reverse("care:coverage_edit", args=[participant.pk, coverage.pk])
    response = client.post(
        edit,
        {
            "payer_name": "Medicaid",
            "member_id": "SAMPLE000077",
            "starts_on": "2025-02-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    client.post(reverse("care:coverage_delete", args=[participant.pk, coverage.pk]))
    assert not Coverage.objects.exists()


def test_outsider_gets_404_on_every_coverage_page(sign_in, member, outsider, participant):
    coverage = _coverage(participant, member)
    client = sign_in(outsider)
    assert client.get(reverse("care:coverage_create", args=[participant.pk])).status_code == 404
    edit = reverse("care:coverage_edit", args=[participant.pk, coverage.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {**MEDICAID, "payer_name": "X"}).status_code == 404
    delete = reverse("care:coverage_delete", args=[participant.pk, coverage.pk])
    assert client.post(delete).status_code == 404
    assert Coverage.objects.get().payer_name == "Medicaid"


def test_coverage_of_another_participant_answers_404(sign_in, member, org, participant):
    coverage = _coverage(participant, member)
    other = make_participant(org, member, name="Other (sample)")
    url = reverse("care:coverage_edit", args=[other.pk, coverage.pk])
    assert sign_in(member).get(url).status_code == 404


# --- API ----------------------------------------------------------------------------------


def test_api_coverage_crud(member, org, participant):
    api = _api(member, org)
    base = f"/participants/{participant.pk}/coverage"
    body = {"payer_name": "Medicaid", "member_id": "SAMPLE000099", "starts_on": "2025-04-01"}
    created = api("post", base, body)
    assert created.status_code == 201
    coverage_id = created.json()["id"]
    assert created.json()["member_id"] == "SAMPLE000099"
    changed = api("patch", f"{base}/{coverage_id}", {"ends_on": "2025-12-31"})
    assert changed.status_code == 200 and changed.json()["ends_on"] == "2025-12-31"
    detail = api("get", f"/participants/{participant.pk}").json()
    assert [c["id"] for c in detail["coverage"]] == [coverage_id]
    assert "medicaid_id" not in detail
    assert api("get", base).json()[0]["payer_code"] == ""
    assert api("delete", f"{base}/{coverage_id}").status_code == 204
    assert api("get", base).json() == []


def test_api_refuses_an_end_before_the_start(member, org, participant):
    response = _api(member, org)(
        "post",
        f"/participants/{participant.pk}/coverage",
        {**MEDICAID, "starts_on": "2025-04-01", "ends_on": "2025-03-01"},
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()["errors"]


def test_api_no_longer_takes_a_medicaid_id(member, org, participant):
    response = _api(member, org)("patch", f"/participants/{participant.pk}", {"medicaid_id": "123"})
    assert response.status_code == 400


def test_outsider_gets_404_on_every_coverage_endpoint(member, outsider, other_org, participant):
    coverage = _coverage(participant, member)
    api = _api(outsider, other_org)
    base = f"/participants/{participant.pk}/coverage"
    body = {"payer_name": "Medicaid", "member_id": "X1", "starts_on": "2025-01-01"}
    assert api("get", base).status_code == 404
    assert api("post", base, body).status_code == 404
    assert api("patch", f"{base}/{coverage.pk}", {"payer_name": "Y"}).status_code == 404
    assert api("delete", f"{base}/{coverage.pk}").status_code == 404
    assert Coverage.objects.get().payer_name == "Medicaid"


# --- FHIR ---------------------------------------------------------------------------------


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_bundle_carries_coverage_and_every_race_answer(member, participant):
    _coverage(participant, member, ends_on=datetime.date(2025, 12, 31))
    services.participant_update(
        participant=participant,
        actor=member,
        data={"race_ethnicity": ["hispanic_latino", "middle_eastern_north_african"]},
    )
    participant.refresh_from_db()
    bundle = participant_bundle(participant)
    (coverage,) = _resources(bundle, "Coverage")
    assert coverage["subscriberId"] == "SAMPLE000042"
    assert coverage["payor"][0]["display"] == "Medicaid"
    assert coverage["payor"][0]["identifier"]["value"] == "NHMCD"
    assert coverage["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert coverage["beneficiary"]["reference"] == f"urn:uuid:{participant.pk}"
    (patient,) = _resources(bundle, "Patient")
    answers = [
        x["valueCoding"]["code"]
        for x in patient["extension"]
        if x["url"] == RACE_ETHNICITY_EXTENSION
    ]
    assert answers == ["hispanic_latino", "middle_eastern_north_african"]
