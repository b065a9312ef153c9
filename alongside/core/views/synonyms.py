"""Search synonyms (/staff/search-synonyms/): the operator's directory editors keep the list
that the library's and the directory's search share. Everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.core import synonyms
from alongside.core.forms import SearchSynonymForm, act_and_tell, form_view
from alongside.core.landing import runs_directory
from alongside.core.models import SearchSynonym
from alongside.core.roles import Role
from alongside.core.tenancy import StaffRequest, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse


def operator_editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A directory editor of the organization that runs the directory: the list is shared."""

    @staff_required(Role.DIRECTORY_EDITOR)
    @wraps(view)
    def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not runs_directory(request.membership):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD"])
@operator_editor_required
def synonym_list(request: StaffRequest) -> HttpResponse:
    return render(
        request, "core/synonyms/list.html", {"groups": SearchSynonym.objects.order_by("key")}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@operator_editor_required
def synonym_add(request: StaffRequest) -> HttpResponse:
    return form_view(
        request,
        SearchSynonymForm(request.POST or None),
        save=lambda data: _save_new(data, request),
        done=lambda _saved: redirect("core:synonyms"),
        success=_("Synonym group added."),
        template="core/synonyms/edit.html",
        context={"group": None},
    )


def _save_new(data: dict[str, Any], request: StaffRequest) -> SearchSynonym:
    # The service changes a group that has the key (as loading the file does); here, refuse.
    if SearchSynonym.objects.filter(key=data["key"]).exists():
        raise ValidationError({"key": _("Another group has this short name.")})
    synonym, _changed = synonyms.search_synonym_save(**data, actor=request.user)
    return synonym


@require_http_methods(["GET", "HEAD", "POST"])
@operator_editor_required
def synonym_edit(request: StaffRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(SearchSynonym, pk=pk)
    initial = {
        "key": group.key,
        "terms": "\n".join(group.terms),
        "expansions": "\n".join(group.expansions),
        "codes": "\n".join(group.codes),
    }
    return form_view(
        request,
        SearchSynonymForm(request.POST or None, initial=initial),
        save=lambda data: _save_existing(data, group, request),
        done=lambda _saved: redirect("core:synonyms"),
        success=_("Synonym group saved."),
        template="core/synonyms/edit.html",
        context={"group": group},
    )


def _save_existing(data: dict[str, Any], group: SearchSynonym, request: StaffRequest) -> Any:
    # A short name another group has is refused by the model's unique check.
    return synonyms.search_synonym_save(**data, synonym=group, actor=request.user)


@require_POST
@operator_editor_required
def synonym_delete(request: StaffRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(SearchSynonym, pk=pk)
    act_and_tell(
        request,
        lambda: synonyms.search_synonym_delete(synonym=group, actor=request.user),
        _("Synonym group removed."),
    )
    return redirect("core:synonyms")
