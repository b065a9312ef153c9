from django.urls import path

from alongside.directory import staff_views

app_name = "directory_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<uuid:service_id>/verify/", staff_views.verify, name="verify"),
    path("<uuid:service_id>/history/", staff_views.history, name="history"),
    path("suggestions/<int:suggestion_id>/", staff_views.review, name="review"),
]
