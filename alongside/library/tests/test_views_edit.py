"""The editors' pages: who may use them, preview, save and the review list."""

import datetime

import pytest
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.core.search import search_matches
from alongside.library.models import Article
from alongside.library.tests.conftest import article_fields

pytestmark = pytest.mark.django_db
EDIT = "/library/edit/test-article/"
PAGES = ["/library/edit/", EDIT, EDIT + "history/"]


def _form(**overrides):
    fields = article_fields(**overrides)
    data = {name: fields[name] for name in ["title", "category", "description", "reviewer"]}
    data.update(
        short_version="\n".join(fields["short_version"]),
        body_markdown=fields["body_markdown"],
        reviewed_on=fields["reviewed_on"].isoformat(),
        directory_link=fields["directory_link"],
        directory_link_text=fields["directory_link_text"],
        note="",
    )
    return data


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, article, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_members_without_the_permission_get_403(member, article, sign_in, path):
    assert sign_in(member).get(path).status_code == 403


def test_a_member_without_permission_cannot_save(member, article, sign_in):
    response = sign_in(member).post(EDIT, {**_form(title="Taken over"), "action": "save"})
    assert response.status_code == 403
    assert Article.objects.get().title == article.title


def test_editors_who_need_two_factor_must_verify_first(client, admin, article, settings):
    from alongside.library.services import library_editor_grant

    library_editor_grant(user=admin)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(EDIT)
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")


def test_preview_shows_the_rendered_text_and_saves_nothing(editor, article, sign_in):
    body = _form(body_markdown="## New part\n\nFresh words [1].")
    response = sign_in(editor).post(EDIT, {**body, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200 and "Nothing is saved until you press Save" in html
    assert '<h2 id="new-part">New part</h2>' in html and 'href="#ref-1"' in html
    article.refresh_from_db()
    assert "Fresh words" not in article.body_markdown and article.revisions.count() == 1


def test_save_adds_a_revision_updates_search_and_audits(
    editor, article, sign_in, django_capture_on_commit_callbacks
):
    data = {**_form(body_markdown="## Respite\n\nA calm house [1]."), "note": "Plainer words"}
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(editor).post(EDIT, {**data, "action": "save"})
    assert response.status_code == 302 and response.url == "/library/test-article/"
    revision = article.revisions.first()
    assert (revision.number, revision.saved_by, revision.note) == (2, editor, "Plainer words")
    assert search_matches("library.article", "respite") == [str(article.pk)]
    event = AuditEvent.objects.filter(object_type="library.article", action="update").get()
    assert (event.actor, event.changed_fields) == (editor, ["body_markdown"])


def test_an_invalid_save_shows_errors_by_the_fields_and_changes_nothing(editor, article, sign_in):
    data = _form(short_version="Only one", directory_link="https://example.org/", title="")
    response = sign_in(editor).post(EDIT, {**data, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 200 and "Please check the form" in html
    assert html.count('class="field field--error"') == 3
    assert "Write 3 to 5 points" in html and "starting with /find/" in html
    article.refresh_from_db()
    assert article.title == "A test article about warm lines" and article.revisions.count() == 1


def test_a_citation_without_a_reference_is_an_error_next_to_the_body(editor, article, sign_in):
    response = sign_in(editor).post(
        EDIT, {**_form(body_markdown="## A\n\nSee [7]."), "action": "save"}
    )
    assert "The text cites [7], but there are only 2 references." in response.content.decode()


def test_the_edit_form_shows_the_saved_values(editor, article, sign_in):
    html = sign_in(editor).get(EDIT).content.decode()
    assert "One point.\nTwo points.\nThree points.</textarea>" in html
    assert f'value="{article.reviewed_on.isoformat()}"' in html


def test_the_list_puts_articles_due_for_review_first(
    editor, make_article, sign_in, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_article(slug="a-fresh", title="A fresh article", reviewed_on=today)
    make_article(
        slug="z-old", title="Z old article", reviewed_on=today - datetime.timedelta(days=396)
    )
    client = sign_in(editor)
    with django_assert_max_num_queries(8):
        html = client.get("/library/edit/").content.decode()
    assert html.index("Z old article") < html.index("A fresh article")
    assert html.count("Due for review</span>") == 1 and "1 article is due for review." in html


def test_history_lists_each_version_with_who_and_why(editor, article, sign_in):
    client = sign_in(editor)
    client.post(EDIT, {**_form(title="Second title"), "note": "Clearer title", "action": "save"})
    html = client.get(EDIT + "history/").content.decode()
    assert "Version 2" in html and "Version 1" in html
    assert "by erin" in html and "Clearer title" in html and "Changed: title" in html
