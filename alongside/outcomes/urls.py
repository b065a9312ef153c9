from django.urls import path

from alongside.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("program/", views.program, name="program"),
    path("participants/<uuid:pk>/", views.measures, name="measures"),
    path("participants/<uuid:pk>/links/", views.link_create, name="link_create"),
    path("participants/<uuid:pk>/fill/<str:code>/", views.administer, name="administer"),
    path(
        "participants/<uuid:pk>/administrations/<uuid:administration_id>/",
        views.administration,
        name="administration",
    ),
]
