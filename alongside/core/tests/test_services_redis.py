import os

import pytest
from django.core.cache import cache

from alongside.conftest import require_service


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or os.environ.get("ALONGSIDE_TEST_REDIS_URL", "")


def test_cache_round_trips_through_configured_backend(settings):
    if os.environ.get("REDIS_URL"):
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("alongside-test", "value", 10)
    assert cache.get("alongside-test") == "value"


@pytest.mark.django_db
def test_readyz_checks_a_live_redis(client, settings):
    url = _redis_url()
    require_service(
        bool(url), "no Redis to test against (set REDIS_URL or ALONGSIDE_TEST_REDIS_URL)"
    )
    settings.REDIS_URL = url
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
