"""A member deactivated under Team keeps no way into care: no calendar feed, no new caseload."""

from django.urls import reverse

from alongside.care.forms import care_staff
from alongside.core.services_team import member_deactivate


def test_deactivated_members_calendar_feed_stops(client, sign_in, admin, member, org):
    response = sign_in(member).post(reverse("care:calendar_feed_manage"), {"action": "reset"})
    token = response.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
    member_deactivate(membership=member.memberships.get(organization=org), actor=admin)
    assert client.get(reverse("care:calendar_feed", args=[token])).status_code == 404


def test_deactivated_member_is_not_offered_as_a_specialist(admin, member, org):
    assert member in care_staff(org)
    member_deactivate(membership=member.memberships.get(organization=org), actor=admin)
    assert member not in care_staff(org)
