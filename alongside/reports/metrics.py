"""The metrics reports start with, each with its definition (docs/reports.md lists them).

A compute function reads through other apps' selectors only, in a fixed number of queries,
and answers counts and sums: never who. Reads that several metrics share go through
``Context.once``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from alongside.billing import selectors as billing
from alongside.care import report_selectors as care
from alongside.groups import selectors as groups
from alongside.outcomes import selectors as outcomes
from alongside.reports import gpra
from alongside.reports.demographics import NOT_RECORDED, split
from alongside.reports.registry import Computed, Context, Metric, Row, register
from alongside.reports.selectors import gpra_episodes
from alongside.warmline import selectors as warmline
from alongside.workforce import selectors as workforce

TOTAL = "total"
ALL = "all"


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def total(measure: str, value: Any, *, count: bool = True) -> Row:
    return Row(TOTAL, ALL, str(_("All")), measure, value, count)


def _people(ctx: Context) -> dict[Any, care.Demographics]:
    return ctx.once("demographics", care.demographics_by_participant)


def _totals(ctx: Context) -> list[care.EncounterTotal]:
    return ctx.once("encounters", lambda: care.encounter_totals(ctx.start, ctx.end))


def _encounters(ctx: Context) -> dict[Any, tuple[int, int]]:
    """(encounters, minutes) of each participant with an encounter in the period."""

    def add_up() -> dict[Any, tuple[int, int]]:
        per_person: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
        for row in _totals(ctx):
            per_person[row.participant_id][0] += row.encounters
            per_person[row.participant_id][1] += row.minutes
        return {pk: (n, minutes) for pk, (n, minutes) in per_person.items()}

    return ctx.once("per_person", add_up)


def _encounters_by(ctx: Context, key: str) -> dict[str, tuple[int, int]]:
    """(encounters, minutes) by type, or by service category (an encounter tagged with two
    categories counts under each)."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in _totals(ctx):
        keys = set(row.service_categories) if key == "category" else {row.type}
        for value in keys:
            found[value][0] += row.encounters
            found[value][1] += row.minutes
    return {value: (n, minutes) for value, (n, minutes) in found.items()}


def _sessions(ctx: Context) -> groups.SessionTotals:
    return ctx.once("sessions", lambda: groups.session_totals(ctx.start, ctx.end))


def _by_choice(
    dimension: str, choices: Any, found: dict[str, tuple[int, int]], *, missing: bool = False
) -> list[Row]:
    """Encounters and hours for each choice in its order (and "not recorded" if asked)."""
    keys = list(choices) + ([(NOT_RECORDED, _("Not recorded"))] if missing else [])
    rows = []
    for key, label in keys:
        n, minutes = found.get(key, (0, 0))
        rows.append(Row(dimension, key, str(label), "encounters", n))
        rows.append(Row(dimension, key, str(label), "hours", hours(minutes), False))
    return rows


# --- Participants ---------------------------------------------------------------------------


def participants_served(ctx: Context) -> Computed:
    served = dict.fromkeys(_encounters(ctx), 1)
    served.update(dict.fromkeys(_sessions(ctx).present, 1))
    rows = [total("participants", len(served))]
    rows += split(served, _people(ctx), ctx.end, "participants")
    return Computed(len(served), rows)


register(
    Metric(
        name="participants_served",
        version=1,
        title=_("Unduplicated participants served"),
        definition=_(
            "Each person counted once who, on a day in the period, had an encounter note "
            "(signed or still a draft) or was marked present at a group session: once across "
            "one-to-one and group support, pathways, focus and programs, however many "
            "encounters. Encounter notes that record only an attempt that reached nobody (no "
            "answer, a message left, a no-show) do not count; a contact with their family or "
            "another provider about them does. Split by race and ethnicity, gender, age on "
            "the last day of the period, and veteran status."
        ),
        compute=participants_served,
    )
)


def enrollments_new(ctx: Context) -> Computed:
    started = care.enrollments_started(ctx.start, ctx.end)
    people = dict.fromkeys(started, 1)
    rows = [total("participants", len(people)), total("enrollments", len(started))]
    rows += split(people, _people(ctx), ctx.end, "participants")
    return Computed(len(people), rows)


register(
    Metric(
        name="enrollments_new",
        version=1,
        title=_("New enrollments"),
        definition=_(
            "People whose enrollment began on a day in the period, each counted once: "
            "someone enrolled, discharged and enrolled again in the same period is one "
            "person (the 'enrollments' row counts both enrollments). Split by demographics."
        ),
        compute=enrollments_new,
    )
)


def discharges_by_reason(ctx: Context) -> Computed:
    ended = care.discharges_in(ctx.start, ctx.end)
    reasons = Counter(reason or NOT_RECORDED for _pk, reason in ended)
    choices = [*care.DISCHARGE_REASONS, (NOT_RECORDED, _("Not recorded"))]
    rows = [total("discharges", len(ended))]
    rows += [Row("reason", k, str(label), "discharges", reasons.get(k, 0)) for k, label in choices]
    people = dict.fromkeys((pk for pk, _reason in ended), 1)
    rows += split(people, _people(ctx), ctx.end, "participants")
    return Computed(len(ended), rows)


register(
    Metric(
        name="discharges_by_reason",
        version=1,
        title=_("Discharges by reason"),
        definition=_(
            "Enrollments that ended (a discharge date) on a day in the period, by the reason "
            "recorded. A person discharged twice in the period counts twice by reason, and "
            "once in the demographic splits, which count people."
        ),
        compute=discharges_by_reason,
    )
)


# --- Encounters ----------------------------------------------------------------------------


def encounters_by_type(ctx: Context) -> Computed:
    by_type = _encounters_by(ctx, "type")
    count = sum(n for n, _m in by_type.values())
    minutes = sum(m for _n, m in by_type.values())
    rows = [total("encounters", count), total("hours", hours(minutes), count=False)]
    rows += _by_choice("type", care.ENCOUNTER_TYPES, by_type)
    per_person = _encounters(ctx)
    rows += split(
        {pk: n for pk, (n, _m) in per_person.items()}, _people(ctx), ctx.end, "encounters"
    )
    return Computed(count, rows)


register(
    Metric(
        name="encounters_by_type",
        version=1,
        title=_("Encounters and hours by type"),
        definition=_(
            "Encounter notes dated in the period (signed or draft), by how they happened (in "
            "person, phone, video, text, group…), with their hours: the minutes from start to "
            "end time, added up and divided by 60. Attempts that reached nobody are left out, "
            "as for participants served. The demographic splits count the encounters of the "
            "people in each group."
        ),
        compute=encounters_by_type,
    )
)


def encounters_by_service_category(ctx: Context) -> Computed:
    by_category = _encounters_by(ctx, "category")
    rows = _by_choice("service_category", care.SERVICE_CATEGORIES, by_category)
    count = sum(n for n, _m in _encounters(ctx).values())
    return Computed(count, [total("encounters", count), *rows])


register(
    Metric(
        name="encounters_by_service_category",
        version=1,
        title=_("Encounters and hours by service category"),
        definition=_(
            "The same encounters as 'Encounters and hours by type', by the six peer service "
            "categories (planning, resources, advocacy, illness management, employment and "
            "housing, education). An encounter tagged with two categories counts, with all "
            "its hours, under each, so the categories add up to more than the total."
        ),
        compute=encounters_by_service_category,
    )
)


# --- Groups --------------------------------------------------------------------------------


def group_activity(ctx: Context) -> Computed:
    found = _sessions(ctx)
    attendees = dict.fromkeys(found.present, 1)
    rows = [
        total("sessions", found.sessions),
        total("attendances", len(found.present)),
        total("attendees", len(attendees)),
        total("walk_ins", found.walk_ins),
    ]
    rows += split(attendees, _people(ctx), ctx.end, "attendees")
    return Computed(found.sessions, rows)


register(
    Metric(
        name="group_activity",
        version=1,
        title=_("Group sessions, attendance and walk-ins"),
        definition=_(
            "Group sessions dated in the period whose attendance was taken and that were not "
            "cancelled; 'attendances' counts each 'present' mark, 'attendees' each person "
            "present at least once; walk-ins are the unnamed people added at the door. The "
            "demographic splits count attendees."
        ),
        compute=group_activity,
    )
)


# --- Outcomes (issue 26) -------------------------------------------------------------------


def recovery_measures(ctx: Context) -> Computed:
    found = outcomes.follow_ups(start=ctx.start, end=ctx.end)
    followed = {row.participant_id: 1 for row in found if row.has_follow_up}
    rows = [total("participants_with_follow_up", len(followed))]
    for item in outcomes.program_rows(found):
        label = item.instrument
        rows.append(Row("instrument", item.code, label, "measured", item.measured))
        rows.append(Row("instrument", item.code, label, "with_follow_up", item.with_follow_up))
        rows.append(
            Row("instrument", item.code, label, "average_change", item.average_change, False)
        )
    rows += split(followed, _people(ctx), ctx.end, "participants_with_follow_up")
    return Computed(len(followed), rows)


register(
    Metric(
        name="recovery_measures",
        version=2,
        title=_("Recovery measures: first and follow-up, and average change"),
        definition=_(
            "For each recovery measure (instrument), the people who filled it in on a day in "
            "the period ('measured'), and of those, the ones with a follow-up: a later total "
            "in the period after an earlier one, which may be from before the period. The "
            "average change is the mean, over people with a follow-up, of their latest total "
            "in the period minus their first total ever, to one decimal place. Only complete "
            "totals count: a corrected measure counts as its correction, declined or "
            "unfinished ones not at all. The headline and the demographic splits count each "
            "person with a follow-up once, whatever the number of instruments. The same "
            "numbers as the outcomes program page."
        ),
        compute=recovery_measures,
    )
)


# --- Referrals -----------------------------------------------------------------------------


def referrals(ctx: Context) -> Computed:
    written = care.referrals_written(ctx.start, ctx.end)
    made = [(pk, status) for pk, status in written if status != "suggested"]
    connected = sum(1 for _pk, status in made if status == "connected")
    people = dict.fromkeys((pk for pk, _s in made), 1)
    rows = [
        total("referrals_made", len(made)),
        total("referrals_connected", connected),
        total("participants", len(people)),
    ]
    rows += split(people, _people(ctx), ctx.end, "participants")
    return Computed(len(made), rows)


register(
    Metric(
        name="referrals",
        version=1,
        title=_("Referrals made and connected"),
        definition=_(
            "Referrals written on a day in the period that went beyond a suggestion (made, "
            "connected, declined or closed), and of those, the ones whose status is now "
            "'connected'. A referral made in the period and connected later counts as "
            "connected when the report is run again. The splits count people referred."
        ),
        compute=referrals,
    )
)


# --- Warm line (issue 27) ------------------------------------------------------------------


def _contacts(ctx: Context) -> list[warmline.ContactTimes]:
    return ctx.once("warmline", lambda: warmline.contact_times(ctx.start, ctx.end))


def warmline_contacts(ctx: Context) -> Computed:
    found = _contacts(ctx)
    channels = Counter(c.channel for c in found)
    by_hour = Counter(c.hour for c in found)
    rows = [total("contacts", len(found))]
    rows += [
        Row("channel", k, str(label), "contacts", channels.get(k, 0))
        for k, label in warmline.CHANNELS
    ]
    rows += [
        Row("hour", f"{h:02d}", f"{h:02d}:00", "contacts", by_hour.get(h, 0)) for h in range(24)
    ]
    return Computed(len(found), rows)


register(
    Metric(
        name="warmline_contacts",
        version=2,
        title=_("Warm line contacts by channel and hour"),
        definition=_(
            "Warm line contacts (conversations) that began, by joining the queue, on a day in "
            "the period, whether or not anyone answered: by channel (chat or text message) and "
            "by the hour of the day they began, in the deployment's time zone (the 'hour' row "
            "09:00 counts 09:00 to 09:59). Contacts are anonymous: no demographic split."
        ),
        compute=warmline_contacts,
    )
)


def warmline_crisis_transfers(ctx: Context) -> Computed:
    channels = warmline.crisis_transfers_by_channel(ctx.start, ctx.end)
    count = sum(channels.values())
    rows = [total("crisis_transfers", count)]
    rows += [
        Row("channel", k, str(label), "crisis_transfers", channels.get(k, 0))
        for k, label in warmline.CHANNELS
    ]
    return Computed(count, rows)


register(
    Metric(
        name="warmline_crisis_transfers",
        version=2,
        title=_("Warm line crisis transfers"),
        definition=_(
            "Warm line contacts that began on a day in the period in which the responder "
            "pressed 'Connect to 988' or recorded the ending 'connected to 988 or a crisis "
            "line', each counted once, by channel."
        ),
        compute=warmline_crisis_transfers,
    )
)


def warmline_median_wait(ctx: Context) -> Computed:
    waits = sorted(c.wait_seconds for c in _contacts(ctx) if c.wait_seconds is not None)
    median = None
    if waits:
        middle = len(waits) // 2
        pair = waits[middle - 1 : middle + 1] if len(waits) % 2 == 0 else [waits[middle]]
        median = (Decimal(sum(pair)) / len(pair)).quantize(Decimal("0.1"))
    rows = [total("answered", len(waits)), total("median_wait_seconds", median, count=False)]
    return Computed(median, rows, value_is_count=False)


register(
    Metric(
        name="warmline_median_wait",
        version=2,
        title=_("Warm line median wait"),
        definition=_(
            "Over the warm line contacts that began on a day in the period and that a "
            "responder answered ('answered'), the median of their waits: the whole seconds "
            "from joining the queue to a responder taking the contact. With an even number "
            "of waits, the mean of the two middle ones. Contacts nobody answered are left out."
        ),
        compute=warmline_median_wait,
    )
)


# --- Billing -------------------------------------------------------------------------------


def billing_units(ctx: Context) -> Computed:
    found = billing.line_totals(ctx.start, ctx.end)
    rows = []
    for key, label, totals in (
        ("billed", _("Billed"), found.billed),
        ("paid", _("On a paid claim"), found.paid),
        ("denied", _("On a denied claim"), found.denied),
        ("held", _("Held, not billed"), found.held),
    ):
        rows.append(Row("status", key, str(label), "lines", totals.lines))
        rows.append(Row("status", key, str(label), "units", totals.units, False))
        rows.append(Row("status", key, str(label), "amount", dollars(totals.amount_cents), False))
    rows.append(total("paid_amount", dollars(found.paid_cents), count=False))
    return Computed(found.billed.units, rows, value_is_count=False)


register(
    Metric(
        name="billing_units",
        version=1,
        title=_("Billed, paid, denied and held units and amounts"),
        definition=_(
            "Service lines of billing runs with a date of service in the period. Billed: on a "
            "claim not replaced or voided since. Paid and denied: billed lines on a claim the "
            "payer paid (fully or in part) or denied. Held: an encounter's latest line, held "
            "for a reason, that no run has put on a claim. Units are 15-minute units; amounts "
            "are the amounts charged. 'Paid amount' is what payers paid on the claims whose "
            "first date of service is in the period."
        ),
        compute=billing_units,
    )
)


# --- Workforce -----------------------------------------------------------------------------

STATUS_LABELS = (
    ("active", _("Active")),
    ("expiring", _("Expiring soon")),
    ("grace", _("In grace period")),
    ("lapsed", _("Lapsed")),
    ("retraining_required", _("Lapsed: retraining required")),
    (workforce.NO_CREDENTIAL, _("No credential recorded")),
)


def staff_credentials(ctx: Context) -> Computed:
    counts = workforce.staff_by_credential_status(ctx.end)
    rows = [Row("status", k, str(label), "staff", counts.get(k, 0)) for k, label in STATUS_LABELS]
    everyone = sum(counts.values())
    return Computed(everyone, [total("staff", everyone), *rows])


register(
    Metric(
        name="staff_credentials",
        version=1,
        title=_("Staff by credential status"),
        definition=_(
            "Active members who are peer specialists or supervisors, on the last day of the "
            "period, by the status of their best credential issued by then: active, expiring "
            "within 90 days, in its grace period, lapsed, or lapsed with retraining required; "
            "or no credential recorded."
        ),
        compute=staff_credentials,
    )
)


# --- GPRA ----------------------------------------------------------------------------------


def gpra_followups(ctx: Context) -> Computed:
    episodes = ctx.once("gpra", gpra_episodes)
    rate = gpra.followup_rate(episodes, ctx.start, ctx.end)
    intakes = sum(1 for e in episodes if ctx.start <= e.intake_on <= ctx.end)
    percent = None if rate.percent is None else Decimal(str(rate.percent))
    rows = [
        total("intakes", intakes),
        total("followups_due", rate.due),
        total("followups_in_window", rate.done_in_window),
        total("followups_outside_window", rate.done_outside_window),
        total("rate_percent", percent, count=False),
        total("target_percent", rate.target_percent, count=False),
    ]
    return Computed(percent, rows, value_is_count=False)


register(
    Metric(
        name="gpra_followups",
        version=1,
        title=_("GPRA 6-month follow-up rate"),
        definition=_(
            "Follow-ups due: GPRA episodes whose follow-up window (5 to 8 months after the "
            "intake interview unless configured otherwise, both ends included) closes in the "
            "period. The rate is the share of those whose follow-up interview was on a day "
            "inside the window, against SAMHSA's 80% target (configurable); interviews before "
            "or after the window are shown apart and do not count. Intakes: intake interviews "
            "in the period. Not the federal interview itself: dates only."
        ),
        compute=gpra_followups,
    )
)
