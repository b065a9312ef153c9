"""A person's notifications: the list, opening one, marking them read, and e-mail choices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.core import notifications
from alongside.core.forms import act_and_tell, form_view
from alongside.core.models import Notification
from alongside.core.tenancy import StaffRequest, get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

PER_PAGE = 50


def _own_or_404(request: StaffRequest, pk: Any) -> Notification:
    # Another person's notification answers 404, as another organization's does.
    return get_for_org_or_404(
        notifications.notifications_for(request.user), request.organization, pk=pk
    )


@require_http_methods(["GET", "HEAD"])
@staff_required()
def notification_list(request: StaffRequest) -> HttpResponse:
    rows = notifications.notifications_for(request.user)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications/list.html",
        {
            "page": page,
            "rows": [(n, notifications.kind_label(n.kind)) for n in page.object_list],
        },
    )


@require_http_methods(["GET", "HEAD"])
@staff_required()
def notification_open(request: StaffRequest, pk: Any) -> HttpResponse:
    """Mark it read and go where it points: the link in the list and in the e-mail."""
    notification = _own_or_404(request, pk)
    notifications.notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.link)


@require_POST
@staff_required()
def notification_read(request: StaffRequest, pk: Any) -> HttpResponse:
    notification = _own_or_404(request, pk)
    act_and_tell(
        request,
        lambda: notifications.notification_mark_read(notification=notification, actor=request.user),
        _("Marked as read."),
    )
    return redirect("core:notifications")


@require_POST
@staff_required()
def notifications_read_all(request: StaffRequest) -> HttpResponse:
    act_and_tell(
        request,
        lambda: notifications.notifications_mark_all_read(
            actor=request.user, organization=request.organization
        ),
        _("All marked as read."),
    )
    return redirect("core:notifications")


class EmailChoicesForm(forms.Form):
    """A checkbox per kind of notification the member may receive: e-mail me, or not."""

    def __init__(
        self,
        *args: Any,
        kinds: list[notifications.Kind],
        initial_email: dict[str, bool],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label, required=False, initial=initial_email[kind.code]
            )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required()
def notification_settings(request: StaffRequest) -> HttpResponse:
    kinds = notifications.kinds_for(request.membership)
    current = notifications.email_choices(request.user)
    form = EmailChoicesForm(
        request.POST if request.method == "POST" else None, kinds=kinds, initial_email=current
    )
    return form_view(
        request,
        form,
        save=lambda data: notifications.notification_preferences_set(
            user=request.user, organization=request.organization, email=data, actor=request.user
        ),
        done=lambda _changed: redirect("core:notification_settings"),
        success=_("Your e-mail choices are saved."),
        template="core/notifications/settings.html",
        context={"has_address": bool(request.user.email)},
    )
