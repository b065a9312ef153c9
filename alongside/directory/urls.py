from django.urls import path

from alongside.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:service_id>/", views.service_page, name="service"),
    path("<uuid:service_id>/suggest/", views.suggest, name="suggest"),
]
