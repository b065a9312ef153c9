import pytest

from alongside.core import search
from alongside.core.search import (
    search_document_delete,
    search_document_put,
    search_matches,
    search_matches_bounded,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    search_document_put(kind="t", object_id="1", title="Warm lines", body="Call a peer to talk.")
    search_document_put(
        kind="t", object_id="2", title="Recovery groups", body="Groups meeting weekly for recovery."
    )
    search_document_put(kind="other", object_id="9", title="Warm lines elsewhere", body="")


def test_stemming_matches_other_forms_of_a_word(documents):
    assert search_matches("t", "meetings") == ["2"]
    assert search_matches("t", "calling") == ["1"]


def test_every_word_must_match_and_kinds_are_separate(documents):
    assert search_matches("t", "warm line") == ["1"]
    assert search_matches("t", "warm recovery") == []


def test_title_matches_rank_first(documents):
    search_document_put(kind="t", object_id="3", title="Peer respite", body="Not a recovery group.")
    assert search_matches("t", "recovery")[0] == "2"


def test_query_syntax_is_never_interpreted(documents):
    assert search_matches("t", 'warm" OR "x* NEAR(') == []
    assert search_matches("t", "&&& !!! ---") == []


def test_replacing_and_deleting_updates_the_index(documents):
    search_document_put(kind="t", object_id="1", title="Drop-in center", body="")
    assert search_matches("t", "warm") == []
    assert search_matches("t", "drop") == ["1"]
    search_document_delete(kind="t", object_id="1")
    assert search_matches("t", "drop") == []


@pytest.mark.parametrize("probe_rows", [20_000, 3])
def test_bounded_matches_stop_at_the_limit_and_rank_titles_first(db, monkeypatch, probe_rows):
    # With three rows to probe, PostgreSQL finds too few there and asks its index.
    monkeypatch.setattr(search, "PROBE_ROWS", probe_rows)
    for i in range(6):
        search_document_put(kind="test", object_id=f"w{i}", title="Harbor group", body="walk-in")
    search_document_put(kind="test", object_id="respite", title="Harbor respite house")
    search_document_put(kind="test", object_id="body", title="Lakes line", body="Harbor respite")
    assert len(search_matches_bounded("test", "harbor", limit=4)) == 4
    assert search_matches_bounded("test", "respite", limit=4) == {"respite": 0, "body": 1}
    assert search_matches_bounded("test", "harbor resp", limit=4) == {"respite": 0, "body": 1}
    assert search_matches_bounded("test", "nowhere", limit=4) == {}


def test_numbers_are_their_own_stems_and_stay_out_of_the_cache():
    # Porter's stems of words, and each number as it is: a listing's many one-off numbers
    # (street numbers, years) must not push the words out of the stems' cache.
    search._stem.cache_clear()
    assert search.stems("Room 24746", "Meetings in 2026") == " room 24746 | meet in 2026 "
    assert search._stem.cache_info().currsize == 3  # room, meetings, in
    assert search.stems_rank("meeting 2026", search.stems("Group", "Meetings in 2026")) == 1
