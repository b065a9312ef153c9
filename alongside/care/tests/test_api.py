"""The care API: tenancy (404), roles (403), the services behind each endpoint, and audit."""

import json

import pytest
from django.test import Client

from alongside.care import services
from alongside.care.models import Encounter, Participant
from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.core.services import api_token_create

from .conftest import TODAY, make_participant


class Api:
    """A JSON client for ``/api/v1`` with a personal token."""

    def __init__(self, secret):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def send(self, method, path, body=None):
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            **self.headers,
        )

    def post(self, path, body=None):
        return self.send("post", path, body)

    def patch(self, path, body=None):
        return self.send("patch", path, body)


@pytest.fixture
def api_as():
    def make(user, organization):
        return Api(api_token_create(user=user, organization=organization))

    return make


@pytest.fixture
def api(api_as, member, org):
    return api_as(member, org)


ENCOUNTER = {
    "type": "phone",
    "date": "2026-03-02",
    "start_time": "10:00",
    "end_time": "10:30",
    "service_categories": ["planning"],
    "worked_on": "Practised the call to the landlord",
}
CONSENT = {
    "discloser": "Granite",
    "recipients": ["Harbor Housing"],
    "information": "Contact dates",
    "information_categories": ["encounter_dates"],
    "purposes": ["benefits"],
    "expires_on": "2026-12-31",
    "signature_name": "Jordan",
    "signed_on": "2026-03-01",
}


@pytest.fixture
def records(participant, member, encounter, goal, in_org):
    consent = services.consent_create(
        participant=participant,
        actor=member,
        data={**CONSENT, "recipients": "Harbor Housing", "signed_on": TODAY},
    )
    referral = services.referral_create(participant=participant, actor=member, provider_name="A")
    return {"consent": consent, "encounter": encounter, "goal": goal, "referral": referral}


def id_endpoints(participant, records):
    """Every endpoint that takes an id, with a body that would be accepted."""
    p = f"/participants/{participant.pk}"
    e = f"{p}/encounters/{records['encounter'].pk}"
    return [
        ("get", p, None),
        ("patch", p, {"pronouns": "they/them"}),
        ("post", f"{p}/discharge", {"discharged_on": "2026-03-03", "reason": "moved"}),
        ("get", f"{p}/consents", None),
        ("post", f"{p}/consents", CONSENT),
        (
            "post",
            f"{p}/consents/{records['consent'].pk}/revoke",
            {"revoked_on": "2026-03-03", "revoked_how": "in_writing"},
        ),
        ("get", f"{p}/plans", None),
        ("post", f"{p}/plans", {"agreed_on": "2026-03-02", "agreed_how": "signed"}),
        ("get", f"{p}/goals", None),
        ("post", f"{p}/goals", {"text": "Walk daily", "service_category": "planning"}),
        ("patch", f"{p}/goals/{records['goal'].pk}", {"status": "achieved"}),
        ("get", f"{p}/encounters", None),
        ("post", f"{p}/encounters", ENCOUNTER),
        ("get", e, None),
        ("patch", e, {"setting": "Library"}),
        ("post", f"{e}/sign", None),
        ("post", f"{e}/amendments", {"text": "Also talked about the bus"}),
        ("get", f"{p}/referrals", None),
        ("post", f"{p}/referrals", {"provider_name": "Harbor Housing"}),
        ("patch", f"{p}/referrals/{records['referral'].pk}", {"status": "made"}),
        ("get", f"{p}/appointments", None),
        (
            "post",
            f"{p}/appointments",
            {
                "starts_at": "2026-03-04T10:00:00-05:00",
                "ends_at": "2026-03-04T11:00:00-05:00",
                "place": "Library",
            },
        ),
        ("get", f"{p}/fhir?purpose=treatment", None),
    ]


def _call(api, method, path, body):
    return api.get(path) if method == "get" else api.send(method, path, body)


def test_outsider_gets_404_on_every_endpoint_that_takes_an_id(
    api_as, outsider, other_org, participant, records
):
    api = api_as(outsider, other_org)
    for method, path, body in id_endpoints(participant, records):
        assert _call(api, method, path, body).status_code == 404, (method, path)


def test_member_reaches_every_endpoint_that_takes_an_id(api, participant, records):
    for method, path, body in id_endpoints(participant, records):
        status = _call(api, method, path, body).status_code
        # Signing and amending depend on each other's order; the export needs a consent.
        assert status in {200, 201, 403, 409}, (method, path, status)
        assert status != 404, (method, path)


def test_records_of_another_participant_answer_404(api, org, member, participant, records):
    other = make_participant(org, member, name="Other (sample)")
    assert (
        api.get(f"/participants/{other.pk}/encounters/{records['encounter'].pk}").status_code == 404
    )
    goal = records["goal"]
    assert (
        api.patch(f"/participants/{other.pk}/goals/{goal.pk}", {"status": "paused"}).status_code
        == 404
    )


def test_billing_only_member_cannot_read_notes(api_as, billing_user, org, participant, encounter):
    api = api_as(billing_user, org)
    assert api.get("/participants").status_code == 403
    response = api.get(f"/participants/{participant.pk}/encounters/{encounter.pk}")
    assert response.status_code == 403
    assert b"bus routes" not in response.content


def test_directory_editor_cannot_list_participants(api_as, member_without_role, org, participant):
    assert api_as(member_without_role, org).get("/participants").status_code == 403


def test_restricted_caseload_hides_others(
    api_as, make_user, admin, org, member, participant, in_org
):
    services.care_settings_update(
        organization=org, actor=admin, own_caseload_only=True, not_seen_days=30
    )
    newcomer = make_user("nia", org, [Role.PEER_SPECIALIST])
    api = api_as(newcomer, org)
    assert api.get("/participants").json()["count"] == 0
    assert api.get(f"/participants/{participant.pk}").status_code == 404
    assert api_as(member, org).get("/participants").json()["count"] == 1


def test_list_shows_only_visible_participants_and_audits_each(
    api, participant, foreign_participant
):
    body = api.get("/participants").json()
    assert [item["id"] for item in body["items"]] == [str(participant.pk)]
    assert AuditEvent.objects.filter(action="view", participant_id=str(participant.pk)).exists()
    assert not AuditEvent.objects.filter(participant_id=str(foreign_participant.pk), action="view")


def test_list_runs_a_bounded_number_of_queries(api, org, member, django_assert_max_num_queries):
    for n in range(5):
        make_participant(org, member, name=f"Person {n} (sample)", specialists=[member])
    # Fixed queries plus one audit event per participant on the page (5 on PostgreSQL).
    with django_assert_max_num_queries(12 + 5 * 5):
        assert api.get("/participants", limit=5).json()["count"] == 5


def test_reading_a_participant_is_audited_as_a_view(api, member, participant):
    assert api.get(f"/participants/{participant.pk}").json()["phone"] == "603-555-0142"
    event = AuditEvent.objects.filter(action="view", participant_id=str(participant.pk)).last()
    assert event.actor == member


def test_create_participant_enrolls_and_audits(api, member):
    response = api.post(
        "/participants",
        {
            "preferred_name": "Riley (sample)",
            "focus": "substance_use",
            "enrolled_on": "2026-03-02",
            "agreement_how": "verbal",
            "specialists": ["bob"],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["enrolled"] and body["specialists"] == ["bob"]
    assert AuditEvent.objects.filter(action="create", participant_id=body["id"]).exists()


def test_create_participant_names_the_missing_field(api):
    response = api.post("/participants", {"focus": "mental_health"})
    assert response.status_code == 400
    assert "preferred_name" in response.json()["errors"]


def test_model_validation_errors_name_the_field(api):
    body = {
        "preferred_name": "Riley (sample)",
        "focus": "substance_use",
        "enrolled_on": "2026-03-02",
        "agreement_how": "verbal",
        "email": "not an address",
    }
    response = api.post("/participants", body)
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_unknown_specialist_is_refused(api, outsider, in_org):
    body = {
        "preferred_name": "Riley (sample)",
        "focus": "substance_use",
        "enrolled_on": "2026-03-02",
        "agreement_how": "verbal",
        "specialists": ["dave"],
    }
    response = api.post("/participants", body)
    assert response.status_code == 400
    assert "specialists" in response.json()["errors"]
    assert not Participant.objects.filter(preferred_name="Riley (sample)").exists()


def test_update_changes_only_the_fields_sent(api, participant):
    response = api.patch(f"/participants/{participant.pk}", {"pronouns": "she/her"})
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.pronouns == "she/her"
    assert participant.phone == "603-555-0142"


def test_discharge_then_discharge_again_is_a_conflict(api, participant):
    url = f"/participants/{participant.pk}/discharge"
    body = {"discharged_on": "2026-03-05", "reason": "goals_met"}
    response = api.post(url, body)
    assert response.status_code == 200 and response.json()["enrolled"] is False
    again = api.post(url, body)
    assert again.status_code == 409
    assert "not enrolled" in again.json()["detail"]


def test_consents_create_list_and_revoke(api, participant):
    created = api.post(f"/participants/{participant.pk}/consents", CONSENT)
    assert created.status_code == 201
    consent_id = created.json()["id"]
    revoke = api.post(
        f"/participants/{participant.pk}/consents/{consent_id}/revoke",
        {"revoked_on": "2026-03-03", "revoked_how": "out_loud"},
    )
    assert revoke.json()["revoked_on"] == "2026-03-03"
    listed = api.get(f"/participants/{participant.pk}/consents").json()
    assert [c["recipients"] for c in listed] == [["Harbor Housing"]]


def test_consent_without_expiry_names_the_field(api, participant):
    body = {**CONSENT, "expires_on": None}
    response = api.post(f"/participants/{participant.pk}/consents", body)
    assert response.status_code == 400
    assert "expires_on" in response.json()["errors"]


def test_goals_and_plan_versions(api, participant):
    p = f"/participants/{participant.pk}"
    goal = api.post(f"{p}/goals", {"text": "Walk daily", "service_category": "planning"}).json()
    changed = api.patch(f"{p}/goals/{goal['id']}", {"status": "achieved", "chime": ["hope"]})
    assert changed.json()["status"] == "achieved" and changed.json()["chime"] == ["hope"]
    plan = {"summary": "Walk, work, music", "agreed_on": "2026-03-02", "agreed_how": "signed"}
    assert api.post(f"{p}/plans", plan).status_code == 201
    assert api.get(f"{p}/plans").json()[0]["number"] == 1
    assert [g["text"] for g in api.get(f"{p}/goals").json()] == ["Walk daily"]


def test_signed_note_cannot_change(api, participant, goal, in_org):
    p = f"/participants/{participant.pk}/encounters"
    note = api.post(p, {**ENCOUNTER, "goals": [str(goal.pk)]}).json()
    assert note["status"] == "draft" and note["duration_minutes"] == 30
    assert api.post(f"{p}/{note['id']}/sign").json()["status"] == "signed"
    response = api.patch(f"{p}/{note['id']}", {"worked_on": "Something else"})
    assert response.status_code == 409
    assert "amendment" in response.json()["detail"]
    assert api.post(f"{p}/{note['id']}/sign").status_code == 409
    assert Encounter.objects.get(pk=note["id"]).worked_on == ENCOUNTER["worked_on"]
    amended = api.post(f"{p}/{note['id']}/amendments", {"text": "Date was the 3rd"})
    assert amended.status_code == 201 and amended.json()["amendments"][0]["written_by"] == "bob"


def test_only_the_author_signs(api_as, supervisor, org, participant, encounter):
    url = f"/participants/{participant.pk}/encounters/{encounter.pk}/sign"
    assert api_as(supervisor, org).post(url).status_code == 403
    encounter.refresh_from_db()
    assert not encounter.is_signed


def test_encounter_goals_must_be_this_persons(api, org, member, participant, in_org):
    other = make_participant(org, member, name="Other (sample)")
    goal = services.goal_create(
        participant=other, actor=member, data={"text": "x", "service_category": "planning"}
    )
    response = api.post(
        f"/participants/{participant.pk}/encounters", {**ENCOUNTER, "goals": [str(goal.pk)]}
    )
    assert response.status_code == 400 and "goals" in response.json()["errors"]


def test_encounter_end_before_start_names_the_field(api, participant):
    body = {**ENCOUNTER, "end_time": "09:00"}
    response = api.post(f"/participants/{participant.pk}/encounters", body)
    assert response.status_code == 400 and "end_time" in response.json()["errors"]


def test_encounter_list_is_paged_and_audited(api, participant, encounter):
    body = api.get(f"/participants/{participant.pk}/encounters", limit=1).json()
    assert body["count"] == 1 and body["items"][0]["worked_on"].startswith("Looked at bus")
    assert AuditEvent.objects.filter(action="view", participant_id=str(participant.pk)).exists()


def test_referrals(api, participant):
    p = f"/participants/{participant.pk}/referrals"
    assert api.post(p, {}).json()["errors"]["provider_name"]
    referral = api.post(p, {"provider_name": "Harbor Housing"}).json()
    assert (
        api.patch(f"{p}/{referral['id']}", {"status": "connected"}).json()["status"] == "connected"
    )
    assert [r["made_by"] for r in api.get(p).json()] == ["bob"]


def test_appointments(api, participant):
    p = f"/participants/{participant.pk}/appointments"
    body = {
        "starts_at": "2026-03-04T10:00:00-05:00",
        "ends_at": "2026-03-04T11:00:00-05:00",
        "place": "Library",
        "transportation": "bus_pass",
        "arranged_by_me": True,
    }
    created = api.post(p, body)
    assert created.status_code == 201
    assert created.json()["transportation_arranged_by"] == "bob"
    assert len(api.get(p).json()) == 1


def test_appointment_needs_a_time_zone(api, participant):
    body = {"starts_at": "2026-03-04T10:00:00", "ends_at": "2026-03-04T11:00:00", "place": "x"}
    response = api.post(f"/participants/{participant.pk}/appointments", body)
    assert response.status_code == 400 and "starts_at" in response.json()["errors"]


def test_nul_characters_are_refused(api, participant):
    response = api.patch(f"/participants/{participant.pk}", {"pronouns": "a\x00b"})
    assert response.status_code == 400 and "pronouns" in response.json()["errors"]


def test_care_endpoints_are_in_the_openapi_document(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/participants/{participant_id}/fhir" in paths
    sign = paths["/api/v1/participants/{participant_id}/encounters/{encounter_id}/sign"]["post"]
    # Clients generated from the description name their methods after the operation ids.
    assert sign["operationId"] == "alongside_care_api_routes_encounter_sign"
