"""Property-based fuzzing of the HSDS API against its own OpenAPI document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from alongside.wsgi import application

hsds = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", application)


@pytest.mark.django_db
@pytest.mark.usefixtures("wsgi_keeps_test_connection")
@hsds.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_hsds_api_conforms_to_its_description(case):
    # No 5xx, and every answer matches the documented schema and status codes.
    case.call_and_validate()
