"""The Team pages: invite, roles, deactivate and reactivate, two-factor reset, last admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.conftest import PASSWORD
from alongside.core.models import AuditEvent, Membership
from alongside.core.roles import Role
from alongside.core.services import api_token_create
from alongside.core.services_team import member_deactivate, member_roles_change

NEW_PASSWORD = "lantern harbor evening 77"


def membership(user, organization):
    return Membership.objects.get(user=user, organization=organization)


def signed_in_client(username, password):
    """Sign in through the sign-in page, as a person does (two-factor switched off)."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


@pytest.fixture
def bob_member(member, org):
    return membership(member, org)


def test_team_lists_names_and_roles_in_words(admin, member, sign_in, django_assert_max_num_queries):
    member.first_name, member.last_name = "Robin", "Okafor"
    member.save()
    client = sign_in(admin)
    with django_assert_max_num_queries(12):
        body = client.get("/staff/team/").content.decode()
    assert "Robin Okafor" in body
    assert "Peer support specialist" in body and "peer_specialist" not in body


def test_team_list_query_count_does_not_grow_with_members(
    admin, make_user, org, sign_in, django_assert_max_num_queries
):
    client = sign_in(admin)
    for i in range(20):
        make_user(f"member{i}", org, [Role.PEER_SPECIALIST])
    with django_assert_max_num_queries(12):
        assert client.get("/staff/team/").status_code == 200


@pytest.fixture
def invite(admin, sign_in, django_capture_on_commit_callbacks):
    """Post the invitation form as the admin, sending the e-mail as a commit would."""
    client = sign_in(admin)

    def post(email, roles=(), first_name="Sam", last_name="Rivera"):
        data = {"first_name": first_name, "last_name": last_name, "email": email, "roles": roles}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/staff/team/invite/", data)

    return post


def test_invite_sends_a_link_that_sets_the_password(invite, org, mailoutbox, settings):
    settings.ALONGSIDE_REQUIRE_2FA = False
    response = invite("sam.rivera@example.org", [Role.PEER_SPECIALIST])
    assert response.status_code == 302
    sam = get_user_model().objects.get(email="sam.rivera@example.org")
    assert not sam.has_usable_password()
    assert membership(sam, org).roles == [Role.PEER_SPECIALIST]
    assert AuditEvent.objects.filter(action="create", object_type="core.membership").exists()

    (mail,) = mailoutbox
    assert mail.to == ["sam.rivera@example.org"] and org.name in mail.subject
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert (
        signed_in_client("sam.rivera@example.org", NEW_PASSWORD).get("/staff/").status_code == 200
    )


def test_inviting_someone_already_on_the_team_is_explained(invite, member):
    response = invite(member.email, [Role.SUPERVISOR])
    assert response.status_code == 400
    assert "already on the team" in response.content.decode()


def test_inviting_someone_deactivated_points_to_reactivation(invite, admin, member, org):
    member_deactivate(membership=membership(member, org), actor=admin)
    response = invite(member.email, [Role.SUPERVISOR])
    assert response.status_code == 400
    assert "reactivate them" in response.content.decode()


def test_inviting_a_member_of_another_organization_keeps_their_account(
    invite, outsider, org, other_org, mailoutbox
):
    invite(outsider.email, [Role.SUPERVISOR])
    assert membership(outsider, org).roles == ["supervisor"]
    assert membership(outsider, other_org).is_active
    assert "/accounts/login/" in mailoutbox[0].body


def test_admin_changes_roles(admin, bob_member, sign_in):
    response = sign_in(admin).post(
        f"/staff/team/{bob_member.pk}/", {"roles": [Role.SUPERVISOR, Role.PEER_SPECIALIST]}
    )
    assert response.status_code == 302
    bob_member.refresh_from_db()
    assert bob_member.roles == [Role.PEER_SPECIALIST, Role.SUPERVISOR]
    assert AuditEvent.objects.filter(action="permission_change", changed_fields=["roles"]).exists()


def test_deactivated_member_cannot_work_in_the_organization_or_use_a_token(
    admin, member, bob_member, org, sign_in, settings
):
    settings.ALONGSIDE_REQUIRE_2FA = False
    secret = api_token_create(user=member, organization=org)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    sign_in(admin).post(f"/staff/team/{bob_member.pk}/deactivate/")
    bob_member.refresh_from_db()
    assert not bob_member.is_active

    assert Client().get("/api/v1/me", **bearer).status_code == 401
    refused = Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Your access has been turned off" in refused.content.decode()

    sign_in(admin).post(f"/staff/team/{bob_member.pk}/reactivate/")
    assert Client().get("/api/v1/me", **bearer).status_code == 200
    assert signed_in_client("bob", PASSWORD).get("/staff/care/").status_code == 200


def test_deactivation_ends_a_session_already_open(admin, member, bob_member, sign_in):
    bob = sign_in(member)
    assert bob.get("/staff/care/").status_code == 200
    sign_in(admin).post(f"/staff/team/{bob_member.pk}/deactivate/")
    assert bob.get("/staff/care/").url == "/accounts/no-organization/"


def test_someone_with_another_active_organization_still_signs_in(admin, outsider, org, settings):
    settings.ALONGSIDE_REQUIRE_2FA = False
    mine = Membership.objects.create(user=outsider, organization=org, roles=["peer_specialist"])
    member_deactivate(membership=mine, actor=admin)
    assert signed_in_client("dave", PASSWORD).get("/staff/").status_code == 200


def test_deactivation_leaves_the_other_organization_alone(admin, outsider, org, other_org, sign_in):
    mine = Membership.objects.create(user=outsider, organization=org, roles=["peer_specialist"])
    sign_in(admin).post(f"/staff/team/{mine.pk}/deactivate/")
    dave = sign_in(outsider)
    assert dave.get("/api/v1/me").status_code in {401, 403}  # no token: the API wants one
    assert dave.get("/staff/").status_code == 200
    assert dave.post("/staff/organization/", {"organization": str(org.pk)}).status_code == 404


def test_reset_two_factor_removes_the_authenticator(admin, member, bob_member, sign_in):
    bob = sign_in(member)  # gives Bob a confirmed device
    response = sign_in(admin).post(f"/staff/team/{bob_member.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert AuditEvent.objects.filter(changed_fields=["two_factor"]).exists()
    assert bob.get("/staff/care/").url.startswith("/accounts/two-factor/")


def test_last_admin_cannot_lose_the_role_or_be_deactivated(admin, org):
    mine = membership(admin, org)
    with pytest.raises(ValidationError):
        member_roles_change(membership=mine, actor=admin, roles=[Role.SUPERVISOR])
    with pytest.raises(ValidationError):
        member_deactivate(membership=mine, actor=None)
    mine.refresh_from_db()
    assert mine.is_active and Role.ORG_ADMIN in mine.roles


def test_admin_cannot_demote_themself_through_the_page(admin, org, sign_in):
    mine = membership(admin, org)
    response = sign_in(admin).post(f"/staff/team/{mine.pk}/", {"roles": [Role.SUPERVISOR]})
    assert response.status_code == 400
    assert "needs an admin" in response.content.decode()


def test_with_a_second_admin_the_first_may_step_down(admin, member, bob_member, org):
    member_roles_change(membership=bob_member, actor=admin, roles=[Role.ORG_ADMIN])
    mine = member_roles_change(membership=membership(admin, org), actor=admin, roles=["billing"])
    assert mine.roles == ["billing"]


def test_admin_cannot_deactivate_themself(admin, make_user, org, sign_in):
    make_user("erin", org, [Role.ORG_ADMIN])
    mine = membership(admin, org)
    sign_in(admin).post(f"/staff/team/{mine.pk}/deactivate/")
    mine.refresh_from_db()
    assert mine.is_active


def test_member_without_admin_role_is_refused(member, sign_in):
    assert sign_in(member).get("/staff/team/").status_code == 403


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", ""),
        ("post", "deactivate/"),
        ("post", "reactivate/"),
        ("post", "two-factor/reset/"),
        ("post", "invitation/"),
    ],
)
def test_outsider_gets_404_on_every_team_page_that_takes_an_id(
    outsider, bob_member, sign_in, method, suffix
):
    client = sign_in(outsider)
    response = getattr(client, method)(f"/staff/team/{bob_member.pk}/{suffix}")
    assert response.status_code == 404
    bob_member.refresh_from_db()
    assert bob_member.is_active
