"""The public library (no account, no cookies) and the editors' pages under /library/edit/."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from alongside.core.middleware import needs_two_factor
from alongside.library import selectors
from alongside.library.forms import CATEGORY_LIST_ID, ArticleForm
from alongside.library.models import Article
from alongside.library.rendering import render_markdown
from alongside.library.services import article_save

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

EDIT_PERMISSION = "library.change_article"
QUERY_MAX_LENGTH = 200


def can_edit(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(EDIT_PERMISSION))


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, allowed to change articles, and past two-factor when the account needs it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_edit(request.user):
            raise PermissionDenied
        # /library/edit/ is outside the middleware's /staff/ guard, so check here too.
        if needs_two_factor(request.user) and not request.user.is_verified():  # type: ignore[union-attr,attr-defined]
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('core:two_factor')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


# --- Public pages -------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"] = selectors.articles_search(query)
    if not query or not context["results"]:
        articles = selectors.articles_in_reading_order()
        context["start_here"] = selectors.articles_start_here(articles)
        context["topics"] = selectors.articles_by_topic(articles)
        context["newest"] = selectors.articles_newest_reviewed() if not query else []
    return render(request, "library/index.html", context)


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    rendered = render_markdown(article.body_markdown, reference_count=len(article.references))
    return render(
        request,
        "library/article.html",
        {
            "article": article,
            "rendered": rendered,
            "related": selectors.article_related(article),
            "can_edit": can_edit(request.user),
            "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        },
    )


# --- Editors ------------------------------------------------------------------------------


@never_cache
@editor_required
@require_safe
def edit_list(request: HttpRequest) -> HttpResponse:
    articles = list(selectors.articles_for_editing(timezone.localdate()))
    for article in articles:
        article.review_due_on = selectors.review_due_on(article)  # type: ignore[attr-defined]
    return render(
        request,
        "library/edit_list.html",
        {
            "articles": articles,
            "due_count": len([a for a in articles if a.review_due]),  # type: ignore[attr-defined]
            "review_months": selectors.review_months(),
        },
    )


@never_cache
@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    # The form works on its own copy, so a preview or a failed save leaves ``article`` as saved.
    form = ArticleForm(request.POST or None, instance=Article.objects.get(pk=article.pk))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            try:
                saved = article_save(
                    slug=article.slug,
                    **form.article_fields(),
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if saved.changed:
                    messages.success(request, _("Saved. The article page shows your changes."))
                else:
                    messages.info(request, _("Nothing changed, so nothing was saved."))
                return redirect(saved.article)
        else:
            preview = render_markdown(
                form.cleaned_data["body_markdown"], reference_count=len(article.references)
            )
    return render(
        request,
        "library/edit.html",
        {
            "article": article,
            "form": form,
            "preview": preview,
            "preview_short_version": form.cleaned_data.get("short_version") if preview else None,
            "categories": selectors.article_categories(),
            "category_list_id": CATEGORY_LIST_ID,
        },
    )


def _add_errors(form: ArticleForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
@editor_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    revisions = list(article.revisions.select_related("saved_by"))
    labels = {f.name: str(f.verbose_name) for f in Article._meta.concrete_fields}
    for revision in revisions:
        revision.changed_labels = [  # type: ignore[attr-defined]
            labels.get(name, name) for name in revision.changed_fields
        ]
    return render(request, "library/history.html", {"article": article, "revisions": revisions})
