"""The articles in content/library: every required part, and plain language."""

import datetime

import pytest
import textstat

from alongside.library.content import article_file_parse, article_files
from alongside.library.rendering import plain_text, render_markdown
from alongside.library.tests.conftest import CONTENT

FILES = article_files(CONTENT)
SLUGS = {path.stem for path in FILES}
MAX_GRADE = 8


NEW_IN_V2 = {
    "what-a-peer-can-help-with",
    "becoming-a-certified-peer-specialist",
    "online-peer-groups",
    "your-privacy-with-a-peer",
}


def test_the_library_has_every_topic():
    assert len(FILES) >= 14 and NEW_IN_V2 <= SLUGS


def _body(slug):
    return article_file_parse(CONTENT / f"{slug}.md").fields["body_markdown"]


def test_what_a_peer_can_help_with_names_the_six_kinds_with_an_example_each():
    rendered = render_markdown(_body("what-a-peer-can-help-with"))
    headings = [heading.text for heading in rendered.headings]
    for kind in ("Planning", "resources", "Advocacy", "day to day", "Work and housing", "Learning"):
        assert any(kind in heading for heading in headings), kind
    assert rendered.text.count("An everyday example:") == 6


def test_the_certification_article_links_to_the_career_pages_and_says_it_is_per_state():
    body = _body("becoming-a-certified-peer-specialist")
    assert "](/careers/)" in body and "](/careers/NH/)" in body
    assert "does not transfer" in body and "NCPS" in body


def test_the_online_groups_article_covers_choosing_safely():
    text = plain_text(_body("online-peer-groups")).lower()
    for topic in ("who runs it", "trained or certified", "recorded", "cost", "rules", "only way"):
        assert topic in text, topic


def test_the_privacy_article_covers_consent_revoking_and_part_2():
    text = plain_text(_body("your-privacy-with-a-peer"))
    for topic in ("writes down", "Who can see it", "consent", "revoke", "42 CFR Part 2"):
        assert topic in text, topic


def test_every_article_links_to_a_directory_search_not_only_the_front_page():
    for path in FILES:
        link = article_file_parse(path).fields["directory_link"]
        assert link.startswith("/find/?"), path.name
    assert "](/find/?" in _body("what-the-research-says")


def test_the_accuracy_fixes_are_in_place():
    assert "Medicaid" in _body("what-is-peer-support")
    assert "court" in _body("peer-support-alongside-treatment")
    assert "personal responsibility" in _body("recovery-and-chime")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_article_has_every_required_part(path):
    item = article_file_parse(path)
    fields = item.fields
    assert 3 <= len(fields["short_version"]) <= 5
    assert isinstance(fields["reviewed_on"], datetime.date) and fields["reviewer"]
    assert len(fields["references"]) >= 1
    assert item.related and set(item.related) <= SLUGS - {path.stem}
    assert fields["directory_link"].startswith("/find/") and fields["directory_link_text"]
    assert render_markdown(fields["body_markdown"]).headings


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_reference_is_cited_and_every_citation_has_a_reference(path):
    fields = article_file_parse(path).fields
    cited = render_markdown(fields["body_markdown"]).markers
    assert cited == set(range(1, len(fields["references"]) + 1))


def test_the_research_article_has_at_least_five_references():
    fields = article_file_parse(CONTENT / "what-the-research-says.md").fields
    assert len(fields["references"]) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_article_reads_at_grade_eight_or_below(path):
    text = plain_text(article_file_parse(path).fields["body_markdown"])
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{path.name} reads at grade {grade}: use shorter sentences"
