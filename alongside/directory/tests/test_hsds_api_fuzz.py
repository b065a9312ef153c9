"""Property-based fuzzing of the HSDS API against its own OpenAPI document."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from alongside.wsgi import application

hsds = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # A WSGI request closes the database connection when it ends, and with it the test's
    # transaction on PostgreSQL; Django's own test client disconnects this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@hsds.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_hsds_api_conforms_to_its_description(case):
    # No 5xx, and every answer matches the documented schema and status codes.
    case.call_and_validate()
