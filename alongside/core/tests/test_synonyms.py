"""Search synonyms: expand_terms, loading the file all or nothing, and the editors' page."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.core.models import AuditEvent, SearchSynonym
from alongside.core.roles import Role
from alongside.core.synonyms import (
    SynonymsLoadError,
    expand_terms,
    search_synonym_save,
    synonyms_file,
    synonyms_load,
)

pytestmark = pytest.mark.django_db
LIST = "/staff/search-synonyms/"


def _events(synonym_id=None):
    events = AuditEvent.objects.filter(object_type="core.searchsynonym")
    return events.filter(object_id=str(synonym_id)) if synonym_id else events


# --- expand_terms (the shipped list is seeded by migration core.0008) --------------------


def test_the_typed_words_come_first_then_what_the_groups_add():
    terms = expand_terms(["my", "son", "uses", "drugs"])
    assert terms[:4] == ["my", "son", "uses", "drugs"]
    assert {"family support", "substance use"} <= set(terms[4:])


@pytest.mark.parametrize(
    ("words", "added"),
    [
        (["alcohol"], "substance use"),
        (["AA", "meetings"], "peer-led groups"),
        (["meeting"], "peer-led groups"),
        (["suboxone"], "all pathways welcome"),
        (["methadone"], "medication"),
        (["depression"], "mental health"),
    ],
)
def test_each_group_adds_its_words(words, added):
    assert added in expand_terms(words)


def test_a_phrase_matches_only_its_words_in_order():
    search_synonym_save(key="test-phrase", terms=["loved one"], expansions=["families"])
    assert "families" in expand_terms(["my", "loved", "one"])
    assert "families" not in expand_terms(["one", "loved"])


def test_no_words_and_unknown_words_add_nothing(django_assert_max_num_queries):
    assert expand_terms([]) == []
    with django_assert_max_num_queries(1):
        assert expand_terms(["zebra"]) == ["zebra"]


# --- loading the file --------------------------------------------------------------------


def test_loading_the_shipped_file_again_changes_nothing():
    before = _events().count()
    report = synonyms_load()
    assert report.unchanged and not report.created and not report.changed
    assert _events().count() == before


def test_a_changed_group_is_saved_and_audited(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(synonyms_file().read_text().replace("[depression,", "[depression, the blues,"))
    report = synonyms_load(path)
    assert report.changed == ["mental-health"]
    group = SearchSynonym.objects.get(key="mental-health")
    assert "the blues" in group.terms
    assert _events(group.pk).get().changed_fields == ["terms"]


def test_a_bad_file_names_each_problem_and_loads_nothing(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "groups:\n"
        "  - key: new-one\n    terms: [grief]\n    expansions: [loss]\n"
        "  - key: broken\n    terms: grief\n    expansion: [loss]\n"
    )
    with pytest.raises(SynonymsLoadError) as caught:
        synonyms_load(path)
    assert caught.value.problems == [
        "synonyms.yaml: group 'broken': unknown field 'expansion' (use key, terms, expansions).",
        "synonyms.yaml: group 'broken': terms: must be a list of words or phrases.",
        "synonyms.yaml: group 'broken': expansions: must be a list of words or phrases.",
    ]
    assert not SearchSynonym.objects.filter(key="new-one").exists()


def test_an_empty_list_in_the_last_group_rolls_back_the_others(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "groups:\n"
        "  - key: new-one\n    terms: [grief]\n    expansions: [loss]\n"
        "  - key: empty\n    terms: []\n    expansions: [loss]\n"
    )
    with pytest.raises(SynonymsLoadError, match="group 'empty': terms: Give at least one"):
        synonyms_load(path)
    assert not SearchSynonym.objects.filter(key="new-one").exists()


def test_the_command_says_what_it_did_and_refuses_a_bad_file(tmp_path):
    out = StringIO()
    call_command("load_synonyms", stdout=out)
    assert "0 new, 0 changed" in out.getvalue()
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups: [")
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_synonyms", path=bad, stdout=StringIO())


# --- the editors' page -------------------------------------------------------------------


@pytest.fixture
def operator_editor(settings, org, member_without_role):
    """A directory editor of the organization that runs the directory."""
    settings.ALONGSIDE_OPERATOR_ORG = org.slug
    return member_without_role


def test_an_operator_editor_sees_every_group(
    sign_in, operator_editor, django_assert_max_num_queries
):
    client = sign_in(operator_editor)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "mutual-help-meetings" in body and "peer-led groups" in body


def test_an_operator_editor_adds_changes_and_removes_a_group_and_each_is_audited(
    sign_in, operator_editor
):
    client = sign_in(operator_editor)
    response = client.post(
        f"{LIST}add/", {"key": "grief", "terms": "grief\nLoss of a loved one", "expansions": "loss"}
    )
    assert response.status_code == 302
    group = SearchSynonym.objects.get(key="grief")
    assert group.terms == ["grief", "loss of a loved one"]
    response = client.post(
        f"{LIST}{group.pk}/", {"key": "grief", "terms": "grief", "expansions": "loss\nfamilies"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.expansions == ["loss", "families"]
    assert client.post(f"{LIST}{group.pk}/delete/").status_code == 302
    assert not SearchSynonym.objects.filter(key="grief").exists()
    actions = list(_events(group.pk).order_by("occurred_at").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
    assert all(e.actor_id == operator_editor.pk for e in _events(group.pk))


def test_a_short_name_in_use_and_an_empty_list_are_refused(sign_in, operator_editor):
    client = sign_in(operator_editor)
    response = client.post(f"{LIST}add/", {"key": "alcohol", "terms": "x", "expansions": "y"})
    assert response.status_code == 400 and "Another group has this short name" in (
        response.content.decode()
    )
    group = SearchSynonym.objects.get(key="alcohol")
    response = client.post(f"{LIST}{group.pk}/", {"key": "drugs", "terms": "x", "expansions": "y"})
    assert response.status_code == 400
    response = client.post(
        f"{LIST}{group.pk}/", {"key": "alcohol", "terms": " \n", "expansions": "y"}
    )
    assert response.status_code == 400
    group.refresh_from_db()
    assert "alcohol" in group.terms


def test_a_directory_editor_of_another_organization_gets_404(
    settings, sign_in, make_user, other_org, org
):
    settings.ALONGSIDE_OPERATOR_ORG = org.slug
    editor = make_user("oscar", other_org, [Role.DIRECTORY_EDITOR])
    client = sign_in(editor)
    group = SearchSynonym.objects.get(key="alcohol")
    for path in (LIST, f"{LIST}add/", f"{LIST}{group.pk}/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{LIST}{group.pk}/delete/").status_code == 404
    assert SearchSynonym.objects.filter(pk=group.pk).exists()


def test_a_member_without_the_role_is_refused_and_a_visitor_signs_in(
    client, sign_in, member, operator_editor
):
    assert sign_in(member).get(LIST).status_code == 403
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- directory filter codes, and the cache ----------------------------------------------


def test_the_shipped_groups_name_their_directory_filters():
    # Seeded by migrations core.0008 and core.0009 from content/synonyms.yaml.
    assert SearchSynonym.objects.get(key="alcohol").codes == ["focus:substance_use"]
    assert SearchSynonym.objects.get(key="crisis").codes == []


def test_a_file_with_a_code_that_is_no_filter_loads_nothing(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "groups:\n"
        "  - key: new-one\n    terms: [grief]\n    expansions: [loss]\n"
        "  - key: odd\n    terms: [odd]\n    expansions: [odd]\n    codes: [type:nonsense]\n"
    )
    with pytest.raises(SynonymsLoadError, match="group 'odd': codes: .*is not a filter code"):
        synonyms_load(path)
    assert not SearchSynonym.objects.filter(key="new-one").exists()


def test_the_groups_are_kept_until_a_change(django_assert_num_queries):
    expand_terms(["grief"])
    with django_assert_num_queries(0):
        assert expand_terms(["grief"]) == ["grief"]
    search_synonym_save(key="grief", terms=["grief"], expansions=["loss"])
    assert "loss" in expand_terms(["grief"])
