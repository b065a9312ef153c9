from django.urls import path

from alongside.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<uuid:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:batch_id>/837p/", views.batch_file, name="batch_file"),
    path("claims/<str:claim_id>/", views.claim_detail, name="claim"),
    path("remittances/", views.remittances, name="remittances"),
    path("remittances/<uuid:remittance_id>/", views.remittance_detail, name="remittance"),
    path("denials/", views.denial_queue, name="denials"),
    path("settings/", views.identity_edit, name="settings"),
]
