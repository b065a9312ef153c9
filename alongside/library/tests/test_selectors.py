import datetime

import pytest

from alongside.library.selectors import (
    articles_due_for_review,
    articles_for_editing,
    articles_search,
    months_before,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_months_before_keeps_the_day_or_takes_the_months_last_day():
    assert months_before(TODAY, 12) == datetime.date(2025, 11, 23)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


def test_an_article_is_due_once_its_review_is_twelve_months_old(make_article):
    make_article(slug="old", reviewed_on=datetime.date(2025, 11, 23))
    make_article(slug="recent", reviewed_on=datetime.date(2025, 11, 24))
    assert [a.slug for a in articles_due_for_review(TODAY)] == ["old"]


def test_the_review_cycle_follows_the_setting(make_article, settings):
    settings.LIBRARY_REVIEW_MONTHS = 6
    make_article(slug="half-year", reviewed_on=datetime.date(2026, 5, 1))
    assert [a.slug for a in articles_due_for_review(TODAY)] == ["half-year"]


def test_the_editing_list_puts_articles_due_for_review_first(make_article):
    make_article(slug="a-fresh", title="A fresh one", reviewed_on=datetime.date(2026, 10, 1))
    make_article(slug="z-old", title="Z old one", reviewed_on=datetime.date(2025, 10, 23))
    listed = list(articles_for_editing(TODAY))
    assert [(a.slug, a.review_due) for a in listed] == [("z-old", True), ("a-fresh", False)]


def test_everyday_words_find_articles_in_the_words_they_use(library):
    # No article says "bipolar"; the shared synonyms read it as mental health.
    assert articles_search("bipolar")
    assert articles_search("bipolar") == articles_search("mental health")
    assert articles_search("zebra") == []
