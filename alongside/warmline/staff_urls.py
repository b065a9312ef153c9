from django.urls import path

from alongside.warmline import staff_views as views

app_name = "warmline_staff"

urlpatterns = [
    path("", views.console, name="console"),
    path("break/", views.take_a_break, name="take_a_break"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("lines/", views.lines, name="lines"),
    path("lines/new/", views.line_create, name="line_create"),
    path("lines/<uuid:pk>/edit/", views.line_edit, name="line_edit"),
    path("lines/<uuid:pk>/on-duty/", views.on_duty, name="on_duty"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/toggle/", views.topic_toggle, name="topic_toggle"),
    path("contacts/<uuid:pk>/", views.contact, name="contact"),
    path("contacts/<uuid:pk>/take/", views.take, name="take"),
    path("contacts/<uuid:pk>/send/", views.send, name="send"),
    path("contacts/<uuid:pk>/share/", views.share, name="share"),
    path("contacts/<uuid:pk>/transfer/", views.transfer, name="transfer"),
    path("contacts/<uuid:pk>/end/", views.end, name="end"),
    path(
        "contacts/<uuid:pk>/delete-transcript/", views.transcript_delete, name="transcript_delete"
    ),
]
