"""One keyword engine: the directory's keyword cases give these very listings on SQLite and on
PostgreSQL (CI runs this file on both), near a place (the stems of the rows there) and
without one (the index of the same stems, migration 0011)."""

import pytest
from django.test import Client

from alongside.directory.search.keywords import entry_matches_bounded, query_stems

EVENING_GROUPS = {
    f"{town} Tuesday and Thursday Evening Group"
    for town in (
        "Berlin",
        "Claremont",
        "Concord",
        "Derry",
        "Dover",
        "Keene",
        "Laconia",
        "Lebanon",
        "Nashua",
    )
}
FAMILY_CIRCLES = {
    f"{town} Families in Recovery Circle"
    for town in (
        "Derry",
        "Lancaster",
        "Meredith",
        "Nashua",
        "Plymouth",
        "Rochester",
        "Suncook",
        "Winchester",
        "Wolfeboro",
    )
}

CASES = [
    # Near a place: the stems of the rows there.
    (
        {"q": "peer support groups", "near": "03301"},
        {
            "Concord Tuesday and Thursday Evening Group",
            "Online Recovery Meetings Any Hour",
            "Veterans Peer Phone Circle",
        },
    ),
    (
        {"q": "meet", "near": "03301"},
        {
            "Concord Recovery Community Center",
            "Manchester Recovery Community Center",
            "Online Recovery Meetings Any Hour",
            "Suncook Peer Support Specialists",
        },
    ),
    ({"q": "news", "near": "03301"}, set()),
    ({"q": "new hampshire"}, set()),
    # Without a place: the keyword index.
    ({"q": "news"}, {"Newport Peer Drop-In Center", "Newport Peer Support Specialists"}),
    (
        {"q": "warm line"},
        {
            "Granite State Peer Warm Line",
            "Línea Cálida en Español (sample)",
            "Older Adults Friendly Voices Line",
            "Round-the-Clock Peer Text and Talk Line (sample)",
        },
    ),
    (
        {"q": "meetings"},
        EVENING_GROUPS
        | {
            "Online Recovery Meetings Any Hour",
            "Seacoast LGBTQ+ Peer Video Group",
            "Veterans Peer Phone Circle",
        },
    ),
    ({"q": "famil"}, FAMILY_CIRCLES | {"North Country Family Support Line"}),
]


def found(params: dict) -> tuple[set[str], int]:
    response = Client().get("/api/v1/search", {"per_page": 100, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    return {r["name"] for r in body["results"]}, body["total"]


@pytest.mark.parametrize(("params", "expected"), CASES, ids=[str(p) for p, _e in CASES])
def test_the_same_keywords_find_the_same_listings_on_either_database(sample, params, expected):
    names, total = found(params)
    assert names == expected
    assert total == len(expected)


def test_a_keyword_near_a_place_and_without_one_agree(sample):
    # Concord's evening group is found by "evening" near Concord, and by the index without a
    # place: the two paths read the same stems.
    near, _total = found({"q": "evening", "near": "03301", "radius": 5})
    anywhere, _total = found({"q": "evening"})
    assert "Concord Tuesday and Thursday Evening Group" in near
    assert near <= anywhere


def test_the_index_ranks_title_matches_first(sample):
    ranks = entry_matches_bounded("warm line", limit=100)
    assert set(ranks.values()) <= {0, 1}
    assert 0 in ranks.values()
    assert query_stems("Meetings held") == ["meet", "held"]
