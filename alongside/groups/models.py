"""Peer-led groups, when they meet, who may come, and who came.

A group's schedule is a few rules (``MeetingTime``: weekly on a weekday, or once on a date),
in the group's named time zone. Sessions (``Session``) are made only when one is needed: to
cancel or move a single date, to take attendance, or to open walk-in check-in. What the
schedule says for a range of dates is ``groups.schedule.occurrences``.
"""

from __future__ import annotations

import uuid
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ServiceCategory
from alongside.core.models import OrgScopedModel
from alongside.lib.crypto import EncryptedTextField


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Choose a time zone by its name, such as America/New_York."))


class GroupModel(OrgScopedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Group(GroupModel):
    class Kind(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("Peer support")
        RECOVERY_EDUCATION = "recovery_education", _("Recovery education")
        WELLNESS = "wellness", _("Wellness and WRAP")
        FAMILY = "family", _("Family and friends")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    name = models.CharField(_("name"), max_length=200)
    # Public pages and feeds name a group by its slug, so it is unique in the deployment.
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("what happens at this group, in plain words"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # What each attendee's group encounter is tagged with (care's six peer service categories).
    service_category = models.CharField(
        _("service category of its notes"),
        max_length=30,
        choices=ServiceCategory.choices,
        default=ServiceCategory.EDUCATION,
        help_text=_("Each attendee's group note is tagged with it."),
    )
    # The directory's codes (``directory.taxonomy``): what it is about, and for whom.
    focus = models.JSONField(_("focus"), default=list, blank=True)
    populations = models.JSONField(_("for whom"), default=list, blank=True)
    is_open = models.BooleanField(
        _("open to anyone"),
        default=True,
        help_text=_("Open: anyone may come. Closed: members only."),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    # Where it meets in person: a directory location, or an address typed here.
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("directory location"),
    )
    location_name = models.CharField(_("place name"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    # How to join online. A private link is sent to registered people only.
    conference_url = models.URLField(_("video meeting link"), blank=True)
    conference_phone = models.CharField(_("dial-in number"), max_length=60, blank=True)
    conference_public = models.BooleanField(
        _("show the online link publicly"),
        default=False,
        help_text=_("Otherwise only registered people are sent it."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("facilitators")
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    listed_publicly = models.BooleanField(_("list publicly"), default=False)
    active = models.BooleanField(_("meets now"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def online(self) -> bool:
        return self.format in {self.Format.ONLINE, self.Format.HYBRID}

    @property
    def in_person(self) -> bool:
        return self.format in {self.Format.IN_PERSON, self.Format.HYBRID}

    def clean(self) -> None:
        if self.in_person and not (self.location_id or self.address or self.city):
            raise ValidationError(
                {"address": _("Say where the group meets: a directory location or an address.")}
            )
        if self.online and not (self.conference_url or self.conference_phone):
            raise ValidationError(
                {"conference_url": _("Give a video meeting link or a dial-in number.")}
            )


class MeetingTime(GroupModel):
    """One rule of a group's schedule: every week on a weekday, or once on a date.

    Times are wall-clock times in the group's time zone: a group that meets at 18:00 meets at
    18:00 on both sides of a daylight-saving change.
    """

    class Weekday(models.IntegerChoices):
        # Python's numbering (``date.weekday()``); the Meeting Guide feed counts from Sunday.
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meeting_times")
    weekday = models.PositiveSmallIntegerField(
        _("every week on"), choices=Weekday.choices, null=True, blank=True
    )
    date = models.DateField(_("once, on"), null=True, blank=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    # A weekly rule holds from its first date (and until its last, when it has one).
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=False, date__isnull=True)
                | Q(weekday__isnull=True, date__isnull=False),
                name="groups_meeting_time_weekly_or_once",
            )
        ]

    def clean(self) -> None:
        if (self.weekday is None) == (self.date is None):
            raise ValidationError(_("Choose a day of the week, or one date, not both."))
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end is before the start.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last date is before the first.")})


class Session(GroupModel):
    """One occurrence of a group, kept once something is known about it.

    ``scheduled_date`` is the date the schedule gave it (its identity, also in calendars);
    ``date`` and the times are when it actually meets, which differ when it was moved.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    scheduled_date = models.DateField(_("scheduled date"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    public_note = models.CharField(
        _("note for the public"), max_length=300, blank=True, help_text=_("Say why, if you like.")
    )
    # The facilitator's summary shared by every attendee's group encounter.
    summary = EncryptedTextField(_("what the group did"), blank=True)
    walk_ins = models.PositiveIntegerField(_("walk-ins (not named)"), default=0)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "scheduled_date"], name="groups_session_once_a_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date}"


class Registration(GroupModel):
    """A place in a closed or capacity-limited group: a participant, or a member of the
    public known by a first name and a contact (kept like participant contact data)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        "care.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    first_name = EncryptedTextField(_("first name"), blank=True)
    contact = EncryptedTextField(_("phone or e-mail"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "participant"],
                condition=Q(participant__isnull=False),
                name="groups_registration_once_a_participant",
            )
        ]

    def clean(self) -> None:
        if self.participant_id is None and not (self.first_name and self.contact):
            raise ValidationError(_("Give a first name and a phone number or e-mail address."))


class Attendance(GroupModel):
    """Whether a registered or added participant came to a session, and their encounter."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey("care.Participant", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    # The group encounter written for a participant who was present.
    encounter = models.OneToOneField(
        "care.Encounter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="groups_attendance_once_a_session"
            )
        ]
