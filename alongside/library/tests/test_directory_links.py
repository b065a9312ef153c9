"""Every article's call to action finds something in the (sample) directory."""

from urllib.parse import urlsplit

import pytest

from alongside.directory.sample import load_sample_directory
from alongside.library.content import article_file_parse, article_files
from alongside.library.tests.conftest import CONTENT

pytestmark = pytest.mark.django_db


def test_every_directory_link_finds_services_in_the_sample_directory(client):
    load_sample_directory()
    empty = []
    for path in article_files(CONTENT):
        query = urlsplit(article_file_parse(path).fields["directory_link"]).query
        response = client.get(f"/api/v1/search?{query}")
        assert response.status_code == 200, (path.name, response.content)
        if response.json()["total"] == 0:
            empty.append(f"{path.name}: /api/v1/search?{query}")
    assert empty == []
