"""Sign-in steps beyond Django's own views: the page itself, the second factor, where a member
lands afterwards, and the no-organization page."""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core import services_account
from alongside.core.audit import Action, audit_record
from alongside.core.client import client_ip, over_hourly_limit
from alongside.core.forms import TokenForm
from alongside.core.landing import landing_url
from alongside.core.tenancy import StaffRequest, staff_required

if TYPE_CHECKING:
    from django.http import HttpRequest


class SignInView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Django names the site after the host when the sites framework is off; ours has a name.
        context["site_name"] = settings.ALONGSIDE_SITE_NAME
        return context


RESET = "core.password_reset"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, sending at most a few e-mails an hour to one address and from one
    client: enough for a person who mistyped, too few to flood someone's inbox."""

    def form_valid(self, form: Any) -> HttpResponse:
        request = self.request
        client = client_ip(request) or ""
        if over_hourly_limit("reset-client", client, settings.ALONGSIDE_PASSWORD_RESETS_PER_CLIENT):
            _audit_reset_request(request, form, limited=True)
            return render(request, "core/password_reset_limited.html", status=429)
        address = form.cleaned_data["email"].strip().lower()
        if over_hourly_limit(
            "reset-address", address, settings.ALONGSIDE_PASSWORD_RESETS_PER_ADDRESS
        ):
            _audit_reset_request(request, form, limited=True)
            # The same answer as a sent e-mail, so the page does not tell who has an account.
            return redirect(self.get_success_url())
        _audit_reset_request(request, form, limited=False)
        return super().form_valid(form)


def _audit_reset_request(request: HttpRequest, form: Any, *, limited: bool) -> None:
    """One event per account the address reaches (none reached: one event naming nobody).

    The address typed is never recorded: it may be someone's who has no account here.
    """
    users = list(form.get_users(form.cleaned_data["email"]))
    fields = ["rate_limited"] if limited else []
    for user in users or [None]:
        audit_record(
            action=Action.CREATE,
            request=request,
            object_type=RESET,
            # Whoever asked is unknown; the account the link was for is the record.
            object_id=str(user.pk) if user is not None else "",
            changed_fields=fields,
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page behind the reset link, which audits the new password being set."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        audit_record(
            action=Action.UPDATE,
            request=self.request,
            actor=user,
            object_type=RESET,
            object_id=str(user.pk),
            changed_fields=["password"],
        )
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:staff_landing")


ENROLMENT_KEY = "alongside_enrolment"


def two_factor_enrol(request: HttpRequest, secret: str) -> HttpResponse:
    """A one-time set-up link: remember it in the session, then set up after signing in.

    The secret leaves the address bar at once (as Django's password-reset link does), so it
    is not sent on in a Referer header or kept in the browser's history.
    """
    enrolment = services_account.two_factor_enrolment_find(secret)
    if enrolment is None:
        return render(request, "core/two_factor_link_invalid.html", status=404)
    if request.user.is_authenticated and request.user.pk != enrolment.user_id:
        return render(request, "core/two_factor_link_invalid.html", status=404)
    request.session[ENROLMENT_KEY] = enrolment.pk
    return redirect("core:two_factor")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; set up an authenticator first when the user has none, which needs
    a one-time set-up link (``two_factor_enrol``)."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    enrolling = not user_has_device(user, confirmed=True)
    enrolment = None
    if enrolling:
        enrolment = services_account.two_factor_enrolment_usable(
            request.session.get(ENROLMENT_KEY), user
        )
        if enrolment is None:
            return render(request, "core/two_factor_needs_link.html", status=403)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
        devices = [device]
    else:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        match = next((d for d in devices if d.verify_token(token)), None)
        if match is not None:
            with transaction.atomic():
                if enrolment is not None:
                    services_account.two_factor_enrolment_use(enrolment)
                    match.confirmed = True
                    match.save(update_fields=["confirmed"])
                    audit_record(
                        action=Action.CREATE, request=request, obj=match, changed_fields=["totp"]
                    )
                    services_account.two_factor_changed(user=user, added=True)
                otp_login(request, match)
            request.session.pop(ENROLMENT_KEY, None)
            return redirect(_next_url(request))
        form.add_error(
            "token", _("That code did not match. Check the time on your phone and try again.")
        )
    if request.method == "POST":
        # A wrong code after the right password is worth seeing: someone may hold the password.
        # (A code of the wrong shape, refused by the form, is as wrong.)
        audit_record(
            action=Action.LOGIN_FAILED,
            request=request,
            object_type="otp_totp.totpdevice",
            changed_fields=["totp"],
        )

    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        qr = segno.make(devices[0].config_url, error="m")
        context["qr_data_uri"] = qr.svg_data_uri(scale=5, border=2)
        context["secret_base32"] = _base32(devices[0].bin_key)
    return render(request, "core/two_factor.html", context)


def _base32(key: bytes) -> str:
    encoded = b32encode(key).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@login_required
def no_membership(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_membership.html", status=403)


@staff_required()
def landing(request: StaffRequest) -> HttpResponse:
    """Where sign-in leads: the page of the member's work, else the staff overview."""
    return redirect(landing_url(request.membership) or "core:staff_home")
