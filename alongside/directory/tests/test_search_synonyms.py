"""Search synonyms as the directory reads them: one store (``core.SearchSynonym``), edited by
the operator's directory editors at /staff/search-synonyms/, audited, with directory filter
codes checked against the taxonomy, and read at once by the directory and library searches."""

from django.test import Client

from alongside.core.models import AuditEvent, SearchSynonym
from alongside.core.synonyms import expand_terms, read_query, with_plain_words
from alongside.directory.tests import personas

operator = personas.operator
operator_editor = personas.operator_editor
editor = personas.editor
LIST = "/staff/search-synonyms/"


def names(**params) -> set[str]:
    found = Client().get("/api/v1/search", {"per_page": 100, **params}).json()
    return {r["name"] for r in found["results"]}


def test_an_editor_adds_words_that_searches_then_read(sample, operator_editor, sign_in):
    assert names(q="oxford house") == set()  # also fills the cache of synonyms
    client = sign_in(operator_editor)
    assert client.get(LIST).status_code == 200
    response = client.post(
        f"{LIST}add/",
        {
            "key": "oxford-house",
            "terms": "Oxford house\nthree-quarter house",
            "expansions": "recovery housing",
            "codes": "type:recovery_housing",
        },
    )
    assert response.status_code == 302
    added = SearchSynonym.objects.get(key="oxford-house")
    assert added.terms == ["oxford house", "three-quarter house"]
    assert added.codes == ["type:recovery_housing"]
    assert AuditEvent.objects.filter(
        object_type="core.searchsynonym", object_id=str(added.pk), action="create"
    ).exists()
    assert read_query("oxford house").codes == ("type:recovery_housing",)
    assert with_plain_words("oxford house") == "recovery housing"
    assert "recovery housing" in expand_terms(["oxford", "house"])
    assert names(q="oxford house") == names(type="recovery_housing") != set()

    response = client.post(
        f"{LIST}{added.pk}/",
        {"key": "oxford-house", "terms": "oxford house", "expansions": "recovery housing"},
    )
    assert response.status_code == 302
    assert read_query("oxford house").codes == ()  # no filter now: only a text search

    assert client.post(f"{LIST}{added.pk}/delete/").status_code == 302
    assert not SearchSynonym.objects.filter(key="oxford-house").exists()
    assert read_query("oxford house").read == ()


def test_a_code_that_is_no_filter_is_refused(sample, operator_editor, sign_in):
    client = sign_in(operator_editor)
    response = client.post(
        f"{LIST}add/",
        {"key": "sober-x", "terms": "sober x", "expansions": "sober", "codes": "type:nonsense"},
    )
    assert response.status_code == 400
    assert "is not a filter code" in response.content.decode()
    assert not SearchSynonym.objects.filter(key="sober-x").exists()


def test_the_editing_page_shows_and_keeps_the_codes(sample, operator_editor, sign_in):
    client = sign_in(operator_editor)
    assert "focus:substance_use" in client.get(LIST).content.decode()
    group = SearchSynonym.objects.get(key="alcohol")
    page = client.get(f"{LIST}{group.pk}/").content.decode()
    assert "focus:substance_use" in page and 'name="codes"' in page


def test_only_the_operators_editors_reach_the_search_synonyms(sample, editor, sign_in):
    client = sign_in(editor)
    assert client.get(LIST).status_code == 404
    assert (
        client.post(f"{LIST}add/", {"key": "x", "terms": "x", "expansions": "y"}).status_code == 404
    )
    # The directory's own page of search words is gone: the one list is the core's.
    assert client.get("/staff/directory/synonyms/").status_code == 404
