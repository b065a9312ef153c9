"""Getting a web process ready before its first search.

The offline ZIP gazetteer is large (tens of thousands of records) and loads on first use. A
server loads it at start-up instead, then freezes it out of the garbage collector: otherwise
every full collection walks all of it, and the unlucky search that triggers one waits for
it (it showed in the p95 of ``bench/directory_search.py``).
"""

from __future__ import annotations

import gc

from alongside.directory import geo


def warm_up() -> None:
    geo.zip_record("03301")
    geo.resolve_place("Concord, NH")
    geo.states_with_county("Merrimack County")
    gc.freeze()
