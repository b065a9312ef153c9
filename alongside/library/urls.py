from django.urls import path

from alongside.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("edit/", views.edit_list, name="edit_list"),
    path("edit/<slug:slug>/", views.edit, name="edit"),
    path("edit/<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
