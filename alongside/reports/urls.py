from django.urls import path

from alongside.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("definitions/", views.definitions, name="definitions"),
    path("gpra/", views.gpra_due, name="gpra_due"),
    path("gpra/people/<uuid:participant_id>/", views.gpra_participant, name="gpra_participant"),
    path("gpra/episodes/<uuid:pk>/", views.gpra_episode, name="gpra_episode"),
    path("<slug:name>/", views.report_page, name="report"),
    path("<slug:name>.csv", views.report_csv, name="report_csv"),
    path("<slug:name>.xlsx", views.report_xlsx, name="report_xlsx"),
]
