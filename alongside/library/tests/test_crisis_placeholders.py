"""Crisis lines in articles follow the deployment: placeholders, never numbers in the text."""

import re

import pytest
from django.core.exceptions import ValidationError

from alongside.library.models import Article
from alongside.library.placeholders import PHONE_NUMBER
from alongside.library.rendering import render_markdown
from alongside.library.services import LibraryLoadError, article_save, library_load
from alongside.library.tests.conftest import article_fields

pytestmark = pytest.mark.django_db

NEW_HAMPSHIRE = (
    "988 Suicide & Crisis Lifeline|988|call,text,chat;NH Rapid Response|833-710-6477|call,text"
)
# A fictional region, with a number from the range kept for fiction.
ELSEWHERE = (
    "988 Suicide & Crisis Lifeline|988|call,text;"
    "Elsewhere Crisis Line (fictional)|555-555-0142|call"
)
NATIONAL_ONLY = "988 Suicide & Crisis Lifeline|988|call,text,chat"


def _digits(number):
    return re.sub(r"\D", "", number)


def _phone_numbers(html):
    return {_digits(match) for match in PHONE_NUMBER.findall(html)}


@pytest.mark.parametrize(
    ("lines", "configured", "absent"),
    [
        (NEW_HAMPSHIRE, {"8337106477"}, "5555550142"),
        (ELSEWHERE, {"5555550142"}, "8337106477"),
    ],
)
def test_every_article_shows_only_the_configured_lines(
    client, library, settings, lines, configured, absent
):
    settings.ALONGSIDE_CRISIS_LINES = lines
    shown = set()
    for slug in Article.objects.values_list("slug", flat=True):
        response = client.get(f"/library/{slug}/")
        assert response.status_code == 200
        numbers = _phone_numbers(response.content.decode())
        assert numbers <= configured, (slug, numbers - configured)
        shown |= numbers
    assert shown == configured and absent not in shown


def test_the_regional_line_is_said_in_a_whole_sentence(client, library, settings):
    settings.ALONGSIDE_CRISIS_LINES = ELSEWHERE
    body = client.get("/library/warm-lines-and-crisis-lines/").content.decode()
    assert (
        'You can also call Elsewhere Crisis Line (fictional) at <a href="tel:5555550142">'
        "555-555-0142</a>." in body
    )
    assert "New Hampshire" not in body


def test_without_a_regional_line_nothing_is_left_hanging(client, library, settings):
    settings.ALONGSIDE_CRISIS_LINES = NATIONAL_ONLY
    for slug in ("warm-lines-and-crisis-lines", "support-for-families"):
        body = client.get(f"/library/{slug}/").content.decode()
        article = body.split('class="library-body"')[1].split("</div>")[0]
        assert "You can also" not in article and "[[" not in article
        assert "<p></p>" not in article
        assert 'href="tel:988"' in article


def test_placeholders_render_from_the_settings(settings):
    settings.ALONGSIDE_CRISIS_LINES = NEW_HAMPSHIRE
    rendered = render_markdown("## Help\n\nCall [[crisis:988]].\n\n[[crisis:region]]\n")
    assert '<p>Call <a href="tel:988">988</a>.</p>' in rendered.html
    assert (
        '<p>You can also call or text NH Rapid Response at <a href="tel:8337106477">'
        "833-710-6477</a>.</p>" in rendered.html
    )


# --- refused when loaded or saved --------------------------------------------------------


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_load_library_refuses_a_phone_number_naming_file_and_line(content_copy):
    path = content_copy / "support-for-families.md"
    _edit(path, "[[crisis:region]]", "In New Hampshire, call NH Rapid Response at 833-710-6477.")
    line = (
        path.read_text()
        .splitlines()
        .index("In New Hampshire, call NH Rapid Response at 833-710-6477.")
    )
    with pytest.raises(LibraryLoadError) as caught:
        library_load(content_copy)
    assert caught.value.problems == [
        f"support-for-families.md: line {line + 1}: a phone number (833-710-6477) is written in "
        "the text. Name crisis lines with [[crisis:988]] or [[crisis:region]], and no other "
        "numbers."
    ]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "number", ["(603) 555-0123", "1-800-662-4357", "1-800-662-HELP", "603.555.0199", "555-0123"]
)
def test_every_way_of_writing_a_number_is_refused(content_copy, number):
    _edit(content_copy / "what-is-peer-support.md", "## ", f"Call {number} any time.\n\n## ")
    with pytest.raises(LibraryLoadError, match=r"what-is-peer-support.md: line \d+: a phone"):
        library_load(content_copy)


def test_a_number_in_the_front_matter_is_refused_too(content_copy):
    _edit(
        content_copy / "warm-lines-and-crisis-lines.md",
        'call 988."',
        'call 988 or 833-710-6477."',
    )
    with pytest.raises(LibraryLoadError, match=r"warm-lines-and-crisis-lines.md: line 10: a phone"):
        library_load(content_copy)


def test_a_regional_placeholder_inside_a_sentence_is_refused(content_copy):
    _edit(
        content_copy / "support-for-families.md",
        "[[crisis:region]]",
        "Or call [[crisis:region]] now.",
    )
    with pytest.raises(LibraryLoadError, match=r"put \[\[crisis:region\]\] on a line of its own"):
        library_load(content_copy)


def test_an_unknown_placeholder_is_refused(content_copy):
    _edit(content_copy / "support-for-families.md", "[[crisis:region]]", "[[crisis:nh]]")
    with pytest.raises(LibraryLoadError, match=r"unknown placeholder \[\[crisis:nh\]\]"):
        library_load(content_copy)


def test_the_web_editor_cannot_save_a_phone_number(django_capture_on_commit_callbacks):
    body = "## Help\n\nCall NH Rapid Response at 833-710-6477.\n"
    with pytest.raises(ValidationError) as caught:
        article_save(**article_fields(body_markdown=body, references=[{"text": "A."}]))
    assert "Line 3: a phone number (833-710-6477)" in caught.value.message_dict["body_markdown"][0]
