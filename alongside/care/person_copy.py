"""The person's own copy of their plan and record, in plain words: one text, two forms.

``copy_parts`` writes the copy once, addressed to the person ("Your recovery plan"); the
printable page and the PDF both show exactly these parts, so the two cannot drift apart.
Encounters appear as dates, kinds and whom the person met, without the note text (why:
docs/care.md, *A copy for the person*).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.core.crisis import crisis_lines
from alongside.core.people import display_name

if TYPE_CHECKING:
    from alongside.care.plan_selectors import PersonCopy

FONTS = Path(__file__).parent / "static" / "care" / "fonts"


@dataclass
class Part:
    """One heading of the copy: sentences under it, then (label, text) lines."""

    heading: str
    sentences: list[str] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)
    level: int = 2


def _day(value: date | None) -> str:
    return formats.date_format(value, "N j, Y") if value else ""


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def copy_parts(copy: PersonCopy) -> list[Part]:
    """The copy's words, in order, for the page and the PDF."""
    p = copy.participant
    parts = [*_plan_parts(copy), *_wellness_parts(copy)]
    parts.append(
        Part(
            _("What we keep about you"),
            [
                _(
                    "This is what %(org)s keeps in your record. If something is wrong, tell "
                    "us and we will correct it."
                )
                % {"org": p.organization.name}
            ],
        )
    )
    parts.append(
        Part(
            _("Your contact details"),
            lines=[
                (_("Name you use"), p.preferred_name),
                (_("Legal name"), p.legal_name),
                (_("Pronouns"), p.pronouns),
                (_("Date of birth"), _day(p.date_of_birth)),
                (_("Phone"), p.phone),
                (_("E-mail"), p.email),
                (_("Address"), p.address),
                (_("We may call you"), _yes_no(p.ok_to_call)),
                (_("We may text you"), _yes_no(p.ok_to_text)),
                (_("We may leave a message"), _yes_no(p.ok_to_leave_message)),
                (_("Language you prefer"), p.preferred_language),
                (
                    _("Who to contact in an emergency"),
                    " ".join(
                        x
                        for x in (
                            p.emergency_contact_name,
                            f"({p.emergency_contact_relationship})"
                            if p.emergency_contact_relationship
                            else "",
                            p.emergency_contact_phone,
                        )
                        if x
                    ),
                ),
            ],
            level=3,
        )
    )
    parts.append(
        Part(
            _("When you took part"),
            lines=[
                (
                    _("Joined"),
                    _day(e.enrolled_on)
                    + (
                        _(", left %(when)s") % {"when": _day(e.discharged_on)}
                        if e.discharged_on
                        else _(", still taking part")
                    ),
                )
                for e in copy.enrollments
            ],
            level=3,
        )
    )
    parts.append(_consent_part(copy))
    parts.append(
        Part(
            _("Times we met or tried to reach you"),
            [
                _(
                    "The notes staff wrote about each time are not in this copy. You have the "
                    "right to see them too: ask us, and we will give you a copy or go through "
                    "them with you."
                )
            ]
            if copy.encounters
            else [_("None yet.")],
            [
                (
                    _day(e.date),
                    _("%(kind)s, %(minutes)s minutes, with %(name)s%(contact)s")
                    % {
                        "kind": e.get_type_display(),
                        "minutes": e.duration_minutes,
                        "name": display_name(e.specialist),
                        "contact": "" if e.contact == "person" else f" ({e.get_contact_display()})",
                    },
                )
                for e in copy.encounters
            ],
            level=3,
        )
    )
    if copy.referrals:
        parts.append(
            Part(
                _("Places we referred you to"),
                lines=[(r.provider_name, r.get_status_display()) for r in copy.referrals],
                level=3,
            )
        )
    if copy.appointments:
        parts.append(
            Part(
                _("Your next appointments"),
                lines=[
                    (formats.date_format(a.starts_at, "N j, Y, P"), a.place)
                    for a in copy.appointments
                ],
                level=3,
            )
        )
    parts.append(
        Part(
            _("Your rights"),
            [
                _(
                    "You have the right to see and get a copy of your record, and to ask us to "
                    "correct it. You can also ask us who we have shared it with. Ask any of our "
                    "staff."
                ),
                _("Made for you on %(when)s.") % {"when": _day(copy.today)},
            ],
        )
    )
    return parts


def _plan_parts(copy: PersonCopy) -> list[Part]:
    if copy.plan is None:
        return [
            Part(
                _("Your plan"),
                [_("You have not agreed a recovery plan with us yet. Ask us when you want to.")],
            )
        ]
    version = copy.plan.version
    sentences = [
        _("You agreed this plan on %(when)s (%(how)s).")
        % {"when": _day(version.agreed_on), "how": version.get_agreed_how_display().lower()},
        (
            _("We will look at it again together by %(when)s.")
            if version.review_by >= copy.today
            else _("It was due to be looked at again on %(when)s. Ask us to go over it with you.")
        )
        % {"when": _day(version.review_by)},
    ]
    plan = Part(_("Your plan"), sentences)
    if version.summary:
        plan.lines.append((_("In your words"), version.summary))
    parts = [plan]
    goals = Part(_("Your goals"), level=3)
    for number, item in enumerate(copy.plan.goals, start=1):
        goals.lines += _goal_lines(number, item.row)
    if not copy.plan.goals:
        goals.sentences.append(_("This plan has no goals written down."))
    parts.append(goals)
    if copy.goals_since:
        since = Part(
            _("Goals you added since"),
            [_("These are not yet part of an agreed plan.")],
            level=3,
        )
        for number, goal in enumerate(copy.goals_since, start=len(copy.plan.goals) + 1):
            since.lines += _goal_lines(number, goal)
        parts.append(since)
    return parts


def _goal_lines(number: int, goal: Any) -> list[tuple[str, str]]:
    lines = [(_("Goal %(n)s") % {"n": number}, f"“{goal.text}”")]
    for label, value in (
        (_("Steps"), goal.steps),
        (_("Strengths you bring"), goal.strengths),
        (_("Who helps"), goal.who_helps),
        (_("By"), _day(goal.target_date)),
        (_("Where it stands"), goal.get_status_display()),
    ):
        if value:
            lines.append((label, value))
    return lines


def _wellness_parts(copy: PersonCopy) -> list[Part]:
    lines_text = " ".join(
        _("%(label)s: %(number)s.") % {"label": line.label, "number": line.number}
        for line in crisis_lines()
    )
    crisis = _("In a crisis, any time: %(lines)s If you are in danger now, call 911.") % {
        "lines": lines_text
    }
    plan = copy.wellness
    if plan is None:
        return [
            Part(
                _("Your wellness and crisis plan"),
                [_("You have not written one with us yet. Ask us if you would like to."), crisis],
            )
        ]
    return [
        Part(
            _("Your wellness and crisis plan"),
            [
                _("You went over it with %(name)s on %(when)s.")
                % {"name": display_name(plan.written_with), "when": _day(plan.updated_on)},
                crisis,
            ],
            [(label, text) for label, text in plan.parts() if text],
        )
    ]


def _consent_part(copy: PersonCopy) -> Part:
    part = Part(_("What you agreed we may share"), level=3)
    for c in copy.consents:
        who = (
            _("the people who treat you, your health plan, and our program")
            if c.general_designation
            else ", ".join(c.recipient_list)
        )
        state = (
            _("you took this back on %(when)s") % {"when": _day(c.revoked_on)}
            if c.revoked_on
            else _("ends %(when)s") % {"when": _day(c.expires_on)}
            if c.expires_on
            else _("ends %(event)s") % {"event": c.expiry_event}
        )
        part.lines.append(
            (
                who,
                _("%(what)s, for %(why)s; signed %(signed)s; %(state)s")
                % {
                    "what": c.information
                    if c.as_described
                    else f"{c.information} ({', '.join(c.category_labels)})",
                    "why": ", ".join(str(x) for x in c.purpose_labels),
                    "signed": _day(c.signed_on) or "—",
                    "state": state,
                },
            )
        )
    if not copy.consents:
        part.sentences.append(_("You have not agreed that we share anything."))
    for r in copy.restrictions:
        if r.active:
            part.lines.append(
                (
                    _("You asked us not to"),
                    r.get_use_display() + (f" ({r.detail})" if r.detail else ""),
                )
            )
    for d in copy.disclosures:
        part.lines.append(
            (
                _("Shared on %(when)s") % {"when": _day(timezone.localdate(d.disclosed_at))},
                _("with %(who)s, for %(why)s")
                % {"who": d.recipient, "why": d.get_purpose_display()}
                + (
                    "; " + _("shared: %(what)s") % {"what": ", ".join(d.released_labels)}
                    if d.released_categories
                    else ""
                ),
            )
        )
    return part


def copy_pdf(parts: list[Part], *, title: str, subtitle: str) -> bytes:
    """The copy as a PDF (fpdf2, with DejaVu Sans for every script the person may write in)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="Letter")
    pdf.set_title(title)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def write(text: str, *, size: int = 11, bold: bool = False, indent: float = 0) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    write(title, size=18, bold=True)
    write(subtitle)
    for part in parts:
        pdf.ln(4)
        write(part.heading, size=14 if part.level == 2 else 12, bold=True)
        for sentence in part.sentences:
            write(sentence)
        for label, text in part.lines:
            if text:
                write(label, bold=True)
                write(text, indent=5)
    return bytes(pdf.output())
