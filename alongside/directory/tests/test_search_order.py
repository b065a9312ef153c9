"""Search's work on columns, each against the plain way of doing it: the order of results and
one result per service (sort everything), on arrays with ties, missing distances and repeats;
facet counts (bit by bit); keyword ranks (one listing at a time)."""

import uuid

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.core.search import stems, stems_rank
from alongside.directory.search.buckets import NAME_BYTES, TAG_WORDS, name_bytes, name_heads, pack
from alongside.directory.search.engine import (
    _bit_counts,
    _nearest_per_service,
    _order,
    _stem_ranks,
)

# Few distinct values, so that ties are common; NaN is an area-wide service.
distances = st.lists(st.sampled_from([0.5, 1.0, 1.0, 2.5, 7.0, float("nan")]), max_size=60)


# Names alike in their first eight bytes, or in all but their case, or short.
NAMES = ["Ash", "ash", "Harbor Peer A", "harbor peer b", "Harbor Peers", "Hope", "ç"]


def _columns(values, data):
    count = len(values)
    distance = np.array(values, dtype=float)
    ranks = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=count, max_size=count)))
    chosen = data.draw(st.lists(st.sampled_from(NAMES), min_size=count, max_size=count))
    names = np.array([name_bytes(n) for n in chosen], dtype=f"S{NAME_BYTES}")
    heads = name_heads(chosen)
    ids = np.array(data.draw(st.permutations(range(count))), dtype=np.int64)
    return distance, ranks.astype(np.int8), names, heads, ids


@settings(max_examples=300, deadline=None)
@given(values=distances, first=st.integers(min_value=1, max_value=70), data=st.data())
def test_the_first_rows_are_those_of_the_full_sort(values, first, data):
    distance, ranks, names, heads, ids = _columns(values, data)
    whole = {
        "distance": np.lexsort(
            (ids, names, np.nan_to_num(distance, nan=np.inf), np.isnan(distance))
        ),
        "relevance": np.lexsort((ids, names, ranks)),
        "name": np.lexsort((ids, names)),
    }
    # The rows asked about are every other row of longer columns; the rows between would
    # all come first.
    rows = np.arange(0, 2 * len(values), 2)
    columns = []
    for column, first_of_all in ((distance, 0.0), (ranks, 0), (heads, 0), (ids, -1)):
        longer = np.repeat(column, 2)
        longer[1::2] = first_of_all
        columns.append(longer)
    name_of_id = dict(zip(ids.tolist(), names.tolist(), strict=True))
    asked: list[int] = []

    def names_of(entry_ids):
        asked.extend(entry_ids.tolist())
        return [name_of_id[i] for i in entry_ids.tolist()]

    for sort, expected in whole.items():
        got = _order(sort, rows, *columns, first, names_of)
        assert got.tolist() == rows[expected[:first]].tolist(), sort
    # Whole names are read only for rows whose head another row shares.
    shared = {h for h in heads.tolist() if heads.tolist().count(h) > 1}
    head_of_id = dict(zip(ids.tolist(), heads.tolist(), strict=True))
    assert {head_of_id[i] for i in asked} <= shared


@settings(max_examples=200, deadline=None)
@given(values=distances, data=st.data())
def test_each_service_keeps_its_nearest_place(values, data):
    count = len(values)
    distance = np.array(values, dtype=float)
    owners = data.draw(
        st.lists(st.integers(min_value=0, max_value=9), min_size=count, max_size=count)
    )
    # Some ids share their first eight bytes, so that only the whole id tells them apart.
    services = np.array(
        [bytes([owner % 4]) * 8 + bytes([owner + 1]) * 8 for owner in owners], dtype="S16"
    )
    rows = np.arange(count)
    order = np.lexsort((np.nan_to_num(distance, nan=np.inf),))
    _unique, first = np.unique(services[order], return_index=True)
    expected = np.sort(order[first])
    assert _nearest_per_service(rows, services, distance).tolist() == expected.tolist()


def test_services_that_differ_early_are_left_as_they_are():
    services = np.array([bytes([i]) * 16 for i in range(1, 6)], dtype="S16")
    rows = np.array([0, 2, 4])
    assert _nearest_per_service(rows, services, np.zeros(5)).tolist() == [0, 2, 4]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.lists(
            st.integers(min_value=0, max_value=2**64 - 1), min_size=TAG_WORDS, max_size=TAG_WORDS
        ),
        max_size=80,
    )
)
def test_bit_counts_are_those_of_every_bit_unpacked(rows):
    # Each row is its tag words, lowest first: bit i of word w is filter bit 64 w + i.
    bits = np.array(rows, dtype=np.uint64).reshape(-1, TAG_WORDS)
    expected = [
        sum(1 for row in rows if row[index // 64] >> (index % 64) & 1)
        for index in range(64 * TAG_WORDS)
    ]
    assert _bit_counts(bits).tolist() == expected


# Few words, so that a word is often in the name, the description, both or neither.
texts = st.lists(st.sampled_from(["peer", "peers", "harbor", "family", "warm", "line"]), max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    listings=st.lists(st.tuples(texts, texts), max_size=12),
    query=st.lists(st.sampled_from(["peer", "harbor", "warm line", "fam", "li"]), max_size=2),
)
def test_keyword_ranks_are_those_of_each_listing_alone(listings, query):
    rows = [
        (i, uuid.uuid4(), 43.2, -71.5, "", "x", stems(" ".join(t), " ".join(b)), "[]", "", "")
        + (None, "", "")
        for i, (t, b) in enumerate(listings)
    ]
    query = " ".join(query)
    got = _stem_ranks(pack(rows), query).tolist()
    if not query:
        assert got == [0] * len(rows)
    else:
        ranks = [stems_rank(query, row[6]) for row in rows]
        assert got == [-1 if rank is None else rank for rank in ranks]
