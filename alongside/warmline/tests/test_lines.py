"""The organization admin's line settings: list, create, edit; who may; another org's 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.warmline import services
from alongside.warmline.models import Line
from alongside.warmline.tests.conftest import make_line, make_listing

pytestmark = pytest.mark.django_db


def _form(listing_id, **changes):
    data = {
        "name": "Granite Evening Line (test)",
        "slug": "granite-evening",
        "listing_id": str(listing_id),
        "sms_number": "+16035550151",
        "is_active": "on",
    }
    return {**data, **changes}


def _lines(org):
    with organization_scope(org):
        return list(Line.objects.order_by("created_at"))


def test_admin_creates_a_line(sign_in, admin, org):
    listing = make_listing()
    client = sign_in(admin)
    assert client.get(reverse("warmline_staff:line_create")).status_code == 200
    response = client.post(
        reverse("warmline_staff:line_create"), _form(listing.pk, sms_number="+1 603-555-0151")
    )
    assert response.status_code == 302 and response.url == reverse("warmline_staff:lines")
    [line] = _lines(org)
    assert (line.name, line.slug, line.listing_id) == (
        "Granite Evening Line (test)",
        "granite-evening",
        listing.pk,
    )
    assert line.sms_number == "+16035550151" and line.is_active
    event = AuditEvent.objects.get(object_type="warmline.line", action="create")
    assert event.actor == admin and "sms_number" in event.changed_fields


def test_admin_edits_a_line(sign_in, admin, line):
    other_listing = make_listing()
    client = sign_in(admin)
    url = reverse("warmline_staff:line_edit", args=[line.pk])
    page = client.get(url).content.decode()
    assert 'value="+16035550142"' in page and f'value="{line.listing_id}" selected' in page
    data = _form(other_listing.pk, name="Granite Night Line (test)", slug=line.slug)
    data.pop("is_active")  # unchecked: the line stops taking chats and texts
    assert client.post(url, data).status_code == 302
    with organization_scope(line.organization):
        line.refresh_from_db()
    assert line.name == "Granite Night Line (test)" and line.listing_id == other_listing.pk
    assert line.sms_number == "+16035550151" and not line.is_active
    event = AuditEvent.objects.get(object_type="warmline.line", action="update")
    assert set(event.changed_fields) == {"name", "listing_id", "sms_number", "is_active"}


def test_the_list_shows_each_line_and_its_listing_in_a_few_queries(
    sign_in, admin, org, django_assert_max_num_queries
):
    for n in range(3):
        make_line(org, sms_number=f"+1603555017{n}", slug=f"line-{n}")
    client = sign_in(admin)
    client.get(reverse("warmline_staff:lines"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("warmline_staff:lines")).content.decode()
    assert page.count("Granite Warm Line (test) (Granite Warm Line (test))") == 3
    for line in _lines(org):
        assert reverse("warmline_staff:line_edit", args=[line.pk]) in page


@pytest.mark.parametrize("number", ["603-555-0151", "16035550151", "+1603555015x", "+0123"])
def test_a_text_number_not_in_international_form_is_refused(sign_in, admin, org, number):
    response = sign_in(admin).post(
        reverse("warmline_staff:line_create"), _form(make_listing().pk, sms_number=number)
    )
    assert response.status_code == 400
    assert "with a plus sign and the country code" in response.content.decode()
    assert _lines(org) == []


@pytest.mark.parametrize("slug", ["granite evening", "granite/evening", ""])
def test_an_invalid_short_name_is_refused(sign_in, admin, org, slug):
    response = sign_in(admin).post(
        reverse("warmline_staff:line_create"), _form(make_listing().pk, slug=slug)
    )
    assert response.status_code == 400
    assert 'id="id_slug_error"' in response.content.decode()
    assert _lines(org) == []


def test_a_short_name_another_line_has_is_refused_even_in_another_org(
    sign_in, admin, org, other_org
):
    elsewhere = make_line(other_org, sms_number="+16035550143")
    client = sign_in(admin)
    response = client.post(
        reverse("warmline_staff:line_create"), _form(make_listing().pk, slug=elsewhere.slug)
    )
    assert response.status_code == 400
    assert "Another line already has this short name" in response.content.decode()
    assert _lines(org) == []


def test_a_text_number_another_active_line_uses_is_refused(sign_in, admin, line):
    response = sign_in(admin).post(
        reverse("warmline_staff:line_create"), _form(make_listing().pk, sms_number=line.sms_number)
    )
    assert response.status_code == 400
    assert "Another active line already receives texts" in response.content.decode()


def test_a_listing_that_is_not_in_the_directory_is_refused(sign_in, admin, org):
    import uuid

    response = sign_in(admin).post(reverse("warmline_staff:line_create"), _form(uuid.uuid4()))
    assert response.status_code == 400
    assert "Choose a listing from the list" in response.content.decode()


def test_the_service_checks_the_number_without_a_form(admin, line):
    with organization_scope(line.organization), pytest.raises(ValidationError) as raised:
        services.line_update(line=line, actor=admin, sms_number="(603) 555-0151")
    assert list(raised.value.message_dict) == ["sms_number"]


@pytest.mark.parametrize(
    "roles", [[Role.WARMLINE_RESPONDER], [Role.SUPERVISOR], [Role.PEER_SPECIALIST]]
)
def test_only_the_organization_admin_may(sign_in, make_user, org, line, roles):
    client = sign_in(make_user("pat", org, roles))
    assert client.get(reverse("warmline_staff:lines")).status_code == 403
    assert client.get(reverse("warmline_staff:line_create")).status_code == 403
    edit = reverse("warmline_staff:line_edit", args=[line.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form(line.listing_id, name="Taken over")).status_code == 403
    with organization_scope(org):
        line.refresh_from_db()
    assert line.name == "Granite Warm Line (test)"


def test_the_warm_line_nav_links_the_lines_for_an_admin(sign_in, admin):
    page = sign_in(admin).get(reverse("warmline_staff:supervisor")).content.decode()
    assert f'href="{reverse("warmline_staff:lines")}"' in page


def test_another_organizations_line_answers_404(sign_in, outsider, line):
    client = sign_in(outsider)
    edit = reverse("warmline_staff:line_edit", args=[line.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _form(line.listing_id, name="Taken over")).status_code == 404
    assert line.name not in client.get(reverse("warmline_staff:lines")).content.decode()
