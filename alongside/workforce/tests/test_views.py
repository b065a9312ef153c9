"""Workforce pages: own status, the team table, forms, certificates, the report, 404s."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.core.models import AuditEvent
from alongside.core.tenancy import organization_scope
from alongside.workforce import services
from alongside.workforce.models import Training

from .conftest import TODAY, add_credential, add_training, profile_of

PDF = b"%PDF-1.4\nA certificate of completion\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def bob_training(member, member_profile):
    with organization_scope(member_profile.organization):
        return services.training_add(
            profile=member_profile,
            actor=member,
            data={"date": TODAY, "hours": 3, "topic": "ethics", "title": "Ethics refresher"},
            certificate=SimpleUploadedFile("cert.pdf", PDF),
        )


def test_own_page_shows_status_and_what_is_missing(sign_in, member, member_profile, crsw):
    today = datetime.date.today()
    add_credential(
        member_profile,
        member,
        crsw,
        today - datetime.timedelta(days=700),
        today + datetime.timedelta(days=30),
    )
    response = sign_in(member).get("/staff/workforce/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Expiring soon" in page
    assert "ethics 0 of 6 hours" in page


def test_the_caseload_dashboard_shows_my_credentials(sign_in, member, member_profile, crsw):
    add_credential(
        member_profile, member, crsw, datetime.date.today() - datetime.timedelta(days=10)
    )
    page = sign_in(member).get("/staff/care/").content.decode()
    assert "My credentials" in page
    assert crsw.name in page


def test_add_a_training_with_a_certificate_and_download_it(
    sign_in, member, member_profile, org, media
):
    client = sign_in(member)
    response = client.post(
        "/staff/workforce/people/bob/trainings/add/",
        {
            "date": "2026-01-05",
            "hours": "2.5",
            "topic": "Ethics",
            "title": "Boundaries",
            "certificate": SimpleUploadedFile("my cert.pdf", PDF),
        },
    )
    assert response.status_code == 302
    with organization_scope(org):
        training = Training.objects.get()
    assert training.topic == "ethics"
    download = client.get(f"/staff/workforce/people/bob/trainings/{training.pk}/certificate/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"].split(", ")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="export", object_id=str(training.pk)).exists()


def test_a_web_page_renamed_pdf_is_refused_and_nothing_saved(
    sign_in, member, member_profile, org, media
):
    response = sign_in(member).post(
        "/staff/workforce/people/bob/trainings/add/",
        {
            "date": "2026-01-05",
            "hours": "2",
            "topic": "ethics",
            "title": "Boundaries",
            "certificate": SimpleUploadedFile("cert.pdf", b"<html>hi</html>"),
        },
    )
    assert response.status_code == 400
    assert "PDF, PNG or JPEG" in response.content.decode()
    with organization_scope(org):
        assert not Training.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_too_many_hours_are_refused_on_the_field(sign_in, member, org):
    response = sign_in(member).post(
        "/staff/workforce/people/bob/trainings/add/",
        {"date": "2026-01-05", "hours": "30", "topic": "ethics", "title": "Marathon"},
    )
    assert response.status_code == 400
    assert "at most 24" in response.content.decode()


def test_log_supervision_through_the_form(sign_in, member, supervisor, org, member_profile):
    response = sign_in(member).post(
        "/staff/workforce/people/bob/supervision/add/",
        {
            "supervisor": supervisor.memberships.get().pk,
            "date": "2026-02-01",
            "minutes": "60",
            "format": "individual",
            "topics": "ethics, self care",
        },
    )
    assert response.status_code == 302
    with organization_scope(org):
        session = member_profile.supervision_received.get()
    assert session.topics == ["ethics", "self_care"]


def test_team_table_is_for_supervisors_and_sorted_by_soonest_problem(
    sign_in, admin, member, peer, org, crsw, django_assert_max_num_queries
):
    today = datetime.date.today()
    add_credential(
        profile_of(member, org),
        member,
        crsw,
        today - datetime.timedelta(days=400),
        today + datetime.timedelta(days=300),
    )
    add_credential(
        profile_of(peer, org),
        peer,
        crsw,
        today - datetime.timedelta(days=800),
        today - datetime.timedelta(days=5),
    )
    assert sign_in(peer).get("/staff/workforce/team/").status_code == 403
    client = sign_in(admin)
    with django_assert_max_num_queries(20):
        response = client.get("/staff/workforce/team/")
    page = response.content.decode()
    assert page.index("Lapsed") < page.index("Active")
    assert page.index(">pat<") < page.index(">bob<")


def test_supervision_report(
    sign_in, supervisor, member, member_profile, supervisor_profile, agreement, org
):
    with organization_scope(org):
        services.supervision_add(
            supervisee=member_profile,
            actor=supervisor,
            data={
                "supervisor": supervisor_profile,
                "date": datetime.date(2026, 2, 3),
                "minutes": 90,
                "format": "group",
                "topics": ["ethics"],
            },
        )
    response = sign_in(supervisor).get(
        "/staff/workforce/people/bob/supervision-report/?start=2026-01-01&end=2026-03-01"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1.5 hours in all; 1.5 hours under an approved supervisory agreement" in page
    assert "Group: 1.5" in page
    assert "workforce/workforce.css" in page


def test_report_with_dates_the_wrong_way_round_says_so(sign_in, member):
    response = sign_in(member).get(
        "/staff/workforce/people/bob/supervision-report/?start=2026-03-01&end=2026-01-01"
    )
    assert response.status_code == 400
    assert "end date is before" in response.content.decode()


PAGES = [
    "/staff/workforce/people/{u}/",
    "/staff/workforce/people/{u}/credentials/add/",
    "/staff/workforce/people/{u}/trainings/add/",
    "/staff/workforce/people/{u}/trainings/{t}/certificate/",
    "/staff/workforce/people/{u}/work/add/",
    "/staff/workforce/people/{u}/goals/add/",
    "/staff/workforce/people/{u}/supervision/add/",
    "/staff/workforce/people/{u}/agreements/add/",
    "/staff/workforce/people/{u}/npi/",
    "/staff/workforce/people/{u}/supervision-report/",
]


def test_outsider_gets_404_on_every_page_that_takes_an_id(sign_in, outsider, bob_training):
    client = sign_in(outsider)
    for page in PAGES:
        assert client.get(page.format(u="bob", t=bob_training.pk)).status_code == 404, page


def test_a_colleague_gets_404_on_every_page(sign_in, peer, bob_training):
    client = sign_in(peer)
    for page in PAGES:
        assert client.get(page.format(u="bob", t=bob_training.pk)).status_code == 404, page


def test_a_supervisor_and_an_admin_open_every_page(
    sign_in, supervisor, admin, agreement, bob_training
):
    for user in (supervisor, admin):
        client = sign_in(user)
        for page in PAGES:
            assert client.get(page.format(u="bob", t=bob_training.pk)).status_code == 200, page


def test_a_training_of_another_person_under_ones_own_name_answers_404(sign_in, admin, bob_training):
    response = sign_in(admin).get(
        f"/staff/workforce/people/alice/trainings/{bob_training.pk}/certificate/"
    )
    assert response.status_code == 404


# --- Public career guide ------------------------------------------------------------------


def test_careers_index_lists_states_from_the_files(client, types):
    page = client.get("/careers/").content.decode()
    assert "New Hampshire" in page
    assert "South Carolina" in page
    assert "/careers/nh/" in page


def test_a_state_page_says_what_it_takes_and_where_the_rules_come_from(client, types):
    response = client.get("/careers/nh/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "46 hours of training" in page
    assert "500 hours of work experience, 25 of them supervised" in page
    assert "Alc 303.01, 303.02" in page
    assert "counts in New Hampshire only" in page
    assert "/careers/us/" in page


def test_an_unknown_state_answers_404(client, types):
    assert client.get("/careers/zz/").status_code == 404


def test_the_library_links_to_the_career_guide(client, db):
    assert "/careers/" in client.get("/library/").content.decode()


def test_person_page_costs_a_fixed_number_of_queries(
    sign_in, member, member_profile, crsw, django_assert_max_num_queries
):
    for number in range(3):
        add_credential(
            member_profile, member, crsw, datetime.date(2024, 1, 1 + number), number=f"T-{number}"
        )
        add_training(member_profile, member, datetime.date(2025, 1, 1 + number), 2)
    client = sign_in(member)
    with django_assert_max_num_queries(30):
        response = client.get("/staff/workforce/")
    assert "Status history" in response.content.decode()


def test_an_npi_with_a_wrong_check_digit_is_refused(sign_in, member, member_profile, org):
    client = sign_in(member)
    response = client.post("/staff/workforce/people/bob/npi/", {"npi": "1234567890"})
    assert response.status_code == 400
    assert "last digit" in response.content.decode()
    assert client.post("/staff/workforce/people/bob/npi/", {"npi": "1234567893"}).status_code == 302
    member_profile.refresh_from_db()
    assert member_profile.npi == "1234567893"


def test_a_refused_form_leaves_no_profile_behind(sign_in, peer, org):
    from alongside.workforce.models import StaffProfile

    response = sign_in(peer).post(
        "/staff/workforce/people/pat/trainings/add/",
        {"date": "2026-01-05", "hours": "-1", "topic": "ethics", "title": "X"},
    )
    assert response.status_code == 400
    with organization_scope(org):
        assert not StaffProfile.objects.exists()


def test_the_approval_of_a_pending_agreement_is_recorded_later(
    sign_in, member, supervisor, member_profile, supervisor_profile, org
):
    with organization_scope(org):
        agreement = services.agreement_add(
            supervisee=member_profile, actor=member, data={"supervisor": supervisor_profile}
        )
    url = f"/staff/workforce/people/bob/agreements/{agreement.pk}/approve/"
    assert sign_in(member).get(url).status_code == 200
    client = sign_in(supervisor)
    assert "Record the approval" in client.get("/staff/workforce/people/bob/").content.decode()
    response = client.post(url, {"approved_on": "2026-02-01", "approved_by": "NH Board (test)"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.approved_on == datetime.date(2026, 2, 1)


def test_outsider_gets_404_approving_an_agreement(sign_in, outsider, agreement):
    url = f"/staff/workforce/people/bob/agreements/{agreement.pk}/approve/"
    assert sign_in(outsider).get(url).status_code == 404
