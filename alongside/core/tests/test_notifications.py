"""Notifications in core: who is told and how, the pages, the header's count and the API."""

import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.core import notifications
from alongside.core.models import Membership, Notification, NotificationPreference
from alongside.core.notifications import Kind, notify
from alongside.core.roles import Role
from alongside.core.services import api_token_create
from alongside.core.tenancy import SESSION_KEY, organization_scope

KIND = "core_test"


@pytest.fixture(autouse=True)
def test_kind():
    notifications.register_kind(
        Kind(
            code=KIND,
            label="Something to test",
            email_default=True,
            email_text="Something happened that concerns you.",
        )
    )
    yield
    notifications._kinds.pop(KIND)


def _tell(users, org, title="Something happened", link="/staff/", key=""):
    with organization_scope(org):
        return notify(users, KIND, title, link, organization=org, key=key)


def test_notify_writes_a_row_and_emails_after_commit(
    org, member, django_capture_on_commit_callbacks, settings
):
    settings.ALONGSIDE_SITE_URL = "https://alongside.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell([member], org)
    row.refresh_from_db()
    assert (row.recipient, row.email, row.read_at) == (member, "sent", None)
    assert row.emailed_at is not None
    [sent] = mail.outbox
    assert sent.to == [member.email]
    assert sent.subject == "Alongside: Something to test"
    assert "Something happened that concerns you." in sent.body
    # The e-mail links to the notification (an opaque id), not to the record.
    assert f"https://alongside.example.org/staff/notifications/{row.pk}/" in sent.body


def test_no_email_is_sent_before_the_transaction_commits(
    org, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [row] = _tell([member], org)
    assert (len(callbacks), mail.outbox, row.email) == (1, [], "pending")


def test_preference_off_means_no_email(org, member, django_capture_on_commit_callbacks):
    with organization_scope(org):
        notifications.notification_preferences_set(
            user=member, organization=org, email={KIND: False}, actor=member
        )
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell([member], org)
    assert (row.email, mail.outbox) == ("off", [])


def test_no_address_is_recorded(org, member, django_capture_on_commit_callbacks):
    member.email = ""
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _tell([member], org)
    assert (row.email, mail.outbox) == ("no_address", [])


def test_a_failed_email_is_recorded_as_failed(
    org, member, django_capture_on_commit_callbacks, caplog
):
    # A real backend that cannot connect: port 1 on this machine answers nobody.
    settings_override = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": 1,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 2,
    }
    with (
        override_settings(**settings_override),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [row] = _tell([member], org)
    row.refresh_from_db()
    assert (row.email, row.emailed_at) == ("failed", None)
    assert "Notification e-mail failed" in caplog.text and member.email not in caplog.text


def test_only_active_members_of_the_organization_are_told(org, member, admin, outsider):
    Membership.objects.filter(user=admin, organization=org).update(is_active=False)
    rows = _tell([member, admin, outsider], org)
    assert [r.recipient for r in rows] == [member]


def test_one_key_is_told_once(org, member, admin):
    assert len(_tell([member], org, key="consent-1")) == 1
    assert [r.recipient for r in _tell([member, admin], org, key="consent-1")] == [admin]
    assert _tell([member, admin], org, key="consent-1") == []


def test_a_link_must_be_a_path_on_this_site(org, member):
    for link in ["https://elsewhere.example/", "//elsewhere.example/x", "staff/"]:
        with pytest.raises(ValueError):
            _tell([member], org, link=link)


def test_notify_refuses_another_organizations_scope(org, other_org, member):
    from django_scopes.exceptions import ScopeError

    with organization_scope(other_org), pytest.raises(ScopeError):
        notify([member], KIND, "x", "/staff/", organization=org)


def test_an_unknown_kind_is_refused(org, member):
    with organization_scope(org), pytest.raises(ValueError):
        notify([member], "no_such_kind", "x", "/staff/", organization=org)


# --- Pages ---------------------------------------------------------------------------------


def test_the_header_counts_unread_with_one_query(sign_in, org, member):
    client = sign_in(member)
    url = reverse("core:staff_home")
    client.get(url)  # the session's first request loads more than later ones
    with CaptureQueriesContext(connection) as none_yet:
        response = client.get(url)
    assert "Notifications</a>" in response.content.decode()
    _tell([member], org)
    _tell([member], org)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url, follow=True)
    page = response.content.decode()
    assert '<span aria-hidden="true">&nbsp;(2)</span>' in page and "(2 unread)" in page
    counting = [q for q in two.captured_queries if "core_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT(" in counting[0]["sql"]
    assert len(two) == len(none_yet)


def test_the_list_is_newest_first_with_unread_marked(
    sign_in, org, member, django_assert_max_num_queries
):
    first = _tell([member], org, title="First thing")[0]
    _tell([member], org, title="Second thing")
    client = sign_in(member)
    client.get(reverse("core:notification_open", args=[first.pk]))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("core:notifications"))
    rows = [(n.title, n.is_unread) for n, _kind in response.context["rows"]]
    assert rows == [("Second thing", True), ("First thing", False)]
    assert response.content.decode().count(">New</strong>") == 1


def test_opening_marks_read_and_goes_to_the_link(sign_in, org, member):
    [row] = _tell([member], org, link="/staff/team/")
    response = sign_in(member).get(reverse("core:notification_open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/staff/team/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_read_and_mark_all_read(sign_in, org, member):
    one, two, three = (_tell([member], org)[0] for _ in range(3))
    client = sign_in(member)
    response = client.post(reverse("core:notification_read", args=[one.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Marked as read."]
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.read_at is not None and two.read_at is None
    response = client.post(reverse("core:notifications_read_all"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["All marked as read."]
    with organization_scope(org):
        assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0


def test_another_persons_or_organizations_notification_answers_404(
    sign_in, org, other_org, member, admin, outsider
):
    [admins] = _tell([admin], org)
    [outsiders] = _tell([outsider], other_org)
    client = sign_in(member)
    for row in (admins, outsiders):
        assert client.get(reverse("core:notification_open", args=[row.pk])).status_code == 404
        assert client.post(reverse("core:notification_read", args=[row.pk])).status_code == 404
    admins.refresh_from_db()
    assert admins.read_at is None


def test_the_list_shows_only_the_organization_worked_in(sign_in, org, other_org, member):
    Membership.objects.create(user=member, organization=other_org, roles=[Role.PEER_SPECIALIST])
    _tell([member], other_org, title="Over there")
    _tell([member], org, title="Here")
    client = sign_in(member)
    session = client.session
    session[SESSION_KEY] = str(org.pk)
    session.save()
    response = client.get(reverse("core:notifications"))
    assert [n.title for n, _kind in response.context["rows"]] == ["Here"]


def test_settings_save_a_choice_per_kind(sign_in, org, member):
    client = sign_in(member)
    url = reverse("core:notification_settings")
    page = client.get(url)
    assert page.context["form"].fields[KIND].initial is True
    response = client.post(url, {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Your e-mail choices are saved."]
    with organization_scope(org):
        assert NotificationPreference.objects.get(user=member, kind=KIND).email is False
        assert notifications.email_choices(member)[KIND] is False
    client.post(url, {KIND: "on"})
    with organization_scope(org):
        assert notifications.email_choices(member)[KIND] is True


def test_settings_offer_only_the_kinds_of_ones_roles(sign_in, member_without_role):
    form = sign_in(member_without_role).get(reverse("core:notification_settings")).context["form"]
    assert KIND in form.fields
    assert "safety_concern" not in form.fields  # for supervisors and admins


def test_the_pages_need_a_member(client):
    for name in ("core:notifications", "core:notification_settings"):
        assert client.get(reverse(name)).status_code == 302


# --- API -----------------------------------------------------------------------------------


class Api:
    def __init__(self, secret):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path):
        return self.client.post(
            f"/api/v1{path}", json.dumps({}), content_type="application/json", **self.headers
        )


def test_api_lists_ones_own_and_filters_unread(org, member, admin):
    read, unread = _tell([member], org, title="Read")[0], _tell([member], org, title="Unread")[0]
    _tell([admin], org, title="Not mine")
    api = Api(api_token_create(user=member, organization=org))
    assert api.post(f"/notifications/{read.pk}/read").status_code == 200
    everything = api.get("/notifications").json()
    assert [n["title"] for n in everything] == ["Unread", "Read"]
    assert everything[0]["kind_label"] == "Something to test"
    only_unread = api.get("/notifications", unread="true").json()
    assert [n["id"] for n in only_unread] == [str(unread.pk)]


def test_api_read_of_another_persons_or_organizations_answers_404(
    org, other_org, member, admin, outsider
):
    [admins] = _tell([admin], org)
    [outsiders] = _tell([outsider], other_org)
    api = Api(api_token_create(user=member, organization=org))
    assert api.post(f"/notifications/{admins.pk}/read").status_code == 404
    assert api.post(f"/notifications/{outsiders.pk}/read").status_code == 404
    assert api.get("/notifications").json() == []


def test_api_needs_a_token(client):
    assert client.get("/api/v1/notifications").status_code == 401


def test_the_openapi_document_describes_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/{notification_id}/read"]
