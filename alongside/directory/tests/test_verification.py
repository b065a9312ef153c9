from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.directory.models import Service, ServiceChange, Suggestion


@pytest.fixture
def editor(make_user, org, settings):
    """A directory editor of ``org``, which runs the directory here."""
    settings.ALONGSIDE_OPERATOR_ORG = org.slug
    return make_user("erin", org, [Role.DIRECTORY_EDITOR])


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def test_queue_lists_never_verified_first(sample, editor, sign_in):
    body = sign_in(editor).get("/staff/directory/").content.decode()
    never = Service.objects.filter(verified_on=None).exclude(status="defunct").first()
    oldest = Service.objects.exclude(verified_on=None).order_by("verified_on").first()
    assert body.index(never.name) < body.index(oldest.name)


def test_queue_is_for_directory_editors_only(sample, member, sign_in):
    assert sign_in(member).get("/staff/directory/").status_code == 403


def test_verifying_records_history_audit_and_shows_again_in_search(
    sample, editor, sign_in, django_capture_on_commit_callbacks
):
    stale = Service.objects.exclude(verified_on=None).order_by("verified_on").first()
    client = sign_in(editor)
    assert stale.name not in Client().get("/api/v1/search", {"per_page": 100}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/directory/{stale.id}/verify/", {"method": "phone"})
    stale.refresh_from_db()
    assert stale.verified_on == timezone.localdate() and stale.verified_by == "erin"
    assert ServiceChange.objects.get(service=stale).fields["verification_method"][1] == "phone"
    assert AuditEvent.objects.filter(object_id=str(stale.id), action="update").exists()
    assert stale.name in Client().get("/api/v1/search", {"per_page": 100}).content.decode()


def test_verification_date_cannot_be_in_the_future(sample, editor, sign_in):
    service = Service.objects.filter(status="active").first()
    before = service.verified_on
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    sign_in(editor).post(
        f"/staff/directory/{service.id}/verify/", {"method": "phone", "on": tomorrow}
    )
    service.refresh_from_db()
    assert service.verified_on == before


def _suggest(service, **data):
    return Client().post(f"/find/{service.id}/suggest/", data)


def test_public_suggestion_without_account_or_cookie(sample):
    service = Service.objects.get(name="Granite State Peer Warm Line")
    form = Client().get(f"/find/{service.id}/suggest/")
    assert form.status_code == 200 and form.cookies == {}
    response = _suggest(service, phone="603-555-0199", message="The number changed.")
    assert "Thank you" in response.content.decode()
    assert Suggestion.objects.get().proposed == {"phone": "603-555-0199"}


def test_empty_suggestion_says_what_to_do(sample):
    service = Service.objects.filter(status="active").first()
    response = _suggest(service)
    assert response.status_code == 400
    assert "Tell us what is wrong" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_wrong_field_is_described_by_its_error(sample):
    import re

    service = Service.objects.filter(status="active").first()
    page = _suggest(service, email="not an address", message="New e-mail").content.decode()
    field = re.search(r'<input [^>]*name="email"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field)[1].split()
    assert "id_email_error" in described
    box = re.search(r'<div class="field-errors" id="id_email_error"[^>]*>(.*?)</div>', page)
    assert "valid email" in box[1]


def test_honeypot_keeps_nothing(sample):
    service = Service.objects.filter(status="active").first()
    _suggest(service, message="Buy now", homepage="http://spam.example")
    assert not Suggestion.objects.exists()


def test_rate_limit_per_address(sample, settings):
    settings.DIRECTORY_SUGGESTIONS_PER_HOUR = 2
    service = Service.objects.filter(status="active").first()
    codes = [_suggest(service, message=f"note {i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert Suggestion.objects.count() == 2


def test_rate_limit_per_client_behind_a_proxy(sample, settings):
    settings.DIRECTORY_SUGGESTIONS_PER_HOUR = 1
    settings.ALONGSIDE_PROXY_COUNT = 1
    service = Service.objects.filter(status="active").first()

    def from_client(address):
        url = f"/find/{service.id}/suggest/"
        via_proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address}
        return Client().post(url, {"message": "note"}, **via_proxy).status_code

    # Everyone arrives from the proxy; each visitor still has a limit of their own.
    assert [from_client("203.0.113.9"), from_client("203.0.113.9")] == [200, 429]
    assert from_client("198.51.100.7") == 200


def test_review_applies_ticked_fields_and_keeps_history(sample, editor, sign_in):
    service = Service.objects.get(name="Granite State Peer Warm Line")
    _suggest(service, phone="603-555-0198", name="Granite State Warm Line")
    suggestion = Suggestion.objects.get()
    client = sign_in(editor)
    page = client.get(f"/staff/directory/suggestions/{suggestion.id}/").content.decode()
    assert "603-555-0198" in page and service.phones.get().number in page
    client.post(f"/staff/directory/suggestions/{suggestion.id}/", {"accept": ["phone"]})
    suggestion.refresh_from_db()
    service.refresh_from_db()
    assert suggestion.status == "accepted"
    assert service.phones.get().number == "603-555-0198"
    assert service.name == "Granite State Peer Warm Line"  # not ticked, not changed
    change = ServiceChange.objects.get(service=service, source="suggestion")
    assert change.fields == {"phone": [change.fields["phone"][0], "603-555-0198"]}
    history = client.get(f"/staff/directory/{service.id}/history/").content.decode()
    assert "603-555-0198" in history


def test_review_with_nothing_ticked_rejects(sample, editor, sign_in):
    service = Service.objects.filter(status="active").first()
    _suggest(service, name="Something else")
    suggestion = Suggestion.objects.get()
    sign_in(editor).post(f"/staff/directory/suggestions/{suggestion.id}/", {})
    suggestion.refresh_from_db()
    service.refresh_from_db()
    assert suggestion.status == "rejected" and service.name != "Something else"


def test_queue_query_count(sample, editor, sign_in, django_assert_max_num_queries):
    client = sign_in(editor)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/directory/").status_code == 200
