"""Reads of library articles: search, the index, and what is due for review."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, QuerySet, Value, When

from alongside.core.search import query_words, word_stems
from alongside.core.synonyms import expand_terms
from alongside.library.models import Article

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


# The index leads with what a person looking for help needs first: what peer support is,
# what to expect, how to find it, and support for families; careers and research come after.
CATEGORY_ORDER = (
    "Getting started",
    "What to expect",
    "Finding support",
    "For families",
    "Becoming a peer",
    "Research",
)
READING_ORDER = (
    "what-is-peer-support",
    "what-a-peer-can-help-with",
    "recovery-and-chime",
    "first-meeting-with-a-peer-specialist",
    "what-a-peer-specialist-does",
    "peer-support-alongside-treatment",
    "your-privacy-with-a-peer",
    "forms-of-peer-support",
    "warm-lines-and-crisis-lines",
    "online-peer-groups",
    "support-for-families",
    "becoming-a-certified-peer-specialist",
    "becoming-a-peer-specialist",
    "what-the-research-says",
)
# "Start here", and what a search that finds nothing offers instead. The site counts no
# readers, so these are the articles most people start with, chosen by the editors.
START_HERE = (
    "what-is-peer-support",
    "first-meeting-with-a-peer-specialist",
    "forms-of-peer-support",
    "support-for-families",
)


def _reading_key(article: Article) -> tuple[int, int, str]:
    category = (
        CATEGORY_ORDER.index(article.category)
        if article.category in CATEGORY_ORDER
        else len(CATEGORY_ORDER)
    )
    slug = (
        READING_ORDER.index(article.slug) if article.slug in READING_ORDER else len(READING_ORDER)
    )
    return category, slug, article.title


def articles_in_reading_order() -> list[Article]:
    """Every article, in the order the index shows them (one query)."""
    return sorted(Article.objects.only(*LIST_FIELDS), key=_reading_key)


def articles_by_topic(articles: list[Article]) -> list[tuple[str, list[Article]]]:
    """``articles`` (in reading order) grouped by category, categories in reading order."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.category, []).append(article)
    return list(groups.items())


def articles_start_here(articles: list[Article]) -> list[Article]:
    by_slug = {article.slug: article for article in articles}
    return [by_slug[slug] for slug in START_HERE if slug in by_slug]


def articles_newest_reviewed(limit: int = 3) -> QuerySet[Article]:
    return Article.objects.only(*LIST_FIELDS).order_by("-reviewed_on", "title")[:limit]


# --- Search -------------------------------------------------------------------------------
# The library holds tens of articles, so search scores each one here rather than in the
# database: a word counts more where it says more about the article (title, then the
# description and short version, then the body), and a word the person typed counts more
# than one the synonym list adds.
TITLE, SUMMARY, BODY = 3, 2, 1
TYPED, ADDED = 2, 1
_STOP_WORDS = (
    "a about am an and any are as at be but by can do does for from get got has have he how i "
    "if in is it its me my of on or our she so some than that the their them there they "
    "this to us was we what when where which who why will with you your"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
_STEMS_CACHE: dict[tuple[int, Any], tuple[str, str, str]] = {}


def _padded(words: list[str]) -> str:
    return f" {' '.join(words)} "


def _article_stems(article: Article) -> tuple[str, str, str]:
    """Title, summary and body stems, each as " a b c ", kept until the article changes."""
    key = (article.pk, article.updated_at)
    if key not in _STEMS_CACHE:
        if len(_STEMS_CACHE) > 1000:
            _STEMS_CACHE.clear()
        summary = " ".join([article.description, *article.short_version])
        _STEMS_CACHE[key] = (
            _padded(word_stems(article.title)),
            _padded(word_stems(summary)),
            _padded(word_stems(article.body_markdown)),
        )
    return _STEMS_CACHE[key]


def _place(needle: str, stems: tuple[str, str, str]) -> int:
    """How much a match of ``needle`` counts: by the best place it is found, 0 if nowhere."""
    for weight, text in zip((TITLE, SUMMARY, BODY), stems, strict=True):
        if needle in text:
            return weight
    return 0


def search_terms(query: str) -> list[tuple[str, int]]:
    """What to look for, as (needle in padded stems, worth), the typed words first."""
    words = query_words(query)
    typed = [word for word in words if word not in STOP_WORDS] or words
    needles: list[tuple[str, int]] = []
    for position, word in enumerate(typed):
        stem = word_stems(word)
        if not stem:
            continue
        # The last word may be unfinished: it also matches as the start of a word.
        last = position == len(typed) - 1 and len(word) >= 3
        needles.append((f" {stem[0]}" if last else f" {stem[0]} ", TYPED))
    # Synonyms see every word, stop words too, so that "my son" can match.
    for term in expand_terms(words)[len(dict.fromkeys(words)) :]:
        stems = word_stems(term)
        if stems:
            needles.append((_padded(stems), ADDED))
    return needles


def articles_search(query: str) -> list[Article]:
    """Articles matching any word of ``query`` or its synonyms, best first.

    Each word counts by where it is found (title, summary, body); "calling" finds "call".
    Ties keep the index's reading order. Two queries: synonyms (none when cached) and articles.
    """
    needles = search_terms(query)
    if not needles:
        return []
    scored = []
    for article in Article.objects.only(*LIST_FIELDS, "short_version", "body_markdown"):
        stems = _article_stems(article)
        score = sum(worth * _place(needle, stems) for needle, worth in needles)
        if score:
            scored.append((-score, _reading_key(article), article))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [article for _score, _key, article in scored]


def article_related(article: Article) -> QuerySet[Article]:
    """The article's "Also in the library" list, in the editor's order."""
    return (
        Article.objects.filter(incoming_relations__article=article)
        .only(*LIST_FIELDS)
        .order_by("incoming_relations__position")
    )


def article_categories() -> list[str]:
    return list(Article.objects.order_by("category").values_list("category", flat=True).distinct())
