"""GET /api/v1/reports/{name}: shape, CSV, roles and organizations."""

import pytest
from django.test import Client

from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.core.services import api_token_create

from .conftest import make_encounter, make_person, period

pytestmark = pytest.mark.django_db


def client_for(user, organization):
    token = api_token_create(user=user, organization=organization)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def url(name="quarterly", suppress=False):
    start, end = period()
    return f"/api/v1/reports/{name}?from={start}&to={end}" + ("&suppress=1" if suppress else "")


def test_answers_name_version_period_and_metrics(org, admin, writer):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    body = client_for(admin, org).get(url()).json()
    start, end = period()
    assert (body["name"], body["version"]) == ("quarterly", 1)
    assert body["period"] == {"from": start.isoformat(), "to": end.isoformat()}
    served = next(m for m in body["metrics"] if m["metric"] == "participants_served")
    assert (served["version"], served["value"]) == (1, 1)
    assert {"dimension", "category", "label", "measure", "value"} <= set(served["rows"][0])
    outcomes = next(m for m in body["metrics"] if m["metric"] == "recovery_measures")
    assert (outcomes["version"], outcomes["available"], outcomes["value"]) == (2, True, 0)


def test_suppress_1_hides_small_counts(org, admin, writer):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    body = client_for(admin, org).get(url(suppress=True)).json()
    served = next(m for m in body["metrics"] if m["metric"] == "participants_served")
    assert served["value"] == "<11"


def test_accept_text_csv_answers_the_csv(org, admin):
    response = client_for(admin, org).get(url(), HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"report,report_version,")


@pytest.mark.parametrize("roles", [[Role.PEER_SPECIALIST], [Role.BILLING]])
def test_other_roles_get_403(make_user, org, roles):
    user = make_user("pat", org, roles)
    assert client_for(user, org).get(url()).status_code == 403


def test_a_supervisor_may(make_user, org):
    user = make_user("sue", org, [Role.SUPERVISOR])
    assert client_for(user, org).get(url()).status_code == 200


def test_an_organization_sees_only_its_own_counts(org, other_org, writer, outsider):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    body = client_for(outsider, other_org).get(url()).json()
    served = next(m for m in body["metrics"] if m["metric"] == "participants_served")
    assert served["value"] == 0


def test_unknown_report_404_and_bad_period_400(org, admin):
    client = client_for(admin, org)
    assert client.get("/api/v1/reports/nope?from=2026-01-01&to=2026-03-31").status_code == 404
    assert client.get("/api/v1/reports/quarterly?from=2026-03-01&to=2026-01-01").status_code == 400
    assert client.get("/api/v1/reports/quarterly?from=2020-01-01&to=2026-01-01").status_code == 400
    assert client.get("/api/v1/reports/quarterly?from=nope&to=2026-01-01").status_code == 400


def test_running_is_audited(org, admin):
    client_for(admin, org).get(url())
    assert AuditEvent.objects.filter(object_type="reports.report", action="export").count() == 1
