from django.urls import path

from alongside.workforce import public_views

app_name = "careers"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<str:state>/", public_views.state, name="state"),
]
