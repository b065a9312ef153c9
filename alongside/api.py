"""The JSON API at ``/api/v1/``: one router per app, described at ``/api/v1/openapi.json``."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import ValidationError

from alongside.billing.api import router as billing_router
from alongside.care.api import router as care_router
from alongside.core.api import TokenAuth
from alongside.core.api import router as core_router
from alongside.core.notifications_api import router as notifications_router
from alongside.directory.api import router as directory_router
from alongside.groups.api import router as groups_router
from alongside.lib.api_errors import bad_parameters
from alongside.outcomes.api import router as outcomes_router
from alongside.reports.api import router as reports_router
from alongside.workforce.api import router as workforce_router

api = NinjaAPI(
    title="Alongside API",
    version="1",
    description="Peer support directory, care records and operations.",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("", directory_router)
api.add_router("", care_router)
api.add_router("", notifications_router)
api.add_router("", workforce_router)
api.add_router("", groups_router)
api.add_router("", billing_router)
api.add_router("", outcomes_router)
api.add_router("", reports_router)
api.exception_handler(ValidationError)(bad_parameters)
