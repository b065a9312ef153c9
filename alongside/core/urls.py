from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from alongside.core.forms import SignInForm
from alongside.core.views import account, audit, notifications, public, staff, synonyms, team

app_name = "core"

urlpatterns = [
    path("", public.home, name="home"),
    path("crisis/", public.crisis, name="crisis"),
    path("healthz", public.healthz, name="healthz"),
    path("readyz", public.readyz, name="readyz"),
    # Accounts
    path(
        "accounts/login/",
        account.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account.two_factor, name="two_factor"),
    path(
        "accounts/two-factor/set-up/<str:secret>/",
        account.two_factor_enrol,
        name="two_factor_enrol",
    ),
    path("accounts/no-organization/", account.no_membership, name="no_membership"),
    path(
        "accounts/password-reset/",
        account.PasswordResetView.as_view(
            template_name="core/password_reset.html",
            email_template_name="core/password_reset_email.txt",
            subject_template_name="core/password_reset_subject.txt",
            success_url=reverse_lazy("core:password_reset_done"),
            # The site's own name, not the host name Django would take from the request.
            extra_email_context={"site_name": settings.ALONGSIDE_SITE_NAME},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_reset_confirm.html",
            success_url=reverse_lazy("core:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="core/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # Staff area
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/start/", account.landing, name="staff_landing"),
    path("staff/organization/", staff.organization_switch, name="organization_switch"),
    path("staff/audit/", audit.audit_report, name="audit_report"),
    path("staff/audit/export.csv", audit.audit_export, name="audit_export"),
    path("staff/notifications/", notifications.notification_list, name="notifications"),
    path(
        "staff/notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "staff/notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path(
        "staff/notifications/<uuid:pk>/",
        notifications.notification_open,
        name="notification_open",
    ),
    path(
        "staff/notifications/<uuid:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path("staff/search-synonyms/", synonyms.synonym_list, name="synonyms"),
    path("staff/search-synonyms/add/", synonyms.synonym_add, name="synonym_add"),
    path("staff/search-synonyms/<int:pk>/", synonyms.synonym_edit, name="synonym_edit"),
    path(
        "staff/search-synonyms/<int:pk>/delete/",
        synonyms.synonym_delete,
        name="synonym_delete",
    ),
    path("staff/team/", team.team, name="team"),
    path("staff/team/invite/", team.member_invite, name="team_invite"),
    path("staff/team/<int:pk>/", team.member, name="team_member"),
    path("staff/team/<int:pk>/deactivate/", team.member_deactivate, name="team_member_deactivate"),
    path("staff/team/<int:pk>/reactivate/", team.member_reactivate, name="team_member_reactivate"),
    path(
        "staff/team/<int:pk>/two-factor/reset/",
        team.member_two_factor_reset,
        name="team_member_two_factor_reset",
    ),
    path(
        "staff/team/<int:pk>/invitation/",
        team.member_invitation_resend,
        name="team_member_invitation",
    ),
]
