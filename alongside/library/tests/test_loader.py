"""services.library_load: all or nothing, clear about what is wrong, and safe to run again."""

import pytest

from alongside.core.models import AuditEvent, SearchDocument
from alongside.library.content import article_files
from alongside.library.models import Article, ArticleRevision
from alongside.library.selectors import article_related
from alongside.library.services import LibraryLoadError, library_load

pytestmark = pytest.mark.django_db


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_loads_every_article_with_its_related_articles_in_order(
    content_copy, django_capture_on_commit_callbacks
):
    count = len(article_files(content_copy))
    with django_capture_on_commit_callbacks(execute=True):
        report = library_load(content_copy)
    assert len(report.created) == Article.objects.count() == count
    article = Article.objects.get(slug="what-is-peer-support")
    assert [a.slug for a in article_related(article)] == [
        "what-a-peer-specialist-does",
        "forms-of-peer-support",
        "peer-support-alongside-treatment",
    ]
    assert SearchDocument.objects.filter(kind="library.article").count() == count


def test_running_again_adds_no_revision_and_no_audit_event(content_copy):
    count = len(article_files(content_copy))
    library_load(content_copy)
    revisions, events = ArticleRevision.objects.count(), AuditEvent.objects.count()
    assert revisions == count
    report = library_load(content_copy)
    assert len(report.unchanged) == count and not report.changed and not report.related_changed
    assert (ArticleRevision.objects.count(), AuditEvent.objects.count()) == (revisions, events)


def test_a_changed_file_makes_one_new_revision(content_copy):
    library_load(content_copy)
    _edit(content_copy / "support-for-families.md", "You are not alone", "You are not on your own")
    report = library_load(content_copy)
    assert report.changed == ["support-for-families"]
    revision = Article.objects.get(slug="support-for-families").revisions.first()
    assert revision.number == 2 and revision.changed_fields == ["body_markdown"]
    assert revision.note == "Loaded from support-for-families.md"


def test_a_bad_date_names_the_file_and_field_and_loads_nothing(content_copy):
    _edit(content_copy / "recovery-and-chime.md", "reviewed_on: 2026-11-20", "reviewed_on: soon")
    with pytest.raises(LibraryLoadError) as caught:
        library_load(content_copy)
    assert caught.value.problems == [
        "recovery-and-chime.md: reviewed_on: use a real date written as YYYY-MM-DD."
    ]
    assert not Article.objects.exists()


def test_a_rule_broken_in_the_last_file_rolls_back_the_others(content_copy):
    # Files load in name order, so most articles are saved before this one fails.
    path = content_copy / "what-the-research-says.md"
    _edit(path, '  - "Peer staff tend to do as well as other staff in similar roles."\n', "")
    _edit(
        path,
        '  - "Some studies find more hope, more control over life, and better ties to care."\n',
        "",
    )
    _edit(
        path,
        '  - "Results are mixed for things like hospital stays, and many studies have limits."\n',
        "",
    )
    with pytest.raises(
        LibraryLoadError, match=r"what-the-research-says.md: short_version: Write 3 to 5"
    ):
        library_load(content_copy)
    assert not Article.objects.exists() and not ArticleRevision.objects.exists()
    assert not SearchDocument.objects.filter(kind="library.article").exists()
    assert not AuditEvent.objects.filter(object_type="library.article").exists()


def test_a_bad_file_on_a_reload_changes_nothing(content_copy):
    library_load(content_copy)
    _edit(content_copy / "becoming-a-peer-specialist.md", "Is peer work", "Is this work")
    _edit(
        content_copy / "what-is-peer-support.md",
        'directory_link: "/find/',
        'directory_link: "/elsewhere/',
    )
    with pytest.raises(LibraryLoadError, match=r"what-is-peer-support.md: directory_link: "):
        library_load(content_copy)
    body = Article.objects.get(slug="becoming-a-peer-specialist").body_markdown
    assert "Is peer work" in body


def test_an_unknown_related_slug_names_the_file(content_copy):
    _edit(
        content_copy / "forms-of-peer-support.md",
        "related: [what-is-peer-support,",
        "related: [no-such-article,",
    )
    with pytest.raises(LibraryLoadError) as caught:
        library_load(content_copy)
    assert caught.value.problems == [
        "forms-of-peer-support.md: related: no article with slug 'no-such-article'."
    ]
    assert not Article.objects.exists()


def test_missing_and_misspelt_fields_are_each_named(content_copy):
    _edit(content_copy / "what-is-peer-support.md", "reviewer:", "reveiwer:")
    with pytest.raises(LibraryLoadError) as caught:
        library_load(content_copy)
    assert caught.value.problems == [
        "what-is-peer-support.md: reveiwer: unknown field (check the spelling).",
        "what-is-peer-support.md: reviewer: missing; every article needs it.",
    ]


def test_broken_yaml_says_where(content_copy):
    _edit(content_copy / "support-for-families.md", 'title: "', "title: [")
    with pytest.raises(
        LibraryLoadError, match=r"support-for-families.md: the front matter is not valid YAML"
    ):
        library_load(content_copy)


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(LibraryLoadError, match="no article files"):
        library_load(tmp_path)
