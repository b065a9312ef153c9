"""The articles in content/library: every required part, and plain language."""

import datetime

import pytest
import textstat

from alongside.library.content import article_file_parse, article_files
from alongside.library.rendering import plain_text, render_markdown
from alongside.library.tests.conftest import CONTENT

FILES = article_files(CONTENT)
SLUGS = {path.stem for path in FILES}
MAX_GRADE = 9


def test_the_library_has_its_ten_articles():
    assert len(FILES) >= 10


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
def test_article_reads_at_grade_nine_or_below(path):
    text = plain_text(article_file_parse(path).fields["body_markdown"])
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{path.name} reads at grade {grade}: use shorter sentences"
