"""Check X12 text against its implementation guide with pyx12, in memory.

``x12_errors(text)`` runs pyx12's own validator (``x12n_document``, what its ``x12valid``
command runs) on the text through a ``StringIO``: the guide's maps ship inside the pyx12
package, nothing is downloaded and nothing is written to disk. pyx12 keeps the errors it finds
in a tree that it hands to visitors; we ask for its JSON visitor, into memory, and flatten the
tree into one plain line per error: where (segment, its position, the line of the text) and why.

An empty list means the text is valid for the guide its GS08 names (005010X222A1 for our 837P,
005010X221A1 for an 835). pyx12 checks syntax, loops, required segments and elements, code
values and the envelope's counts and control numbers; it does not check business rules such as
whether an NPI is real.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pyx12.errors
import pyx12.params
import pyx12.x12file
import pyx12.x12n_document

# pyx12 logs what it reads, segment data included, and participant data stays out of our logs;
# the caller gets every problem from x12_errors instead.
logging.getLogger("pyx12").setLevel(logging.CRITICAL)


def x12_errors(text: str) -> list[str]:
    """The problems pyx12 finds in an X12 interchange, one readable line each; [] when valid."""
    return [f"{where}: {reason}" for where, reason in x12_problems(text)]


def x12_problems(text: str) -> list[tuple[str, str]]:
    """The same problems as ``x12_errors``, each as (where, reason): where names the segment."""
    try:
        # The reader checks the fixed-width ISA header; x12n_document would only log its complaint.
        pyx12.x12file.X12Reader(io.StringIO(text)).close()
    except pyx12.errors.X12Error as error:
        return [("ISA", str(error))]
    report = io.StringIO()
    try:
        valid = pyx12.x12n_document.x12n_document(
            # ParamsBase, not params(): the user's ~/.pyx12.conf.xml must not change our answer.
            param=pyx12.params.ParamsBase(),
            src_file=io.StringIO(text),
            fd_997=None,
            fd_html=None,
            fd_json=report,
        )
    except (pyx12.errors.EngineError, pyx12.errors.X12Error, pyx12.errors.X12PathError) as error:
        return [("GS", f"pyx12 cannot read this interchange: {error}")]
    errors = _flatten(json.loads(report.getvalue() or '{"interchanges": []}'))
    if not valid and not errors:
        errors = [("ISA", "the interchange is not valid, and pyx12 named no segment")]
    return errors


def _flatten(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """One entry per error in pyx12's tree: interchange, group, transaction, segment, element."""
    found: list[tuple[str, str]] = []
    for isa in doc.get("interchanges", []):
        found += [("ISA", f"{e['err_str']} (code {e['err_cde']})") for e in isa["errors"]]
        for gs in isa["groups"]:
            found += [("GS", f"{e['err_str']} (code {e['err_cde']})") for e in gs["errors"]]
            for st in gs["transactions"]:
                found += [("ST", f"{e['err_str']} (code {e['err_cde']})") for e in st["errors"]]
                for seg in st["segments"]:
                    found += _segment_problems(seg)
    return found


def _segment_problems(seg: dict[str, Any]) -> list[tuple[str, str]]:
    where = f"{seg['seg_id']} (segment {seg['seg_count']}, line {seg['cur_line']})"
    if seg.get("ls_id"):
        where = f"{where} in loop {seg['ls_id']}"
    found = [(where, e["err_str"] + _value(e)) for e in seg["errors"]]
    for ele in seg["elements"]:
        element = f"{seg['seg_id']}{ele['ele_pos']:02d}"
        if ele.get("subele_pos"):
            element = f"{element}-{ele['subele_pos']}"
        found += [(f"{where}, {element}", e["err_str"] + _value(e)) for e in ele["errors"]]
    return found


def _value(error: dict[str, Any]) -> str:
    value = error.get("err_val")
    return f" (value {value!r})" if value and value not in error["err_str"] else ""
