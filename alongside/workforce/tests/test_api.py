"""The workforce API: 404 across organizations and outside what a role sees, and each route."""

import datetime

import pytest

from alongside.care.tests.test_api import Api
from alongside.core.services import api_token_create
from alongside.workforce.models import Credential, SupervisionSession, Training

from .conftest import TODAY, add_credential, profile_of


@pytest.fixture
def api_as():
    def make(user, organization):
        return Api(api_token_create(user=user, organization=organization))

    return make


@pytest.fixture
def bob_credential(crsw, member, member_profile):
    return add_credential(
        member_profile, member, crsw, datetime.date(2024, 6, 30), datetime.date(2026, 6, 30)
    )


def test_add_a_credential_and_ask_its_status(api_as, member, org, crsw):
    api = api_as(member, org)
    response = api.post(
        "/staff/bob/credentials",
        {"type": "nh-crsw", "number": "CRSW-0101", "issued_on": "2024-06-30"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["expires_on"] == "2026-06-30"
    status = api.get(f"/staff/bob/credentials/{body['id']}/status", on="2026-04-01")
    assert status.status_code == 200
    assert status.json() == {
        "status": "expiring",
        "expires_on": "2026-06-30",
        "ce": {"total": {"have": 0.0, "need": 20.0}, "ethics": {"have": 0.0, "need": 6.0}},
        "met": False,
        "missing": ["ethics 0 of 6 hours", "0 of 20 hours in all"],
    }


def test_training_then_status_counts_it(api_as, member, org, bob_credential):
    api = api_as(member, org)
    response = api.post(
        "/staff/bob/trainings",
        {"date": "2026-01-10", "hours": 6, "topic": "ethics", "title": "Ethics in peer work"},
    )
    assert response.status_code == 201, response.content
    status = api.get(f"/staff/bob/credentials/{bob_credential.pk}/status", on="2026-03-02").json()
    assert status["ce"]["ethics"] == {"have": 6.0, "need": 6.0}
    assert status["missing"] == ["6 of 20 hours in all"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": -2}, "hours"),
        ({"hours": 30}, "hours"),
        ({"date": "2999-01-01"}, "date"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_training_answers_400_naming_the_field(api_as, member, org, body, field):
    base = {"date": "2026-01-10", "hours": 2, "topic": "ethics", "title": "Ethics"}
    response = api_as(member, org).post("/staff/bob/trainings", {**base, **body})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Training.objects.with_scopes_disabled().exists()


def test_expiry_before_issue_answers_400(api_as, member, org, crsw):
    response = api_as(member, org).post(
        "/staff/bob/credentials",
        {"type": "nh-crsw", "number": "X", "issued_on": "2025-06-01", "expires_on": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()["errors"]
    assert not Credential.objects.with_scopes_disabled().exists()


def test_unknown_credential_type_answers_400(api_as, member, org, crsw):
    response = api_as(member, org).post(
        "/staff/bob/credentials", {"type": "zz-nothing", "number": "X", "issued_on": "2025-06-01"}
    )
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


def test_supervision_and_progress(api_as, member, supervisor, org, crsw, agreement):
    api = api_as(member, org)
    response = api.post(
        "/staff/bob/supervision",
        {
            "date": "2026-02-02",
            "minutes": 90,
            "supervisor": "sue",
            "format": "individual",
            "topics": ["ethics"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["supervisor"] == "sue"
    progress = api.get("/staff/bob/progress", credential="nh-crsw", on=TODAY.isoformat()).json()
    assert progress["supervised_hours"] == {"have": 1.5, "need": 25.0}
    assert progress["training"]["total"] == {"have": 0.0, "need": 46.0}
    assert progress["met"] is False


def test_supervision_by_someone_who_is_not_a_supervisor_is_refused(api_as, member, peer, org):
    response = api_as(member, org).post(
        "/staff/bob/supervision",
        {"date": "2026-02-02", "minutes": 60, "supervisor": "pat", "format": "group"},
    )
    assert response.status_code == 400
    assert "supervisor" in response.json()["errors"]
    assert not SupervisionSession.objects.with_scopes_disabled().exists()


def test_agreements_pending_and_approved(api_as, member, supervisor, org, crsw):
    api = api_as(member, org)
    response = api.post("/staff/bob/agreements", {"supervisor": "sue"})
    assert response.status_code == 201
    assert response.json()["approved_on"] is None
    approved = api.post(
        "/staff/bob/agreements",
        {"supervisor": "sue", "approved_on": "2026-01-01", "approved_by": "NH Board (test)"},
    )
    assert approved.status_code == 201
    api.post(
        "/staff/bob/supervision",
        {"date": "2026-01-15", "minutes": 30, "supervisor": "sue", "format": "individual"},
    )
    progress = api.get("/staff/bob/progress", credential="nh-crsw", on="2026-03-02").json()
    assert progress["supervised_hours"]["have"] == 0.5


def test_an_approval_without_who_approved_answers_400(api_as, member, supervisor, org):
    response = api_as(member, org).post(
        "/staff/bob/agreements", {"supervisor": "sue", "approved_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "approved_by" in response.json()["errors"]


def test_progress_for_an_unknown_code_answers_400(api_as, member, org, crsw):
    response = api_as(member, org).get("/staff/bob/progress", credential="zz")
    assert response.status_code == 400


# --- Who sees whom ------------------------------------------------------------------------

PATHS = [
    ("get", "/staff/{u}/credentials"),
    ("post", "/staff/{u}/credentials"),
    ("get", "/staff/{u}/credentials/{c}/status"),
    ("get", "/staff/{u}/progress?credential=nh-crsw"),
    ("get", "/staff/{u}/trainings"),
    ("post", "/staff/{u}/trainings"),
    ("get", "/staff/{u}/supervision"),
    ("post", "/staff/{u}/supervision"),
    ("get", "/staff/{u}/agreements"),
    ("post", "/staff/{u}/agreements"),
]
BODIES = {
    "credentials": {"type": "nh-crsw", "number": "X", "issued_on": "2025-06-01"},
    "trainings": {"date": "2026-01-10", "hours": 2, "topic": "ethics", "title": "Ethics"},
    "supervision": {"date": "2026-02-02", "minutes": 60, "supervisor": "sue", "format": "group"},
    "agreements": {"supervisor": "sue"},
}


def call(api, method, template, username, credential_id):
    path = template.format(u=username, c=credential_id)
    if method == "get":
        return api.client.get(f"/api/v1{path}", **api.headers)
    return api.post(path, BODIES[path.rsplit("/", 1)[-1]])


@pytest.mark.parametrize(("method", "template"), PATHS)
def test_outsider_gets_404_on_every_endpoint(
    api_as, outsider, other_org, bob_credential, supervisor, method, template
):
    response = call(api_as(outsider, other_org), method, template, "bob", bob_credential.pk)
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template"), PATHS)
def test_a_peer_specialist_gets_404_for_a_colleague(
    api_as, peer, org, bob_credential, supervisor, method, template
):
    response = call(api_as(peer, org), method, template, "bob", bob_credential.pk)
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template"), [p for p in PATHS if p[0] == "get"])
def test_a_supervisor_sees_a_supervisee_and_not_others(
    api_as, supervisor, peer, org, bob_credential, agreement, method, template
):
    api = api_as(supervisor, org)
    assert call(api, method, template, "bob", bob_credential.pk).status_code == 200
    assert call(api, method, template, "pat", bob_credential.pk).status_code == 404


@pytest.mark.parametrize(("method", "template"), [p for p in PATHS if p[0] == "get"])
def test_an_org_admin_sees_everyone(api_as, admin, org, bob_credential, method, template):
    assert call(api_as(admin, org), method, template, "bob", bob_credential.pk).status_code == 200


def test_a_credential_id_of_another_person_answers_404(
    api_as, outsider, other_org, bob_credential, crsw
):
    outsider_profile = profile_of(outsider, other_org)
    add_credential(outsider_profile, outsider, crsw, datetime.date(2025, 1, 1))
    api = api_as(outsider, other_org)
    assert api.get(f"/staff/dave/credentials/{bob_credential.pk}/status").status_code == 404


def test_a_credential_id_of_a_colleague_under_ones_own_name_answers_404(
    api_as, admin, org, bob_credential
):
    response = api_as(admin, org).get(f"/staff/alice/credentials/{bob_credential.pk}/status")
    assert response.status_code == 404


def test_the_routes_are_in_the_openapi_document(api_as, member, org):
    document = api_as(member, org).client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/staff/{username}/credentials",
        "/api/v1/staff/{username}/credentials/{id}/status",
        "/api/v1/staff/{username}/trainings",
        "/api/v1/staff/{username}/supervision",
        "/api/v1/staff/{username}/agreements",
        "/api/v1/staff/{username}/progress",
    ):
        assert path in document["paths"]
