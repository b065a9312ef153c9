from django.contrib import admin
from django.urls import include, path

from alongside.api import api
from alongside.directory.api_hsds import hsds_api
from alongside.groups import public_views as groups_public
from alongside.openapi import public_openapi

urlpatterns = [
    path("admin/", admin.site.urls),
    # Where integrators look first: the public directory's API (HSDS and the search).
    path("api/openapi.json", public_openapi, name="openapi"),
    # The Meeting Guide feed of public groups (code4recovery's spec), for meeting finder apps.
    path("api/meeting-guide.json", groups_public.meeting_guide, name="meeting_guide"),
    path("api/v1/", api.urls),
    path("api/hsds/", hsds_api.urls),
    path("find/", include("alongside.directory.urls")),
    path("staff/directory/", include("alongside.directory.staff_urls")),
    path("staff/care/", include("alongside.care.urls")),
    path("staff/workforce/", include("alongside.workforce.urls")),
    path("staff/groups/", include("alongside.groups.urls")),
    path("checkin/", include("alongside.groups.checkin_urls")),
    path("staff/billing/", include("alongside.billing.urls")),
    path("staff/outcomes/", include("alongside.outcomes.urls")),
    # One-time links a person opens on their own phone: fill in a measure, see their progress.
    path("measure/", include("alongside.outcomes.public_urls")),
    path("staff/reports/", include("alongside.reports.urls")),
    path("careers/", include("alongside.workforce.public_urls")),
    # The public side of groups: the list, a page and an iCalendar file (groups/<slug>.ics).
    path("groups/", include("alongside.groups.public_urls")),
    path("library/", include("alongside.library.urls")),
    # The warm line: its public page and the SMS webhook; the console is under staff/.
    path("warmline/", include("alongside.warmline.urls")),
    path("staff/warmline/", include("alongside.warmline.staff_urls")),
    path("", include("alongside.core.urls")),
]

handler403 = "alongside.core.views.errors.forbidden"
handler404 = "alongside.core.views.errors.not_found"
handler500 = "alongside.core.views.errors.server_error"
