"""What every care route shares: the role check, the refusals, and running a service.

Routes are thin, like the pages: role check → scoped getter (404 outside what the token's
membership may see; GETs audited as views) → schema → service → response. A service's
``ValidationError`` on a field answers 400 naming it; one about the record's state (a signed
note, nobody enrolled) answers 409 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError

from alongside.care.access import can_see_care, participant_for_request_or_404
from alongside.core.api import DetailOut, ErrorsOut

if TYPE_CHECKING:
    from alongside.care.models import Participant
    from alongside.core.models import Membership
    from alongside.core.tenancy import StaffRequest

T = TypeVar("T")

# The ids the operations had when every care route lived in ``alongside.care.api.routes``.
OPERATION_ID_PREFIX = "alongside_care_api_routes_"


class CareRouter(Router):
    """A router whose operations keep their published ids wherever their module now lives.

    django-ninja derives an operation id from the view's module; clients generated from the
    OpenAPI description name their methods after it, so moving a route must not rename it.
    """

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func: Callable[..., Any],
        *,
        operation_id: str | None = None,
        **options: Any,
    ) -> None:
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or OPERATION_ID_PREFIX + view_func.__name__,
            **options,
        )


# A body that is not JSON at all answers {"detail": ...} (django-ninja), bad fields {"errors"}.
BAD = ErrorsOut | DetailOut
READ = {400: BAD, 401: DetailOut, 403: DetailOut, 404: DetailOut}
WRITE = {**READ, 409: DetailOut}

# Choice fields a client may clear with null; the model keeps "" for "not given".
BLANKABLE = {"gender", "veteran"}


def care_membership(request: StaffRequest) -> Membership:
    """The token's membership, if its roles open care records; 403 otherwise."""
    if not can_see_care(request.membership):
        raise HttpError(403, _("This token's roles do not open care records."))
    return request.membership


def care_participant(request: StaffRequest, participant_id: UUID) -> Participant:
    """The participant the path names, if the token may open care records and see them."""
    care_membership(request)
    return participant_for_request_or_404(request, participant_id)


def field_error(field: str, message: str) -> ParameterError:
    return ParameterError([{"loc": ("body", "payload", field), "msg": message}])


def run_service(service: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its validation errors answer 400 (a field) or 409 (the record's state)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ParameterError(
                [
                    {"loc": ("body", "payload", field), "msg": message}
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from exc
        raise HttpError(409, " ".join(exc.messages)) from exc


def payload_data(payload: Schema, *, partial: bool = False) -> dict[str, Any]:
    """The payload as a service's ``data``: only the fields sent when ``partial``."""
    data = payload.model_dump(exclude_unset=partial, exclude_none=not partial)
    return {k: "" if v is None and k in BLANKABLE else v for k, v in data.items()}
