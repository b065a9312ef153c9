from django.urls import path

from alongside.groups import views_checkin

app_name = "checkin"

urlpatterns = [
    path("<str:token>/", views_checkin.checkin, name="page"),
]
