"""After sign-in each role lands where its work is (core/landing.py)."""

import pytest
from django.test import Client

from alongside.conftest import PASSWORD
from alongside.core.roles import Role


@pytest.mark.parametrize(
    ("roles", "page"),
    [
        ([Role.PEER_SPECIALIST], "/staff/care/"),
        ([Role.SUPERVISOR], "/staff/care/"),
        ([Role.ORG_ADMIN], "/staff/care/"),
        ([Role.DIRECTORY_EDITOR, Role.PEER_SPECIALIST], "/staff/care/"),
        ([Role.DIRECTORY_EDITOR], "/staff/directory/claims/"),
        ([Role.BILLING], "/staff/billing/"),
        ([Role.WARMLINE_RESPONDER], "/staff/warmline/"),
    ],
)
def test_each_role_lands_on_its_work(make_user, org, sign_in, roles, page):
    client = sign_in(make_user("pat", org, roles))
    response = client.get("/staff/start/")
    assert response.status_code == 302 and response.url == page
    assert client.get(page).status_code == 200


def test_directory_editor_of_the_operator_lands_on_the_verification_queue(
    make_user, org, sign_in, settings
):
    settings.ALONGSIDE_OPERATOR_ORG = org.slug
    client = sign_in(make_user("olive", org, [Role.DIRECTORY_EDITOR]))
    assert client.get("/staff/start/").url == "/staff/directory/"


def test_sign_in_leads_to_the_landing(make_user, org, settings):
    settings.ALONGSIDE_REQUIRE_2FA = False
    make_user("pat", org, [Role.PEER_SPECIALIST])
    response = Client().post(
        "/accounts/login/", {"username": "pat", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1] == ("/staff/care/", 302)


def test_warm_line_overview_no_longer_says_it_is_not_here_yet(make_user, org, sign_in):
    client = sign_in(make_user("wendy", org, [Role.WARMLINE_RESPONDER]))
    page = client.get("/staff/").content.decode()
    assert "The warm line is not part of Alongside yet" not in page


def test_overview_shows_the_name_and_roles_in_words(make_user, org, sign_in):
    user = make_user("pat", org, [Role.PEER_SPECIALIST, Role.SUPERVISOR])
    user.first_name, user.last_name = "Pat", "Lindqvist"
    user.save()
    page = sign_in(user).get("/staff/").content.decode()
    assert "Signed in as Pat Lindqvist" in page
    assert "Peer support specialist" in page and "peer_specialist" not in page


def test_signed_out_landing_asks_to_sign_in(db):
    response = Client().get("/staff/start/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_login_page_names_the_site_not_the_host(db, settings):
    settings.ALONGSIDE_SITE_NAME = "Alongside NH"
    page = Client().get("/accounts/login/").content.decode()
    assert '<a class="site-name" href="/">Alongside NH</a>' in page
    assert "testserver" not in page
