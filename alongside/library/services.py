"""Services that change library articles. Each one is audited and keeps the search index current."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from alongside.core.audit import Action, audit_record
from alongside.core.records import record_create, record_update
from alongside.core.search import search_document_put
from alongside.library.content import (
    ArticleFile,
    ArticleFileError,
    article_file_parse,
    article_files,
)
from alongside.library.models import SEARCH_KIND, Article, ArticleRelation, ArticleRevision
from alongside.library.rendering import render_markdown

# The fields article_save writes; a change to any of them makes a new revision.
CONTENT_FIELDS = (
    "title",
    "category",
    "description",
    "short_version",
    "body_markdown",
    "reviewed_on",
    "reviewer",
    "directory_link",
    "directory_link_text",
    "references",
)
EDITOR_PERMISSION = ("library", "change_article")


@dataclass(frozen=True)
class ArticleSaved:
    article: Article
    created: bool
    changed_fields: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changed_fields)


@transaction.atomic
def article_save(
    *,
    slug: str,
    title: str,
    category: str,
    description: str,
    short_version: list[str],
    body_markdown: str,
    reviewed_on: date,
    reviewer: str,
    directory_link: str,
    directory_link_text: str,
    references: list[dict[str, str]] | None = None,
    actor: Any = None,
    note: str = "",
) -> ArticleSaved:
    """Create or update the article ``slug``; a save that changes nothing writes nothing.

    ``references=None`` keeps the article's references (the web editor does not edit them).
    """
    article = Article.objects.select_for_update().filter(slug=slug).first()
    created = article is None
    if article is None:
        article = Article(slug=slug)
    body = body_markdown.replace("\r\n", "\n").strip()
    values: dict[str, Any] = {
        "title": title.strip(),
        "category": category.strip(),
        "description": " ".join(description.split()),
        "short_version": [" ".join(item.split()) for item in short_version],
        "body_markdown": body,
        "reviewed_on": reviewed_on,
        "reviewer": reviewer.strip(),
        "directory_link": directory_link.strip(),
        "directory_link_text": directory_link_text.strip(),
    }
    if references is not None:
        values["references"] = [
            {key: str(value).strip() for key, value in reference.items()}
            if isinstance(reference, dict)
            else reference
            for reference in references
        ]
    changed = [name for name, value in values.items() if getattr(article, name) != value]
    if not created and not changed:
        return ArticleSaved(article=article, created=False)
    if created:
        for name, value in values.items():
            setattr(article, name, value)
        record_create(article, actor=actor, fields=["slug", *CONTENT_FIELDS])
    else:
        record_update(article, actor=actor, fields=CONTENT_FIELDS, data=values)
    _revision_add(article=article, actor=actor, note=note, changed_fields=changed)
    # The search index is derived: it follows once the article is saved for good.
    transaction.on_commit(partial(_search_index_put, article), robust=True)
    return ArticleSaved(article=article, created=created, changed_fields=changed)


def _revision_add(*, article: Article, actor: Any, note: str, changed_fields: list[str]) -> None:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    ArticleRevision.objects.create(
        article=article,
        number=(last or 0) + 1,
        title=article.title,
        body_markdown=article.body_markdown,
        short_version=article.short_version,
        changed_fields=changed_fields,
        saved_by=actor,
        note=note.strip()[:300],
    )


def _search_index_put(article: Article) -> None:
    words = render_markdown(article.body_markdown).text
    search_document_put(
        kind=SEARCH_KIND,
        object_id=str(article.pk),
        title=article.title,
        body="\n".join([article.description, *article.short_version, words]),
    )


@transaction.atomic
def article_related_set(*, article: Article, related: list[Article], actor: Any = None) -> bool:
    """Make ``related`` the article's "Also in the library" list, in that order."""
    wanted = [other.pk for other in related]
    current = list(article.relations.values_list("related_article_id", flat=True))
    if wanted == current:
        return False
    if article.pk in wanted:
        raise ValueError(f"{article.slug} cannot be related to itself.")
    article.relations.all().delete()
    ArticleRelation.objects.bulk_create(
        ArticleRelation(article=article, related_article_id=pk, position=position)
        for position, pk in enumerate(wanted)
    )
    audit_record(action=Action.UPDATE, actor=actor, obj=article, changed_fields=["related"])
    return True


def editor_permission() -> Permission:
    app_label, codename = EDITOR_PERMISSION
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def library_editor_grant(*, user: Any, actor: Any = None) -> bool:
    """Let ``user`` edit library articles; False when they already could."""
    permission = editor_permission()
    if user.user_permissions.filter(pk=permission.pk).exists():
        return False
    user.user_permissions.add(permission)
    audit_record(
        action=Action.PERMISSION_CHANGE,
        actor=actor,
        obj=user,
        changed_fields=["user_permissions"],
    )
    return True


class LibraryLoadError(Exception):
    """The files could not be loaded; nothing was changed. ``problems`` name file and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LibraryLoaded:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    related_changed: list[str] = field(default_factory=list)


def library_load(path: Path, *, actor: Any = None) -> LibraryLoaded:
    """Load every ``*.md`` article in ``path``, all or nothing; running it again changes nothing.

    Related slugs are resolved after every article is saved, so articles may point at each
    other; an unknown slug is an error naming the file.
    """
    paths = article_files(path)
    if not paths:
        raise LibraryLoadError([f"{path}: no article files (*.md) found."])
    parsed: list[ArticleFile] = []
    problems: list[str] = []
    for file_path in paths:
        try:
            parsed.append(article_file_parse(file_path))
        except ArticleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LibraryLoadError(problems)

    report = LibraryLoaded()
    with transaction.atomic():
        articles: dict[str, Article] = {}
        for item in parsed:
            try:
                saved = article_save(
                    **item.fields, actor=actor, note=f"Loaded from {item.path.name}"
                )
            except ValidationError as exc:
                problems.extend(_describe(item.path.name, exc))
                continue
            articles[saved.article.slug] = saved.article
            bucket = report.created if saved.created else report.changed
            (bucket if saved.changed else report.unchanged).append(saved.article.slug)
        if problems:
            raise LibraryLoadError(problems)

        wanted = {slug for item in parsed for slug in item.related}
        known = {a.slug: a for a in Article.objects.filter(slug__in=wanted)}
        for item in parsed:
            slug = item.fields["slug"]
            for other in item.related:
                if other == slug:
                    problems.append(f"{item.path.name}: related: an article cannot list itself.")
                elif other not in known:
                    problems.append(f"{item.path.name}: related: no article with slug {other!r}.")
            if len(set(item.related)) != len(item.related):
                problems.append(f"{item.path.name}: related: a slug is listed twice.")
        if problems:
            raise LibraryLoadError(problems)
        for item in parsed:
            article = articles[item.fields["slug"]]
            related = [known[other] for other in item.related]
            if article_related_set(article=article, related=related, actor=actor):
                report.related_changed.append(article.slug)
    return report


# How a model field is named in an article file.
_FILE_FIELD_NAMES = {"body_markdown": "body (the text below the front matter)"}


def _describe(file_name: str, exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{file_name}: {_FILE_FIELD_NAMES.get(name, name)}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [f"{file_name}: {message}" for message in exc.messages]
