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
    print(query, found)
    assert found and found[0] == first
