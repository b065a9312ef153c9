"""Referrals: search the directory and choose a listing, or name any provider."""

import pytest
from django.urls import reverse

from alongside.care.models import Referral
from alongside.directory.models import Service

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


def _url(participant):
    return reverse("care:referral_create", args=[participant.pk])


def test_search_lists_directory_services_to_choose_from(sign_in, member, participant):
    service = Service.objects.select_related("organization").order_by("name").first()
    word = service.name.split()[0]
    response = sign_in(member).get(_url(participant), {"q": word})
    assert response.status_code == 200
    assert service.pk in [listing.service_id for listing in response.context["listings"]]
    assert f"?service={service.pk}".encode() in response.content


def test_an_unknown_place_is_said_not_crashed(sign_in, member, participant):
    response = sign_in(member).get(_url(participant), {"q": "peer", "near": "Nowhere-at-all, ZZ"})
    assert response.status_code == 200
    assert response.context["search_errors"]


def test_choose_a_listing_stores_its_id_and_the_page_links_to_it(sign_in, member, participant):
    service = Service.objects.select_related("organization").first()
    client = sign_in(member)
    page = client.get(_url(participant), {"service": str(service.pk)})
    assert service.name in page.context["chosen"]
    response = client.post(
        _url(participant),
        {"directory_service_id": str(service.pk), "provider_name": "", "status": "made"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(participant=participant)
    assert referral.directory_service_id == service.pk
    assert referral.provider_name.startswith(service.name)
    detail = client.get(reverse("care:participant", args=[participant.pk]))
    assert f'href="/find/{service.pk}/"'.encode() in detail.content


def test_a_named_provider_without_a_listing(sign_in, member, participant):
    client = sign_in(member)
    client.post(_url(participant), {"provider_name": "Dr. Rivera's group", "status": "suggested"})
    referral = Referral.objects.get(participant=participant)
    assert referral.directory_service_id is None
    detail = client.get(reverse("care:participant", args=[participant.pk]))
    assert b"Directory listing" not in detail.content


def test_neither_a_listing_nor_a_name_is_refused(sign_in, member, participant):
    response = sign_in(member).post(_url(participant), {"provider_name": "", "status": "made"})
    assert response.status_code == 400
    assert not Referral.objects.exists()
