"""Payers as data: read, check and load YAML files (``alongside payers_load PATH...``).

One file per payer. Every file of a load is checked before anything is written, and the load
is one transaction: a bad file among several changes nothing, and the error names the file,
the key and what is wrong. Loading the same file again changes nothing (by ``code``). The
keys are in docs/billing.md ("Adding a payer"). A figure that could not be confirmed is null
(``payer_id``, a ``rate``) and the file says ``verified: false``: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from alongside.billing.models import Payer, Requirement, Rounding
from alongside.lib.datafiles import DataFileError, FileChecker, Loaded, yaml_files

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
PROCEDURE = re.compile(r"^[A-Z0-9]{5}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")

TOP_KEYS = {
    "code", "name", "payer_id", "claim_filing_indicator", "unit_minutes", "rounding",
    "daily_cap_units", "services", "requires", "timely_filing_days", "sources", "verified",
    "note", "unverified",
}  # fmt: skip
REQUIRED_TOP = (
    "code", "name", "payer_id", "claim_filing_indicator", "unit_minutes", "rounding",
    "daily_cap_units", "services", "requires", "timely_filing_days",
)  # fmt: skip
SERVICE_KEYS = {"code", "modifiers", "rate", "note"}


class PayerFileError(DataFileError):
    """A payer file that cannot be loaded: which file, which key, and why."""


class _Checker(FileChecker):
    error = PayerFileError

    def cents(self, value: Any, key: str) -> int | None:
        """A rate in dollars (12.34) as integer cents; null where it is not known."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, "must be an amount in dollars, e.g. 12.34, or null")
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(key, "must be an amount in dollars, e.g. 12.34, or null") from exc
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.fail(key, "must be dollars and cents, not negative, at most two decimals")
        return int(amount * 100)


def _services(check: _Checker, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise check.fail("services", "must be a list of at least one {code, modifiers, rate}")
    services, seen = [], set()
    for index, raw in enumerate(value):
        key = f"services[{index}]"
        item = check.mapping(raw, key, SERVICE_KEYS, ("code", "modifiers", "rate"))
        code = check.text(item["code"], f"{key}.code").upper()
        if not PROCEDURE.match(code):
            raise check.fail(f"{key}.code", "must be a five-character HCPCS code, e.g. H0038")
        modifiers = item["modifiers"] or []
        if not isinstance(modifiers, list) or not all(
            isinstance(m, str) and MODIFIER.match(m) for m in modifiers
        ):
            raise check.fail(f"{key}.modifiers", "must be a list of two-character modifiers")
        if len(modifiers) > 4:
            raise check.fail(f"{key}.modifiers", "may hold at most four modifiers")
        if (code, tuple(modifiers)) in seen:
            raise check.fail(key, "repeats a code and modifiers listed before")
        seen.add((code, tuple(modifiers)))
        services.append(
            {
                "code": code,
                "modifiers": list(modifiers),
                "rate_cents": check.cents(item["rate"], f"{key}.rate"),
            }
        )
    return services


def parse_file(path: Path) -> dict[str, Any]:
    """The checked field values of one payer file, or ``PayerFileError``."""
    check = _Checker(path)
    raw = check.read()
    doc = check.mapping(raw, "", TOP_KEYS, REQUIRED_TOP)

    code = doc["code"]
    if not isinstance(code, str) or not CODE.match(code):
        raise check.fail("code", "must be capital letters, digits, - or _ (e.g. NH-MEDICAID)")
    payer_id = doc["payer_id"]
    payer_id = "" if payer_id is None else check.text(str(payer_id), "payer_id")
    indicator = check.text(doc["claim_filing_indicator"], "claim_filing_indicator")
    if not re.match(r"^[0-9A-Z]{2}$", indicator):
        raise check.fail("claim_filing_indicator", "must be the two-character SBR09 code, e.g. MC")
    rounding = doc["rounding"]
    if rounding not in Rounding.values:
        raise check.fail("rounding", f"must be one of: {', '.join(Rounding.values)}")
    requires = doc["requires"] or []
    if not isinstance(requires, list) or not all(r in Requirement.values for r in requires):
        raise check.fail("requires", f"must be a list of: {', '.join(Requirement.values)}")
    verified = doc.get("verified", False)
    if not isinstance(verified, bool):
        raise check.fail("verified", "must be true or false")
    unverified = doc.get("unverified", []) or []
    if not isinstance(unverified, list) or not all(isinstance(u, str) for u in unverified):
        raise check.fail("unverified", "must be a list of keys, e.g. daily_cap_units")
    return {
        "code": code,
        "name": check.text(doc["name"], "name"),
        "payer_id": payer_id,
        "claim_filing_indicator": indicator,
        "unit_minutes": check.whole(doc["unit_minutes"], "unit_minutes", minimum=1),
        "rounding": rounding,
        "daily_cap_units": check.whole(
            doc["daily_cap_units"], "daily_cap_units", minimum=1, nullable=True
        ),
        "services": _services(check, doc["services"]),
        "requires": list(dict.fromkeys(requires)),
        "timely_filing_days": check.whole(
            doc["timely_filing_days"], "timely_filing_days", minimum=1, nullable=True
        ),
        "verified": verified,
        "note": check.text(doc.get("note") or "", "note", blank=True),
        "sources": check.sources(doc.get("sources")),
        "data": _plain(raw),
    }


def _plain(value: Any) -> Any:
    """The file as JSON can hold it (YAML may give dates)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def payer_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the ``.yaml``/``.yml`` files under the folders named, in order."""
    return yaml_files(paths, PayerFileError)


def payers_load(paths: Iterable[str | Path]) -> list[Loaded]:
    """Check every file, then create or update each payer by ``code``, all or nothing."""
    parsed: list[tuple[Path, dict[str, Any]]] = []
    seen: dict[str, Path] = {}
    for path in payer_files(paths):
        values = parse_file(path)
        if values["code"] in seen:
            raise PayerFileError(
                path, "code", f"{values['code']} is already the code of {seen[values['code']]}"
            )
        seen[values["code"]] = path
        parsed.append((path, values))
    results = []
    with transaction.atomic():
        for path, values in parsed:
            existing = Payer.objects.filter(code=values["code"]).first()
            if existing is None:
                Payer.objects.create(**values, source_file=path.name)
                results.append(Loaded(values["code"], "created", str(path)))
                continue
            changed = [name for name, value in values.items() if getattr(existing, name) != value]
            if changed:
                for name in changed:
                    setattr(existing, name, values[name])
                existing.source_file = path.name
                existing.loaded_at = timezone.now()
                existing.save()
            results.append(Loaded(values["code"], "updated" if changed else "unchanged", str(path)))
    return results
