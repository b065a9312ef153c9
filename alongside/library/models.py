"""Library articles: plain-language reading about peer support, global to the deployment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alongside.library.placeholders import text_problems
from alongside.library.rendering import render_markdown

SHORT_VERSION_MIN = 3
SHORT_VERSION_MAX = 5
BULLET_MAX_LENGTH = 200
# Paths under /library/ that are pages, not articles.
RESERVED_SLUGS = frozenset({"edit"})
REFERENCE_KEYS = frozenset({"text", "url"})
SEARCH_KIND = "library.article"  # the kind of SearchDocument an article keeps


def validate_short_version(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Write the short version as a list of sentences."))
    bullets = [item.strip() for item in value]
    if not SHORT_VERSION_MIN <= len(bullets) <= SHORT_VERSION_MAX or not all(bullets):
        raise ValidationError(
            _("Write %(min)d to %(max)d points, one per line (now %(count)d)."),
            params={"min": SHORT_VERSION_MIN, "max": SHORT_VERSION_MAX, "count": len(bullets)},
        )
    if any(len(item) > BULLET_MAX_LENGTH for item in bullets):
        raise ValidationError(
            _("Keep each point under %(max)d characters."), params={"max": BULLET_MAX_LENGTH}
        )


def validate_references(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one reference."))
    for number, reference in enumerate(value, start=1):
        if not isinstance(reference, dict) or not str(reference.get("text") or "").strip():
            raise ValidationError(
                _("Reference %(number)d needs a text."), params={"number": number}
            )
        unknown = sorted(set(reference) - REFERENCE_KEYS)
        if unknown:
            raise ValidationError(
                _("Reference %(number)d has unknown keys: %(keys)s (use text and url)."),
                params={"number": number, "keys": ", ".join(unknown)},
            )
        url = reference.get("url")
        if url is not None and not str(url).startswith(("https://", "http://")):
            raise ValidationError(
                _("The url of reference %(number)d must start with https:// or http://."),
                params={"number": number},
            )


def validate_directory_link(value: str) -> None:
    if not value.startswith("/find/") or any(char.isspace() for char in value):
        raise ValidationError(
            _("Use a directory search: a path starting with /find/, like /find/?type=warm_line.")
        )


def validate_not_future(value: Any) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The review date cannot be in the future."))


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved for a page."), params={"slug": value})


class Article(models.Model):
    slug = models.SlugField(
        _("web address"), max_length=100, unique=True, validators=[validate_not_reserved]
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=80)
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("One or two sentences. Shown in search results and link previews."),
    )
    short_version = models.JSONField(
        _("the short version"), default=list, validators=[validate_short_version]
    )
    body_markdown = models.TextField(_("body"))
    reviewed_on = models.DateField(_("reviewed on"), validators=[validate_not_future])
    reviewer = models.CharField(_("reviewer"), max_length=200)
    directory_link = models.CharField(
        _("directory link"), max_length=300, validators=[validate_directory_link]
    )
    directory_link_text = models.CharField(_("directory link text"), max_length=120)
    references = models.JSONField(_("references"), default=list, validators=[validate_references])
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="ArticleRelation",
        through_fields=("article", "related_article"),
        related_name="+",
        blank=True,
        verbose_name=_("also in the library"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:article", args=[self.slug])

    def clean(self) -> None:
        if not self.body_markdown:
            return
        rendered = render_markdown(self.body_markdown)
        problems: list[str] = []
        if 1 in rendered.heading_levels:
            problems.append(
                gettext(
                    "The page title is the only top heading: start sections with ## instead of #."
                )
            )
        for line, problem in text_problems(self.body_markdown):
            problems.append(
                gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": problem}
            )
        if not rendered.headings:
            problems.append(gettext("Add at least one section heading: a line starting with ##."))
        count = len(self.references) if isinstance(self.references, list) else 0
        missing = sorted(n for n in rendered.markers if not 1 <= n <= count)
        if missing:
            problems.append(
                ngettext(
                    "The text cites %(numbers)s, but there is only %(count)d reference.",
                    "The text cites %(numbers)s, but there are only %(count)d references.",
                    count,
                )
                % {"numbers": ", ".join(f"[{n}]" for n in missing), "count": count}
            )
        if problems:
            raise ValidationError({"body_markdown": problems})


class ArticleRelation(models.Model):
    """One "Also in the library" link, in the order the editor gave."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="relations")
    related_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="incoming_relations"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related_article"], name="library_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related_article")),
                name="library_relation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_article_id}"


class ArticleRevision(models.Model):
    """A copy of an article's words as saved, for the edit history."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_markdown = models.TextField()
    short_version = models.JSONField(default=list)
    # Names of the fields this save changed; the words themselves are in the copy above.
    changed_fields = models.JSONField(default=list)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="library_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"
