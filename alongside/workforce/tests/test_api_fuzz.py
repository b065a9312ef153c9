"""Property-based fuzzing of the workforce API against its OpenAPI description: never a 5xx."""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from alongside.core.services import api_token_create
from alongside.wsgi import application

from .conftest import add_credential

workforce = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/staff"
)


@pytest.fixture
def reachable(member, org, member_profile, supervisor, crsw, in_org):
    credential = add_credential(member_profile, member, crsw, datetime.date(2025, 1, 1))
    token = api_token_create(user=member, organization=org)
    return {
        "headers": {"Authorization": f"Bearer {token}"},
        "ids": {"username": "bob", "id": credential.pk},
    }


@pytest.mark.usefixtures("wsgi_keeps_test_connection")
@workforce.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_workforce_api_conforms_to_its_description(case, reachable):
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = str(reachable["ids"][name])
    case.call_and_validate(
        headers=reachable["headers"],
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
