from django.urls import reverse

from alongside.core.crisis import crisis_lines


def test_open_line_offers_a_chat_and_says_it_is_not_a_crisis_line(client, line):
    response = client.get(reverse("warmline:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is not a crisis line" in page
    assert 'id="warmline-chat"' in page and "Start a chat" in page
    assert "tel:988" in page and "sms:988" in page and "988lifeline.org/chat" in page
    assert all(line_.number in page for line_ in crisis_lines())  # the region's line too
    assert "603-555-0142" in page


def test_no_cookie_before_start(client, line):
    response = client.get(reverse("warmline:index"))
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert response["Cache-Control"] == "no-store"


def test_after_hours_shows_hours_988_and_the_library_instead_of_a_queue(client, closed_line):
    page = client.get(reverse("warmline:index")).content.decode()
    assert "Closed now" in page
    assert 'id="warmline-chat"' not in page
    assert "tel:988" in page
    assert reverse("library:index") in page
    assert "Closed for training (test)" in page


def test_the_page_loads_nothing_from_other_sites(client, line):
    page = client.get(reverse("warmline:index")).content.decode()
    assert '<script src="http' not in page and '<link rel="stylesheet" href="http' not in page
