import csv
import io

import pytest

from alongside.core.audit import Action, audit_record
from alongside.core.models import AuditEvent


@pytest.fixture
def events(org, other_org):
    audit_record(
        action=Action.VIEW, organization=org, object_type="participant", participant_id="p-1"
    )
    audit_record(
        action=Action.EXPORT, organization=org, object_type="participant", participant_id="p-2"
    )
    audit_record(action=Action.VIEW, organization=other_org, object_type="secret-of-other-org")


def test_admin_sees_only_own_organizations_events(admin, sign_in, events):
    body = sign_in(admin).get("/staff/audit/").content.decode()
    assert "p-1" in body and "p-2" in body
    assert "secret-of-other-org" not in body


def test_filters_by_participant_and_action(admin, sign_in, events):
    client = sign_in(admin)
    body = client.get("/staff/audit/", {"participant": "p-1"}).content.decode()
    assert "p-1" in body and "p-2" not in body
    body = client.get("/staff/audit/", {"action": "export"}).content.decode()
    assert "p-2" in body and "p-1" not in body


def test_bad_date_range_is_explained(admin, sign_in, events):
    body = (
        sign_in(admin)
        .get("/staff/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
        .content.decode()
    )
    assert "The end date is before the start date." in body


def test_sorts_by_a_column(admin, sign_in, events):
    body = sign_in(admin).get("/staff/audit/", {"sort": "participant_id"}).content.decode()
    assert body.index("p-1") < body.index("p-2")
    body = sign_in(admin).get("/staff/audit/", {"sort": "-participant_id"}).content.decode()
    assert body.index("p-2") < body.index("p-1")


def test_member_without_admin_role_is_refused(member, sign_in, events):
    assert sign_in(member).get("/staff/audit/").status_code == 403


def test_csv_export_is_itself_audited(admin, sign_in, events):
    response = sign_in(admin).get("/staff/audit/export.csv", {"action": "view"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "occurred_at", "user", "action"]
    assert {row[3] for row in rows[1:]} == {"view"}
    assert AuditEvent.objects.filter(action="export", object_type="audit_report").exists()


def test_report_query_count_does_not_grow_with_events(
    admin, sign_in, org, django_assert_max_num_queries
):
    client = sign_in(admin)
    for i in range(60):
        audit_record(action=Action.VIEW, organization=org, object_id=str(i))
    with django_assert_max_num_queries(12):
        assert client.get("/staff/audit/").status_code == 200
