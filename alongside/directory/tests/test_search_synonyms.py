"""The directory editors' own search words: added and removed in the staff area, audited,
and read by the directory and library searches."""

from django.test import Client

from alongside.core.models import AuditEvent
from alongside.core.synonyms import read_query, with_plain_words
from alongside.directory.models import SearchSynonym
from alongside.directory.tests import personas

operator = personas.operator
operator_editor = personas.operator_editor
editor = personas.editor


def names(**params) -> set[str]:
    found = Client().get("/api/v1/search", {"per_page": 100, **params}).json()
    return {r["name"] for r in found["results"]}


def test_an_editor_adds_words_that_searches_then_read(sample, operator_editor, sign_in):
    assert names(q="oxford house") == set()
    client = sign_in(operator_editor)
    assert client.get("/staff/directory/synonyms/").status_code == 200
    response = client.post(
        "/staff/directory/synonyms/",
        {
            "words": "Oxford house, three-quarter house",
            "means": "recovery housing",
            "codes": "type:recovery_housing",
        },
    )
    assert response.status_code == 302
    added = SearchSynonym.objects.get()
    assert added.word_list() == ("oxford house", "three-quarter house")
    assert AuditEvent.objects.filter(
        object_type="directory.searchsynonym", action="create"
    ).exists()
    assert read_query("oxford house").codes == ("type:recovery_housing",)
    assert with_plain_words("oxford house") == "recovery housing"
    assert names(q="oxford house") == names(type="recovery_housing") != set()

    assert client.post(f"/staff/directory/synonyms/{added.id}/remove/").status_code == 302
    assert not SearchSynonym.objects.exists()
    assert read_query("oxford house").codes == ()


def test_a_code_that_is_no_filter_is_refused(sample, operator_editor, sign_in):
    client = sign_in(operator_editor)
    response = client.post(
        "/staff/directory/synonyms/",
        {"words": "sober", "means": "sober", "codes": "type:nonsense"},
    )
    assert response.status_code == 400
    assert "is not a filter code" in response.content.decode()
    assert not SearchSynonym.objects.exists()


def test_only_the_operators_editors_reach_the_search_words(sample, editor, sign_in):
    client = sign_in(editor)
    assert client.get("/staff/directory/synonyms/").status_code == 404
    assert (
        client.post("/staff/directory/synonyms/", {"words": "x", "means": "y"}).status_code == 404
    )
