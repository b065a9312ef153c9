"""The billing clerk's pages: a run with its held lines and reasons, a constant number of
queries however long the run, the file, remittances and denials, and who may see them."""

import pytest
from django.urls import reverse

from alongside.billing.models import Batch
from alongside.billing.tests.conftest import MONTH, submitted_batch
from alongside.billing.tests.test_x12_835 import remittance_text
from alongside.billing.x12.validate import x12_errors
from alongside.core.tenancy import organization_scope

PATIENT = "NM1*QC*1*SAMPLE*RILEY****MI*DEMO-0001~\n"


def build_page(client, payer):
    return client.post(
        reverse("billing:batch_create"),
        {"payer": payer.code, "starts_on": MONTH[0].isoformat(), "ends_on": MONTH[1].isoformat()},
    )


def test_a_clerk_builds_a_run_and_sees_each_held_line_with_its_reasons(sign_in, world, clerk):
    person = world.person()
    world.encounter(person, minutes=60)
    world.encounter(person, minutes=30, start=(14, 0), sign=False)
    client = sign_in(clerk)
    response = build_page(client, world.payer)
    assert response.status_code == 302, response.content
    page = client.get(response["Location"]).content.decode()
    assert "note not signed" in page and "Download the 837P file" in page
    assert "Private words" not in page


def test_the_batch_page_reads_the_same_number_of_queries_for_5_and_50_claims(
    sign_in, world, clerk, django_assert_max_num_queries
):
    client = sign_in(clerk)
    for index in range(5):
        world.encounter(world.person(f"P{index} (sample)"), minutes=60)
    small = build_page(client, world.payer)["Location"]
    with django_assert_max_num_queries(20) as counted:
        assert client.get(small).status_code == 200
    few = len(counted.captured_queries)
    for index in range(5, 50):
        world.encounter(world.person(f"P{index} (sample)"), minutes=45, start=(13, 0))
    large = build_page(client, world.payer)["Location"]
    with organization_scope(world.org):
        claims = [
            Batch.objects.get(pk=url.rstrip("/").split("/")[-1]).claims.count()
            for url in (small, large)
        ]
    assert claims == [5, 50]
    with django_assert_max_num_queries(few) as counted:
        assert client.get(large).status_code == 200
    assert len(counted.captured_queries) == few


def test_the_file_downloads_when_it_validates(sign_in, world, clerk, identity):
    world.encounter(world.person(), minutes=60)
    client = sign_in(clerk)
    location = build_page(client, world.payer)["Location"]
    batch_id = location.rstrip("/").split("/")[-1]
    response = client.get(reverse("billing:batch_file", args=[batch_id]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert x12_errors(response.content.decode()) == []


def test_a_file_that_fails_shows_its_errors_and_is_not_offered(sign_in, world, clerk):
    world.encounter(world.person(), minutes=60)
    client = sign_in(clerk)
    location = build_page(client, world.payer)["Location"]
    batch_id = location.rstrip("/").split("/")[-1]
    response = client.get(reverse("billing:batch_file", args=[batch_id]), follow=True)
    page = response.content.decode()
    assert "did not pass validation" in page and "billing identity" in page
    assert "Download the 837P file" not in page
    with organization_scope(world.org):
        assert Batch.objects.get(pk=batch_id).file_text == ""


def test_a_denial_shows_in_the_queue_with_the_reasons_meaning(sign_in, world, clerk):
    _batch, claim = submitted_batch(world, clerk, 60)
    client = sign_in(clerk)
    text = remittance_text(
        f"CLP*{claim.claim_id}*4*60*0**MC*PCN-4~\nCAS*CO*16*60~\n" + PATIENT, payment="0"
    )
    upload = client.post(
        reverse("billing:remittances"),
        {"file": _file(text)},
    )
    assert upload.status_code == 302, upload.content
    page = client.get(reverse("billing:denials")).content.decode()
    assert claim.claim_id in page and "16" in page and "information" in page.lower()


def test_an_835_that_does_not_read_is_refused_with_its_segment(sign_in, world, clerk):
    client = sign_in(clerk)
    response = client.post(reverse("billing:remittances"), {"file": _file("ISA*nonsense~")})
    assert response.status_code == 400
    assert "Refused whole" in response.content.decode()


def _file(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("remit.835", text.encode(), content_type="text/plain")


@pytest.mark.parametrize("who", ["member", "member_without_role"])
def test_roles_other_than_billing_and_admin_are_refused(sign_in, request, who):
    user = request.getfixturevalue(who)
    assert sign_in(user).get(reverse("billing:home")).status_code == 403


def test_an_admin_may_use_billing(sign_in, admin, payer):
    assert sign_in(admin).get(reverse("billing:home")).status_code == 200


def test_outsider_gets_404_on_every_page_that_takes_an_id(sign_in, world, clerk, outsider_clerk):
    batch, claim = submitted_batch(world, clerk, 60)
    client = sign_in(clerk)
    text = remittance_text(f"CLP*{claim.claim_id}*1*60*60**MC*PCN-1~\n" + PATIENT, payment="60")
    remittance = client.post(reverse("billing:remittances"), {"file": _file(text)})["Location"]
    them = sign_in(outsider_clerk)
    for url in [
        reverse("billing:batch", args=[batch.pk]),
        reverse("billing:batch_file", args=[batch.pk]),
        reverse("billing:claim", args=[claim.claim_id]),
        remittance,
    ]:
        assert them.get(url).status_code == 404, url
    assert them.post(reverse("billing:claim", args=[claim.claim_id]), {}).status_code == 404


def test_the_note_panel_says_before_signing_whether_it_will_bill(sign_in, world):
    person = world.person(diagnosis="")
    draft = world.encounter(person, minutes=38, sign=False)
    page = sign_in(world.specialist).get(reverse("care:encounter", args=[person.pk, draft.pk]))
    text = page.content.decode()
    assert "Will this be billable?" in text and "no diagnosis on file" in text
    assert "note not signed" not in text


def test_the_note_panel_says_yes_with_the_units(sign_in, world):
    person = world.person()
    draft = world.encounter(person, minutes=38, sign=False)
    page = sign_in(world.specialist).get(reverse("care:encounter", args=[person.pk, draft.pk]))
    assert "Yes: 3 units to Demo Medicaid (fictional) once signed." in page.content.decode()
