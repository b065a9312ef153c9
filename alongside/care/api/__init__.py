"""The care records' JSON API under ``/api/v1/participants/…`` (see docs/care.md, *API*).

One module per concept, each with its schemas and routes; ``common`` holds what the routes
share and ``fields`` the values the schemas share.
"""

from ninja import Router

from alongside.care.api import (
    appointments,
    circumstances,
    consent,
    encounters,
    export,
    participants,
    plans,
    referrals,
)

router = Router(tags=["care"])
# In this order the OpenAPI description lists the paths as it always has.
for part in (
    participants,
    consent,
    plans,
    encounters,
    referrals,
    appointments,
    export,
    circumstances,
):
    router.add_router("", part.router)

__all__ = ["router"]
