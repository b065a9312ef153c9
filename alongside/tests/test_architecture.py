"""Architecture rules a test holds: no view or API route filters by organization by hand.

With scoped managers (``core.tenancy``) a view needs no organization filter, and the one for
a record by id is ``get_for_org_or_404``; a hand-written filter is a second way that the next
app would copy.
"""

import ast
from pathlib import Path

ALONGSIDE = Path(__file__).resolve().parents[1]
# The HSDS API's "organization" is the directory's provider of a listing, a public record with
# nothing to do with tenancy: its organization_id parameter filters listings by provider.
PROVIDER_NOT_TENANT = {ALONGSIDE / "directory" / "api_hsds.py"}


HAND_FILTER_KEYWORDS = {"organization", "organization_id"}


def _view_and_route_modules() -> list[Path]:
    modules = []
    for path in ALONGSIDE.rglob("*.py"):
        parts = path.relative_to(ALONGSIDE).parts
        if "tests" in parts or "migrations" in parts or path in PROVIDER_NOT_TENANT:
            continue
        name = path.stem
        in_package = any(p in {"views", "api"} for p in parts[:-1])
        if (
            in_package
            or name in {"views", "api", "routes"}
            or name.endswith(("_views", "_api"))
            or name.startswith("api_")
        ):
            modules.append(path)
    return modules


def _name(path: Path) -> str:
    return str(path.relative_to(ALONGSIDE)) if path.is_relative_to(ALONGSIDE) else path.name


def _hand_filters(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called == "for_org":
            found.append(f"{_name(path)}:{node.lineno} for_org()")
        if called not in {"filter", "exclude", "get", "get_object_or_404", "first"}:
            continue
        for keyword in node.keywords:
            name = keyword.arg or ""
            if name in HAND_FILTER_KEYWORDS or name.startswith("organization__"):
                found.append(f"{_name(path)}:{node.lineno} {called}({name}=…)")
    return found


def test_the_hand_filter_check_finds_one():
    source = "Thing.objects.filter(organization=request.organization)\n"
    probe = ALONGSIDE / "tests" / "_probe_views.py"
    probe.write_text(source)
    try:
        assert _hand_filters(probe) == ["tests/_probe_views.py:1 filter(organization=…)"]
    finally:
        probe.unlink()


def test_no_view_or_route_filters_by_organization_by_hand():
    modules = _view_and_route_modules()
    assert any(p.match("care/views/participants.py") for p in modules)
    assert any(p.match("care/api/*.py") for p in modules)
    found = [hit for path in modules for hit in _hand_filters(path)]
    assert found == [], "Use the scoped manager or tenancy.get_for_org_or_404: " + ", ".join(found)


def test_api_schemas_have_names_of_their_own():
    # django-ninja names an OpenAPI component after its class: a second class of the same name
    # silently replaces the first in the document, and clients then read the wrong shape.
    from ninja import Schema

    import alongside.urls  # noqa: F401 -- every API module imported

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in [sub, *subclasses(sub)]]

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("alongside.")]
    names = [c.__name__ for c in ours]
    twice = {
        name: sorted(c.__module__ for c in ours if c.__name__ == name)
        for name in names
        if names.count(name) > 1
    }
    assert twice == {}
