"""The billing API: a run's lines and held lines, the 837P file, 835 import, coverage, and
404 for another organization's batch, claim, remittance or person on every route."""

import pytest
from django.urls import reverse

from alongside.billing.models import Batch, Claim
from alongside.billing.tests.conftest import DAY, submitted_batch
from alongside.billing.tests.test_x12_835 import remittance_text
from alongside.billing.x12.validate import x12_errors
from alongside.care.tests.test_api import Api
from alongside.core.models import AuditEvent
from alongside.core.services import api_token_create
from alongside.core.tenancy import organization_scope

RUN = {"payer": "DEMO", "from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def api_as():
    def make(user, organization):
        return Api(api_token_create(user=user, organization=organization))

    return make


@pytest.fixture
def api(api_as, clerk, org):
    return api_as(clerk, org)


PATIENT = "NM1*QC*1*SAMPLE*RILEY****MI*DEMO-0001~\n"


def post_text(api, path, text):
    return api.client.post(f"/api/v1{path}", text, content_type="text/plain", **api.headers)


def test_a_run_returns_its_lines_and_held_lines(api, world):
    person = world.person()
    billed = world.encounter(person, minutes=38)
    held = world.encounter(person, minutes=30, start=(14, 0), sign=False)
    response = api.post("/billing/batches", RUN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lines"] == [
        {
            "encounter_id": str(billed.pk),
            "date": DAY.isoformat(),
            "code": "H0038",
            "modifiers": [],
            "units": 3,
            "minutes": 38,
            "amount": "45.00",
        }
    ]
    assert [(h["encounter_id"], h["reasons"]) for h in body["held"]] == [
        (str(held.pk), ["note not signed"])
    ]
    with organization_scope(world.org):
        assert AuditEvent.objects.filter(object_id=body["id"], action="create").exists()


def test_the_file_is_plain_text_that_pyx12_accepts(api, world, identity):
    world.encounter(world.person(), minutes=60)
    world.encounter(world.person("Sky (sample)"), minutes=45, type="group")
    batch_id = api.post("/billing/batches", RUN).json()["id"]
    response = api.get(f"/billing/batches/{batch_id}/837p")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert x12_errors(text) == []
    segments = [s.strip() for s in text.split("~") if s.strip()]
    names = [s.split("*")[0] for s in segments]
    se = segments[names.index("SE")]
    assert int(se.split("*")[1]) == names.index("SE") - names.index("ST") + 1
    lines = [s for s in segments if s.startswith("SV1*")]
    assert sorted(s.split("*")[1:5] for s in lines) == [
        ["HC:H0038", "60", "UN", "4"],
        ["HC:H0038:HQ", "15", "UN", "3"],
    ]
    with organization_scope(world.org):
        batch = Batch.objects.get(pk=batch_id)
        assert batch.status == Batch.Status.SUBMITTED
        assert set(batch.claims.values_list("status", flat=True)) == {Claim.Status.SUBMITTED}
        assert AuditEvent.objects.filter(object_id=batch_id, action="export").exists()


def test_a_file_that_cannot_be_written_is_never_offered(api, world):
    # No billing identity: the errors come back, the file does not.
    world.encounter(world.person(), minutes=60)
    batch_id = api.post("/billing/batches", RUN).json()["id"]
    response = api.get(f"/billing/batches/{batch_id}/837p")
    assert response.status_code == 409
    assert "billing identity" in " ".join(response.json()["errors"])
    with organization_scope(world.org):
        assert Batch.objects.get(pk=batch_id).file_text == ""


def test_a_replacement_and_a_void_are_valid_files(api, world, clerk, identity):
    _batch, claim = submitted_batch(world, clerk, 60)
    replaced = api.post(f"/billing/claims/{claim.claim_id}/replace", {"payer_claim_number": "P7"})
    assert replaced.status_code == 201, replaced.content
    assert replaced.json()["frequency"] == "7"
    with organization_scope(world.org):
        new = Claim.objects.get(claim_id=replaced.json()["claim_id"])
    text = api.get(f"/billing/batches/{new.batch_id}/837p").content.decode()
    assert x12_errors(text) == [] and "REF*F8*P7~" in text
    assert f"CLM*{new.claim_id}*60***11:B:7*" in text
    void = api.post(f"/billing/claims/{new.claim_id}/void", {"payer_claim_number": "P8"})
    assert void.status_code == 201 and void.json()["frequency"] == "8"
    with organization_scope(world.org):
        voided = Claim.objects.get(claim_id=void.json()["claim_id"])
    text = api.get(f"/billing/batches/{voided.batch_id}/837p").content.decode()
    assert x12_errors(text) == [] and ":B:8*" in text


def test_an_835_is_applied_once_and_a_bad_one_is_refused_whole(api, world, clerk):
    _batch, claim = submitted_batch(world, clerk, 60)
    text = remittance_text(
        f"CLP*{claim.claim_id}*1*60*45**MC*PCN-9~\nCAS*CO*45*15~\n" + PATIENT, payment="45"
    )
    first = post_text(api, "/billing/remittances", text)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["claims"] == [
        {
            "claim_id": claim.claim_id,
            "status": "partial",
            "paid": "45.00",
            "adjustments": [{"group": "CO", "reason": "45", "amount": "15.00"}],
        }
    ]
    again = post_text(api, "/billing/remittances", text)
    assert again.json()["id"] == body["id"]
    claim.refresh_from_db()
    assert (claim.paid_cents, claim.payer_claim_number) == (4500, "PCN-9")
    bad = post_text(api, "/billing/remittances", text.replace("CLP*", "CLQ*"))
    assert bad.status_code == 400 and bad.json()["segment"]


def test_coverage_is_added_with_the_clinicians_codes(api, world):
    person = world.person(coverage=False)
    response = api.post(
        f"/participants/{person.pk}/coverages",
        {
            "payer": "DEMO",
            "member_id": "M-1",
            "starts_on": "2026-01-01",
            "diagnosis_codes": ["F33.1"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["diagnosis_codes"] == ["F33.1"]
    listed = api.get(f"/participants/{person.pk}/coverages").json()
    assert [c["member_id"] for c in listed] == ["M-1"]


@pytest.mark.parametrize(
    "field, value",
    [("payer", "DE\x00MO"), ("member_id", "M\x00-1"), ("diagnosis_codes", ["F33\x00.1"])],
)
def test_a_nul_character_is_a_clear_400_and_nothing_is_added(api, world, field, value):
    # Found by the API fuzz on PostgreSQL, whose text columns cannot hold NUL: it was a 500.
    person = world.person(coverage=False)
    payload = {"payer": "DEMO", "member_id": "M-1", "starts_on": "2026-01-01"}
    response = api.post(f"/participants/{person.pk}/coverages", {**payload, field: value})
    assert response.status_code in (400, 422), response.content
    assert api.get(f"/participants/{person.pk}/coverages").json() == []


def test_a_role_without_billing_is_refused(api_as, world, org):
    assert api_as(world.specialist, org).post("/billing/batches", RUN).status_code == 403


def test_org_billing_identity_through_the_api(api, org, admin, api_as):
    from alongside.billing.tests.conftest import IDENTITY

    response = api_as(admin, org).send("put", "/billing/identity", IDENTITY)
    assert response.status_code == 200, response.content
    assert api.get("/billing/identity").json()["taxonomy"] == "175T00000X"


def test_outsider_gets_404_on_every_billing_route_that_takes_an_id(
    api_as, world, clerk, outsider_clerk, other_org
):
    batch, claim = submitted_batch(world, clerk, 60)
    text = remittance_text(f"CLP*{claim.claim_id}*1*60*60**MC*PCN-1~\n" + PATIENT, payment="60")
    remittance_id = post_text(api_as(clerk, world.org), "/billing/remittances", text).json()["id"]
    person = claim.participant
    them = api_as(outsider_clerk, other_org)
    assert them.get(f"/billing/batches/{batch.pk}").status_code == 404
    assert them.get(f"/billing/batches/{batch.pk}/837p").status_code == 404
    assert them.get(f"/billing/claims/{claim.claim_id}").status_code == 404
    assert them.post(f"/billing/claims/{claim.claim_id}/replace", {}).status_code == 404
    assert them.post(f"/billing/claims/{claim.claim_id}/void", {}).status_code == 404
    assert them.get(f"/billing/remittances/{remittance_id}").status_code == 404
    assert them.get(f"/participants/{person.pk}/coverages").status_code == 404
    coverage = {"payer": "DEMO", "member_id": "X", "starts_on": "2026-01-01"}
    assert them.post(f"/participants/{person.pk}/coverages", coverage).status_code == 404
    # Their import of our claim's 835 matches nothing of ours.
    theirs = post_text(them, "/billing/remittances", text).json()
    assert theirs["unmatched"] == [claim.claim_id]


def test_billing_never_receives_note_text(api, world, clerk):
    world.encounter(world.person(), minutes=60)
    body = api.post("/billing/batches", RUN).content.decode()
    assert "Private words" not in body and "Felt steadier" not in body


def test_billing_cannot_open_a_note(sign_in, world, clerk):
    person = world.person()
    encounter = world.encounter(person, minutes=60)
    client = sign_in(clerk)
    response = client.get(reverse("care:encounter", args=[person.pk, encounter.pk]))
    assert response.status_code in {403, 404}
    assert b"Private words" not in response.content
