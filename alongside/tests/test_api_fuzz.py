"""Property-based fuzzing of the public JSON APIs against their own OpenAPI documents."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from alongside.wsgi import application

# The search as the public document describes it (``alongside.openapi``); the HSDS API has
# its own test, and the token-protected endpoints theirs.
public_v1 = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    path_regex="^/api/v1/search$"
)


@pytest.mark.django_db
@pytest.mark.usefixtures("wsgi_keeps_test_connection")
@public_v1.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_search_api_conforms_to_its_description(case):
    # No 5xx, and responses match the documented schemas and status codes. A well-formed
    # place the gazetteer does not know ("near=abc") is a documented 400, so requests that
    # fit the schema may still be refused: that one check does not apply here.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
