from django.urls import path

from alongside.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("people/<str:username>/", views.person, name="person"),
    path("people/<str:username>/credentials/add/", views.credential_add, name="credential_add"),
    path("people/<str:username>/trainings/add/", views.training_add, name="training_add"),
    path(
        "people/<str:username>/trainings/<uuid:training_id>/certificate/",
        views.certificate,
        name="certificate",
    ),
    path("people/<str:username>/work/add/", views.other_work_add, name="other_work_add"),
    path("people/<str:username>/goals/add/", views.goal_add, name="goal_add"),
    path("people/<str:username>/supervision/add/", views.supervision_add, name="supervision_add"),
    path("people/<str:username>/agreements/add/", views.agreement_add, name="agreement_add"),
    path(
        "people/<str:username>/agreements/<uuid:agreement_id>/approve/",
        views.agreement_approve,
        name="agreement_approve",
    ),
    path("people/<str:username>/npi/", views.npi_edit, name="npi"),
    path(
        "people/<str:username>/supervision-report/",
        views.supervision_report,
        name="supervision_report",
    ),
]
