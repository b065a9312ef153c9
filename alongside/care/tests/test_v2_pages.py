"""Issue 19's smaller fixes on care pages: truthful consent labels, the purposes on a consent,
referral results worth choosing from, staff by name, and a Sunday's calendar."""

import datetime

import pytest
from django.urls import reverse

from alongside.care import services
from alongside.care.views.calendar import this_week_start
from alongside.directory.models import Service

pytestmark = pytest.mark.usefixtures("in_org")


def test_consent_fields_needed_with_a_partner_are_not_called_optional(sign_in, member, participant):
    html = sign_in(member).get(reverse("care:consent_create", args=[participant.pk])).content
    for label, partner in [
        ("Who may receive", "(or use the general designation below)"),
        ("Expires on", "(or the event below)"),
        ("Signed (typed name)", "(with the date below, or upload the signed form)"),
    ]:
        assert f'{label} <span class="optional">{partner}</span></label>'.encode() in html
        assert f'{label} <span class="optional">(optional)'.encode() not in html


def test_consent_card_shows_the_purposes_agreed(sign_in, member, participant):
    services.consent_create(
        participant=participant,
        actor=member,
        data={
            "discloser": "Granite Peer Support",
            "recipients": "Harbor Housing Program",
            "information": "Dates of contact",
            "information_categories": ["encounter_dates"],
            "purposes": ["benefits", "family"],
            "expires_on": datetime.date(2026, 12, 31),
            "signature_name": "Jordan Sample",
            "signed_on": datetime.date(2026, 1, 5),
        },
    )
    page = sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    assert (
        "For: Applying for benefits or housing, Keeping family or a support person informed"
        in page.content.decode()
    )


def test_referral_results_show_type_phone_and_a_link_to_the_listing(sign_in, member, participant):
    service = Service.objects.order_by("name").first()
    page = sign_in(member).get(
        reverse("care:referral_create", args=[participant.pk]),
        {"q": service.name.split()[0], "near": "Concord, NH"},
    )
    html = page.content.decode()
    listing = next(r for r in page.context["listings"] if r.service_id == service.pk)
    assert f'href="/find/{service.pk}/"' in html
    assert " miles · " in html and listing.distance_miles is not None
    if listing.phone:
        assert f'href="tel:{listing.phone.dial}"' in html


def test_participant_page_names_the_specialists(sign_in, member, participant):
    member.first_name, member.last_name = "Bob", "Example"
    member.save()
    html = sign_in(member).get(reverse("care:participant", args=[participant.pk])).content
    assert b"<dd>Bob Example</dd>" in html


def test_disclosure_toggles_are_marked_as_controls(sign_in, member, participant):
    html = sign_in(member).get(reverse("care:participant", args=[participant.pk])).content
    assert b'<details class="toggle"><summary>Discharge</summary>' in html


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)),  # a Monday: its own week
        (datetime.date(2026, 3, 7), datetime.date(2026, 3, 2)),  # a Saturday: still this week
        (datetime.date(2026, 3, 8), datetime.date(2026, 3, 9)),  # a Sunday: the coming week
    ],
)
def test_this_week_on_a_sunday_is_the_coming_week(today, monday):
    assert this_week_start(today) == monday


def test_calendar_names_whose_calendar_it_is(sign_in, supervisor, member):
    member.first_name, member.last_name = "Bob", "Example"
    member.save()
    page = sign_in(supervisor).get(reverse("care:calendar"), {"specialist": member.pk})
    assert "Calendar of Bob Example" in page.content.decode()
