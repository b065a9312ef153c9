"""Fixtures for library tests: a valid article, an editor, and copies of the real content."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from alongside.core.roles import Role
from alongside.library.models import Article
from alongside.library.services import article_save, library_editor_grant

CONTENT = Path(settings.BASE_DIR) / "content" / "library"

BODY = """Peer support is help from someone who has been there [1].

## What a warm line is

A warm line is a phone line run by peers. You can call when you need to talk.

## When to call 988

Call or text 988 in a crisis [2].
"""


def article_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": "test-article",
        "title": "A test article about warm lines",
        "category": "Kinds of support",
        "description": "A short article used by the tests.",
        "short_version": ["One point.", "Two points.", "Three points."],
        "body_markdown": BODY,
        "reviewed_on": timezone.localdate() - datetime.timedelta(days=30),
        "reviewer": "Test reviewer",
        "directory_link": "/find/?type=warm_line",
        "directory_link_text": "Find a warm line near you",
        "references": [
            {"text": "First source."},
            {"text": "Second source.", "url": "https://example.org/source"},
        ],
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_article(db: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Article]:
    def make(**overrides: Any) -> Article:
        # The search index follows after commit; a test's transaction never commits.
        with django_capture_on_commit_callbacks(execute=True):
            return article_save(**article_fields(**overrides)).article

    return make


@pytest.fixture
def article(make_article: Callable[..., Article]) -> Article:
    return make_article()


@pytest.fixture
def library(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The real articles from content/library, indexed for search."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_library", stdout=StringIO())


@pytest.fixture
def editor(make_user: Callable[..., Any], org: Any) -> Any:
    """A member of ``org`` allowed to edit the library."""
    user = make_user("erin", org, [Role.DIRECTORY_EDITOR])
    library_editor_grant(user=user)
    return user


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of content/library that a test may break."""
    target = tmp_path / "library"
    shutil.copytree(CONTENT, target)
    return target
