"""The public library pages: no account, no cookies, everything an article promises."""

import re

import pytest
from django.test import Client

from alongside.library.models import Article

pytestmark = pytest.mark.django_db
ARTICLE = "/library/warm-lines-and-crisis-lines/"


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_index_lists_every_category_and_article(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = _get(client, "/library/")
    for article in Article.objects.all():
        assert f'href="/library/{article.slug}/"' in body
    for category in set(Article.objects.values_list("category", flat=True)):
        assert f">{category}</h3>" in body
    assert "Newest reviewed" in body and 'name="q"' in body


def test_index_leads_with_what_a_person_looking_for_help_needs_first(client, library):
    body = _get(client, "/library/")
    start = body.index("Start here</h2>")
    assert start < body.index("Browse by topic</h2>") < body.index("Newest reviewed</h2>")
    categories = re.findall(r'<h3 id="category-[^"]+">([^<]+)</h3>', body)
    assert categories == [
        "Getting started",
        "What to expect",
        "Finding support",
        "For families",
        "Becoming a peer",
        "Research",
    ]
    first_seen = [
        body.index(f'href="/library/{slug}/"')
        for slug in (
            "what-is-peer-support",
            "first-meeting-with-a-peer-specialist",
            "forms-of-peer-support",
            "support-for-families",
            "becoming-a-certified-peer-specialist",
            "what-the-research-says",
        )
    ]
    assert first_seen == sorted(first_seen)
    assert body.index('href="/careers/"') > body.index("Browse by topic</h2>")


def test_search_finds_other_forms_of_a_word(client, library):
    body = _get(client, "/library/?q=calling")
    status = re.search(r'<p class="library-results__count" role="status">(.*?)</p>', body)
    assert status and re.match(r"\d+ articles match “calling”\.", status.group(1))
    first = re.search(r'class="article-list__title" href="([^"]+)"', body)
    assert first and first.group(1) == ARTICLE


def test_search_without_results_says_so_and_suggests_what_to_try(client, library):
    body = _get(client, "/library/?q=zebra")
    assert 'role="status">No articles match “zebra”.</p>' in body
    assert "Try fewer words" in body and "Browse by topic" in body


def test_search_words_are_escaped(client, library):
    body = _get(client, "/library/?q=%3Cscript%3E")
    assert "<script>" not in body.split("</head>")[1]


def test_unknown_article_is_404(client, library):
    assert client.get("/library/no-such-article/").status_code == 404


@pytest.mark.parametrize("path", ["/library/", "/library/?q=peer", ARTICLE])
def test_anonymous_pages_set_no_cookie(library, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response.cookies == {} and "Set-Cookie" not in response.headers


def test_article_page_has_every_part(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = _get(client, ARTICLE)
    assert "The short version</h2>" in body and "If someone is in danger right now" in body
    assert "On this page</h2>" in body and 'href="#the-quick-guide"' in body
    assert '<h2 id="the-quick-guide">' in body
    assert "Reviewed on" in body and 'datetime="2026-11-20"' in body
    assert "Alongside editorial team" in body and "Last changed" in body
    assert '<li id="ref-1"><a href="https://988lifeline.org" rel="noopener">' in body
    assert '<li id="ref-2">' in body and 'href="#ref-2"' in body
    assert "Also in the library</h2>" in body and 'href="/library/forms-of-peer-support/"' in body
    assert '<a class="button button--primary" href="/find/?type=warm_line">' in body
    assert "It is not medical advice." in body
    assert 'class="crisis-link" href="/crisis/"' in body
    assert "-minute read" in body


def test_article_page_has_its_description_and_open_graph_tags(client, library):
    body = _get(client, ARTICLE)
    article = Article.objects.get(slug="warm-lines-and-crisis-lines")
    assert f'<meta name="description" content="{article.description}">' in body
    assert '<meta property="og:type" content="article">' in body
    assert f'<meta property="og:url" content="http://testserver{ARTICLE}">' in body
    assert (
        '<meta property="og:title" content="Warm lines and crisis lines: which to call when">'
        in body
    )
    assert "og:description" in body


def test_article_page_has_no_inline_script_or_style(client, library):
    body = _get(client, ARTICLE)
    assert "<script>" not in body and "<style" not in body and "style=" not in body


def test_html_in_an_article_body_is_shown_as_text(client, make_article):
    make_article(body_markdown="## Part\n\n<script>alert('x')</script>\n")
    body = _get(client, "/library/test-article/")
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_only_editors_see_the_edit_links(client, article, editor, sign_in):
    assert "Edit history" not in _get(client, "/library/test-article/")
    body = _get(sign_in(editor), "/library/test-article/")
    assert 'href="/library/edit/test-article/history/"' in body
