from django.urls import path

from alongside.outcomes import public_views

app_name = "measure"

urlpatterns = [
    path("<str:token>/", public_views.page, name="page"),
]
