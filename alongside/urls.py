from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from alongside.api import api
from alongside.directory.api_hsds import hsds_api

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API description where integrators look first; the same as /api/v1/openapi.json.
    path("api/openapi.json", RedirectView.as_view(url="/api/v1/openapi.json"), name="openapi"),
    path("api/v1/", api.urls),
    path("api/hsds/", hsds_api.urls),
    path("find/", include("alongside.directory.urls")),
    path("staff/directory/", include("alongside.directory.staff_urls")),
    path("staff/care/", include("alongside.care.urls")),
    path("library/", include("alongside.library.urls")),
    path("", include("alongside.core.urls")),
]

handler403 = "alongside.core.views.errors.forbidden"
handler404 = "alongside.core.views.errors.not_found"
handler500 = "alongside.core.views.errors.server_error"
