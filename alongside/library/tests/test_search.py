"""Library search: any word counts, by where it is found, with the shared synonym list."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _results(client, query):
    body = client.get("/library/", {"q": query}).content.decode()
    return re.findall(r'class="article-list__title" href="/library/([^"/]+)/"', body), body


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("my son uses drugs", "support-for-families"),
        ("depression", "what-is-peer-support"),
        ("AA meetings", "forms-of-peer-support"),
    ],
)
def test_what_people_type_finds_a_sensible_first_article(client, library, query, first):
    found, _body = _results(client, query)
    assert found and found[0] == first


def test_any_word_counts_and_the_title_counts_most(client, library):
    found, _body = _results(client, "privacy zebra")
    assert found[0] == "your-privacy-with-a-peer"


def test_a_word_the_person_typed_counts_more_than_a_synonym(client, library):
    found, _body = _results(client, "online groups")
    assert found[0] == "online-peer-groups"


def test_nothing_found_offers_the_starting_articles_and_the_directory(client, library):
    found, body = _results(client, "zebra")
    assert 'role="status">No articles match “zebra”.</p>' in body
    assert found[:4] == [
        "what-is-peer-support",
        "first-meeting-with-a-peer-specialist",
        "forms-of-peer-support",
        "support-for-families",
    ]
    assert 'href="/find/"' in body


def test_search_reads_a_few_queries(client, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/library/", {"q": "my son uses drugs"}).status_code == 200
