"""The audit report answers "who opened Jordan's record?" by name, in words, and in its CSV."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from alongside.care.tests.conftest import make_participant
from alongside.core.audit import Action, audit_record

REPORT = "/staff/audit/"


@pytest.fixture
def jordan(org, admin):
    return make_participant(org, admin, name="Jordan Avery (sample)")


@pytest.fixture
def riley(org, admin):
    return make_participant(org, admin, name="Riley Brooks (sample)")


@pytest.fixture
def opened(org, member, jordan, riley):
    member.first_name, member.last_name = "Robin", "Okafor"
    member.save()
    for person in (jordan, riley):
        audit_record(
            action=Action.VIEW,
            actor=member,
            organization=org,
            obj=person,
            participant_id=str(person.pk),
        )


def find(client, name):
    """Post a name to the report; return the report's URL it answers with, and that page."""
    response = client.post(REPORT, {"participant_name": name})
    assert response.status_code == 302
    return response.url, client.get(response.url).content.decode()


def test_filter_by_name_shows_who_opened_the_record(admin, sign_in, opened, jordan):
    url, body = find(sign_in(admin), "jordan")
    assert "jordan" not in url.lower()
    assert parse_qs(urlsplit(url).query)["participant"] == [str(jordan.pk)]
    assert "Robin Okafor" in body and "opened the record" in body
    assert "Jordan Avery (sample)" in body and "Riley Brooks" not in body
    assert str(jordan.pk) not in body.split("<tbody>")[1]


def test_a_name_nobody_has_is_explained(admin, sign_in, opened):
    response = sign_in(admin).post(REPORT, {"participant_name": "Nobody Here"})
    assert response.status_code == 400
    assert "No participant in this organization has that name." in response.content.decode()


def test_another_organizations_participant_is_not_found_by_name(
    admin, outsider, other_org, sign_in
):
    make_participant(other_org, outsider, name="Quinn Elsewhere (sample)")
    response = sign_in(admin).post(REPORT, {"participant_name": "Quinn"})
    assert response.status_code == 400


def test_filter_by_staff_members_name(admin, sign_in, opened):
    body = sign_in(admin).get(REPORT, {"user": "robin okafor"}).content.decode()
    assert body.count("opened the record") == 2


def test_csv_keeps_the_ids_and_adds_names_and_words(admin, sign_in, opened, jordan):
    url, _body = find(sign_in(admin), "Jordan")
    query = urlsplit(url).query
    response = sign_in(admin).get(f"/staff/audit/export.csv?{query}")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["participant_name"] for r in rows} == {"Jordan Avery (sample)"}
    rows = [r for r in rows if r["action"] == "view"]
    assert [(r["participant_id"], r["participant_name"]) for r in rows] == [
        (str(jordan.pk), "Jordan Avery (sample)")
    ]
    assert rows[0]["user_name"] == "Robin Okafor"
    assert rows[0]["description"] == "opened the record"


def test_report_with_names_keeps_its_query_count(
    admin, member, org, sign_in, django_assert_max_num_queries
):
    people = [make_participant(org, admin, name=f"Person {i} (sample)") for i in range(5)]
    for i in range(60):
        person = people[i % 5]
        audit_record(
            action=Action.VIEW,
            actor=member,
            organization=org,
            obj=person,
            participant_id=str(person.pk),
        )
    client = sign_in(admin)
    with django_assert_max_num_queries(12):
        assert client.get(REPORT).status_code == 200


def test_signing_returning_and_cosigning_are_told_apart(org, member, supervisor, encounter):
    from alongside.care import services
    from alongside.core.audit_words import event_phrase
    from alongside.core.models import AuditEvent
    from alongside.core.tenancy import organization_scope

    with organization_scope(org):
        services.encounter_sign(encounter=encounter, actor=member)
        services.encounter_cosign(encounter=encounter, actor=supervisor)
    events = AuditEvent.objects.filter(object_id=str(encounter.pk), action="update")
    assert [event_phrase(e) for e in events] == [
        "signed an encounter note",
        "co-signed an encounter note",
    ]
