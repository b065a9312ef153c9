import pytest
from django.test import Client


@pytest.mark.django_db
def test_anonymous_home_sets_no_cookie(client: Client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_csp_header_forbids_inline_and_third_party_scripts(client: Client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_every_page_links_to_crisis_page(client: Client):
    for path in ["/", "/crisis/", "/accounts/login/", "/no-such-page/"]:
        body = client.get(path).content.decode()
        assert 'class="crisis-link" href="/crisis/"' in body, path
        assert "Call or text 988" in body


@pytest.mark.django_db
def test_crisis_page_lists_configured_lines_with_tel_and_sms(client: Client):
    body = client.get("/crisis/").content.decode()
    assert 'href="tel:988"' in body and 'href="sms:988"' in body
    assert 'href="tel:8337106477"' in body and "NH Rapid Response" in body
    assert "Warm line or crisis line?" in body


@pytest.mark.django_db
def test_footer_says_not_medical_advice(client: Client):
    assert "not medical advice" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_load_nothing_from_third_parties(client: Client):
    body = client.get("/").content.decode()
    assert "https://" not in body.replace('href="https://988lifeline.org', "")
    assert "<script>" not in body  # no inline scripts


@pytest.mark.django_db
def test_demo_banner_only_in_demo_mode(client: Client, settings):
    assert "sample data" not in client.get("/").content.decode()
    settings.ALONGSIDE_DEMO = True
    assert "sample data" in client.get("/").content.decode()


def test_healthz_answers_without_database(client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ready_when_migrated(client: Client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()


@pytest.mark.django_db(transaction=True)
def test_readyz_503_when_migrations_missing(client: Client):
    from django.core.management import call_command

    call_command("migrate", "core", "0001", verbosity=0)
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "migrations" in response.json()["problems"][0]
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.django_db
def test_readyz_503_when_redis_unreachable(client: Client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["redis: ConnectionError"]


def test_request_id_is_echoed(client: Client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-test")
    assert response.headers["X-Request-ID"] == "abc12345-test"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id!").headers["X-Request-ID"]
    assert len(generated) == 32


@pytest.mark.django_db
def test_404_page_is_plain(client: Client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
