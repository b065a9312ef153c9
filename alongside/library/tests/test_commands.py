from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.core.models import AuditEvent
from alongside.library.models import Article


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_load_library_reports_what_it_did(content_copy):
    count = len(list(content_copy.glob("*.md")))
    first = _run("load_library", "--path", str(content_copy))
    assert f"{count} new, 0 changed, 0 unchanged" in first
    again = _run("load_library", "--path", str(content_copy))
    assert f"0 new, 0 changed, {count} unchanged" in again


@pytest.mark.django_db
def test_load_library_lists_every_problem_and_loads_nothing(content_copy):
    (content_copy / "zz-notes.md").write_text("Just notes, no front matter.\n")
    with pytest.raises(
        CommandError, match=r"Nothing was loaded: 1 problem .*\n  zz-notes.md: no front matter"
    ):
        _run("load_library", "--path", str(content_copy))
    assert not Article.objects.exists()


def test_library_editor_grant_gives_the_permission_once_and_audits_it(member):
    assert "bob can now edit the library" in _run("library_editor_grant", "--username", "bob")
    assert "already" in _run("library_editor_grant", "--username", "bob")
    member.refresh_from_db()
    assert member.has_perm("library.change_article")
    event = AuditEvent.objects.filter(action="permission_change", object_type="auth.user").get()
    assert event.changed_fields == ["user_permissions"]


def test_library_editor_grant_needs_a_known_user(db):
    with pytest.raises(CommandError, match="No user"):
        _run("library_editor_grant", "--username", "nobody")
