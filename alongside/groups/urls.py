from datetime import date

from django.urls import path, register_converter

from alongside.groups import views, views_attendance


class IsoDate:
    """A date in a path, YYYY-MM-DD; anything else is no match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDate, "isodate")

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("<uuid:pk>/", views.group_detail, name="detail"),
    path("<uuid:pk>/edit/", views.group_edit, name="edit"),
    path("<uuid:pk>/register/", views.registration_add, name="registration_add"),
    path(
        "<uuid:pk>/registrations/<uuid:registration_id>/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
    path("<uuid:pk>/dates/<isodate:day>/cancel/", views.session_cancel, name="session_cancel"),
    path("<uuid:pk>/dates/<isodate:day>/move/", views.session_move, name="session_move"),
    path(
        "<uuid:pk>/dates/<isodate:day>/reinstate/",
        views.session_reinstate,
        name="session_reinstate",
    ),
    path(
        "<uuid:pk>/dates/<isodate:day>/attendance/",
        views_attendance.attendance,
        name="attendance",
    ),
    path(
        "<uuid:pk>/dates/<isodate:day>/checkin/",
        views_attendance.checkin_sheet,
        name="checkin_sheet",
    ),
]
