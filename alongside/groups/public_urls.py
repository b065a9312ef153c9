from django.urls import path

from alongside.groups import public_views

app_name = "groups_public"

urlpatterns = [
    path("", public_views.group_list, name="list"),
    path("<slug:slug>.ics", public_views.group_ics, name="calendar"),
    path("<slug:slug>/", public_views.group_detail, name="detail"),
]
