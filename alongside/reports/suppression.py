"""Small-cell suppression for exports marked public or for a funder.

The rules:

1. A count from 1 to 10 is shown as "<11" (CMS's cell-size rule for public data). Zero is
   shown: it names nobody.
2. Complementary suppression: within one split of one measure (gender, say), when exactly one
   cell was hidden by rule 1, the smallest other non-zero cell is hidden too, so that the
   total minus the others cannot give the hidden one back. Ties go to the row listed first.
3. A row's other measures (hours, units, amounts) are hidden with its hidden count.

Hidden by rules 2 and 3 reads "suppressed": it is not a small number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from alongside.reports.registry import Computed, Value

SMALL = "<11"
HIDDEN = "suppressed"
TOTAL = "total"


def is_small(value: Value) -> bool:
    return isinstance(value, int) and 1 <= value <= 10


def suppress(computed: Computed) -> Computed:
    rows = [replace(r, value=SMALL) if r.count and is_small(r.value) else r for r in computed.rows]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if row.count and row.dimension != TOTAL:
            groups[(row.dimension, row.measure)].append(index)
    for indexes in groups.values():
        hidden = [i for i in indexes if rows[i].value == SMALL]
        if len(hidden) != 1:
            continue
        shown = [i for i in indexes if isinstance(rows[i].value, int) and rows[i].value]
        if shown:
            smallest = min(shown, key=lambda i: (rows[i].value, i))
            rows[smallest] = replace(rows[smallest], value=HIDDEN)
    hidden_cells = {
        (r.dimension, r.category) for r in rows if r.count and r.value in (SMALL, HIDDEN)
    }
    rows = [
        replace(r, value=HIDDEN)
        if not r.count and (r.dimension, r.category) in hidden_cells and r.value is not None
        else r
        for r in rows
    ]
    value = computed.value
    if computed.value_is_count and is_small(value):
        value = SMALL
    return Computed(value, rows, computed.value_is_count)
