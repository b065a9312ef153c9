"""The JSON API of a person's own notifications: ``/api/v1/notifications``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ninja import Field, Query, Router, Schema

from alongside.core import notifications
from alongside.core.api import DetailOut
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: UUID
    kind: str = Field(description="A registered code, such as safety_concern.")
    kind_label: str
    title: str = Field(description="Plain words; never a participant's name.")
    link: str = Field(description="A path on this site, with opaque ids only.")
    created_at: datetime
    read_at: datetime | None
    email: str = Field(description="off, no_address, pending, sent or failed.")
    emailed_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return notifications.kind_label(obj.kind)


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only the unread ones.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/notifications",
    response={200: list[NotificationOut], 401: DetailOut},
    summary="The token's person's notifications in its organization, newest first",
)
def notification_list(request: StaffRequest, params: Query[NotificationQuery]) -> Any:
    rows = notifications.notifications_for(request.user, unread_only=params.unread)
    return list(rows[params.offset : params.offset + params.limit])


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, 401: DetailOut, 404: DetailOut},
    summary="Mark one of the token's person's notifications read",
)
def notification_read(request: StaffRequest, notification_id: UUID) -> Any:
    # Someone else's notification, or another organization's, answers 404.
    notification = get_for_org_or_404(
        notifications.notifications_for(request.user), request.organization, pk=notification_id
    )
    return notifications.notification_mark_read(notification=notification, actor=request.user)
