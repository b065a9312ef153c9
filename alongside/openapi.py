"""``/api/openapi.json``: one OpenAPI document for the public directory's API, the read-only
HSDS API (``/api/hsds/``) and the search (``/api/v1/search``), for integrators who look there
first. It is put together from the two APIs' own documents, which ninja builds and serves:
the HSDS API's at ``/api/hsds/openapi.json``, and the token API's, which needs a token for
all but the search, at ``/api/v1/openapi.json``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from alongside.api import api
from alongside.directory.api_hsds import hsds_api
from alongside.lib.public_answers import public_answer

if TYPE_CHECKING:
    from django.http import HttpRequest

SEARCH_PATH = "/api/v1/search"
_REF = "#/components/schemas/"


def _refs(node: Any) -> set[str]:
    """The names of the schemas ``node`` refers to, directly."""
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(_REF)} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _renamed(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: _REF + names[v.removeprefix(_REF)]
            if k == "$ref" and v.removeprefix(_REF) in names
            else _renamed(v, names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return node


def public_document() -> dict[str, Any]:
    """The HSDS API's document with the search's path and the schemas it uses added (a name
    the HSDS document already uses for another schema gets a ``Search`` prefix)."""
    document = hsds_api.get_openapi_schema()
    v1 = api.get_openapi_schema()
    schemas = v1["components"]["schemas"]
    needed, todo = set(), _refs(v1["paths"][SEARCH_PATH])
    while todo:
        name = todo.pop()
        needed.add(name)
        todo |= _refs(schemas[name]) - needed
    ours = document.setdefault("components", {}).setdefault("schemas", {})
    names = {n: f"Search{n}" if n in ours and ours[n] != schemas[n] else n for n in needed}
    for name in needed:
        ours[names[name]] = _renamed(schemas[name], names)
    document["paths"][SEARCH_PATH] = _renamed(v1["paths"][SEARCH_PATH], names)
    document["info"] = {
        "title": "Alongside public directory API",
        "version": document["info"]["version"],
        "description": "The peer support directory, read-only and with no account: Open "
        "Referral HSDS 3.0 at /api/hsds/, and the search behind the /find/ page at "
        "/api/v1/search. CORS open; ETag and If-None-Match supported.",
    }
    return document


@require_safe
def public_openapi(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(public_document()), content_type="application/json; charset=utf-8"
    )
    return public_answer(request, response, max_age=300)
