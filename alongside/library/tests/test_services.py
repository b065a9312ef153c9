"""services.article_save and friends: revisions, the search index and the audit trail."""

import pytest
from django.core.exceptions import ValidationError

from alongside.core.models import AuditEvent
from alongside.core.search import search_matches
from alongside.library.models import Article, ArticleRevision
from alongside.library.services import article_related_set, article_save
from alongside.library.tests.conftest import article_fields

pytestmark = pytest.mark.django_db


def test_creating_an_article_writes_a_revision_the_index_and_an_audit_event(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as indexing:
        saved = article_save(**article_fields(), actor=member, note="First draft")
        assert search_matches("library.article", "warm") == []  # not before commit
    assert len(indexing) == 1
    revision = saved.article.revisions.get()
    assert (revision.number, revision.saved_by, revision.note) == (1, member, "First draft")
    assert search_matches("library.article", "warm") == [str(saved.article.pk)]
    event = AuditEvent.objects.get(object_type="library.article")
    assert (event.action, event.actor) == ("create", member)


def test_an_update_records_only_the_changed_fields(article, member):
    article_save(**article_fields(title="Warm lines, plainly"), actor=member)
    revision = article.revisions.first()
    assert revision.number == 2 and revision.changed_fields == ["title"]
    assert AuditEvent.objects.filter(action="update").get().changed_fields == ["title"]


def test_a_save_that_changes_nothing_writes_nothing(article):
    saved = article_save(**article_fields())
    assert not saved.changed
    assert ArticleRevision.objects.count() == 1 and AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"short_version": ["Only one."]}, "short_version"),
        ({"directory_link": "https://example.org/"}, "directory_link"),
        ({"body_markdown": "# Big title\n\n## Part\n\nText."}, "body_markdown"),
        ({"body_markdown": "## Part\n\nCites [3]."}, "body_markdown"),
        ({"references": []}, "references"),
        ({"references": [{"text": "x", "url": "ftp://x"}]}, "references"),
        ({"slug": "edit"}, "slug"),
    ],
)
def test_invalid_articles_are_refused_and_nothing_is_written(db, overrides, field):
    with pytest.raises(ValidationError) as caught:
        article_save(**article_fields(**overrides))
    assert field in caught.value.message_dict
    assert not Article.objects.exists() and not AuditEvent.objects.exists()


def test_a_review_date_in_the_future_is_refused(db):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        article_save(**article_fields(reviewed_on=tomorrow))


def test_related_articles_keep_their_order_and_are_audited(make_article):
    first = make_article()
    second, third = make_article(slug="second"), make_article(slug="third")
    assert article_related_set(article=first, related=[third, second])
    assert list(first.relations.values_list("related_article__slug", flat=True)) == [
        "third",
        "second",
    ]
    assert not article_related_set(article=first, related=[third, second])
    assert AuditEvent.objects.filter(changed_fields=["related"]).count() == 1
