"""With DEBUG on, the demo still shows the designed error pages (core/error_pages.py)."""

import pytest
from django.test import Client, RequestFactory

from alongside.core.error_pages import DesignedErrorPagesMiddleware

MIDDLEWARE = "alongside.core.error_pages.DesignedErrorPagesMiddleware"


@pytest.fixture
def demo_debug(settings):
    settings.DEBUG = True
    common = settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:common], MIDDLEWARE, *settings.MIDDLEWARE[common:]]


def test_a_missing_page_shows_the_designed_404(db, demo_debug):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_view_that_raises_404_shows_the_designed_page(db, demo_debug):
    response = Client().get("/find/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_missing_slash_is_still_redirected(db, demo_debug):
    assert Client().get("/crisis").status_code == 301


def test_a_crash_shows_the_designed_500_and_is_logged(db, caplog):
    request = RequestFactory().get("/somewhere/")
    request.user = None
    middleware = DesignedErrorPagesMiddleware(lambda r: None)
    response = middleware.process_exception(request, ValueError("boom"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Internal Server Error: /somewhere/" in caplog.text
