"""Reads of library articles: search, the index, and what is due for review."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db.models import BooleanField, Case, QuerySet, Value, When

from alongside.core.search import search_matches
from alongside.core.synonyms import with_plain_words
from alongside.library.models import SEARCH_KIND, Article

# What the index and lists need; the body is only read on the article page.
LIST_FIELDS = ("slug", "title", "category", "description", "reviewed_on", "reviewer", "updated_at")


def review_months() -> int:
    return int(getattr(settings, "LIBRARY_REVIEW_MONTHS", 12))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or that month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def review_due_on(article: Article) -> date:
    """The day an article's review runs out."""
    return months_before(article.reviewed_on, -review_months())


def review_cutoff(today: date) -> date:
    """Articles reviewed on or before this day are due for review."""
    return months_before(today, review_months())


def articles_due_for_review(today: date) -> QuerySet[Article]:
    """Articles last reviewed LIBRARY_REVIEW_MONTHS (default 12) or more ago, oldest first."""
    return (
        Article.objects.filter(reviewed_on__lte=review_cutoff(today))
        .only(*LIST_FIELDS)
        .order_by("reviewed_on", "title")
    )


def articles_for_editing(today: date) -> QuerySet[Article]:
    """Every article, those due for review first (oldest review first), then by title."""
    return (
        Article.objects.only(*LIST_FIELDS)
        .annotate(
            review_due=Case(
                When(reviewed_on__lte=review_cutoff(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-review_due", "reviewed_on", "title")
    )


def articles_by_category() -> QuerySet[Article]:
    """Every article, ordered for grouping by category."""
    return Article.objects.only(*LIST_FIELDS).order_by("category", "title")


def articles_newest_reviewed(limit: int = 3) -> QuerySet[Article]:
    return Article.objects.only(*LIST_FIELDS).order_by("-reviewed_on", "title")[:limit]


def articles_search(query: str) -> list[Article]:
    """Articles matching every word of ``query`` (stemmed: "calling" finds "call"), best first;
    if none does, those matching it with its everyday words put plainly (``core.synonyms``)."""
    ids = search_matches(SEARCH_KIND, query)
    if not ids and (plain := with_plain_words(query)) != query:
        ids = search_matches(SEARCH_KIND, plain)  # "alcohol": as our articles say it
    found = Article.objects.only(*LIST_FIELDS).in_bulk([int(pk) for pk in ids if pk.isdigit()])
    return [found[int(pk)] for pk in ids if pk.isdigit() and int(pk) in found]


def article_related(article: Article) -> QuerySet[Article]:
    """The article's "Also in the library" list, in the editor's order."""
    return (
        Article.objects.filter(incoming_relations__article=article)
        .only(*LIST_FIELDS)
        .order_by("incoming_relations__position")
    )


def article_categories() -> list[str]:
    return list(Article.objects.order_by("category").values_list("category", flat=True).distinct())
