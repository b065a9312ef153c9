from django.urls import path

from alongside.directory import staff_views

app_name = "directory_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<uuid:service_id>/verify/", staff_views.verify, name="verify"),
    path("<uuid:service_id>/edit/", staff_views.edit, name="edit"),
    path("<uuid:service_id>/history/", staff_views.history, name="history"),
    path("suggestions/<int:suggestion_id>/", staff_views.review, name="review"),
    path("claims/", staff_views.claims, name="claims"),
    path("claims/new/", staff_views.claim_new, name="claim_new"),
    path("claims/<int:claim_id>/decision/", staff_views.claim_decision, name="claim_decision"),
    path("claims/<int:claim_id>/end/", staff_views.claim_end, name="claim_end"),
]
