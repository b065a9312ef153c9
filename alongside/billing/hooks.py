"""What billing registers with core so care can ask it without importing it."""

from __future__ import annotations


def register() -> None:
    from alongside.billing import locks
    from alongside.core.panels import register_note_panel
    from alongside.core.record_hooks import register_amendment_listener, register_edit_check

    register_edit_check("billing", locks.billed_encounter_refusal)
    register_amendment_listener("billing", locks.flag_amended_claims)
    register_note_panel("billing/_will_it_bill.html", locks.will_it_bill_panel)
