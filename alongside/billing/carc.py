"""A claim adjustment reason code's meaning, from the X12 layer, for pages and the API."""

from __future__ import annotations


def reason_meaning(code: str) -> str:
    from alongside.billing.x12.carc import meaning

    return meaning(code)
