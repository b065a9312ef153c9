"""Crisis lines in articles: written as placeholders, filled from the deployment's settings.

Crisis lines are a per-deployment setting (``ALONGSIDE_CRISIS_LINES``), so an article never
prints a regional number itself; a South Carolina site must not show New Hampshire's line.
Writers use two placeholders (docs/library.md):

- ``[[crisis:988]]`` inside a sentence: the 988 Suicide & Crisis Lifeline's number, always.
- ``[[crisis:region]]`` on a line of its own: one sentence per regional line the deployment
  configures ("You can also call or text NH Rapid Response at 833-710-6477."), or nothing at
  all where none is configured, so no sentence is left hanging.

A phone number written anywhere else in an article is refused when it is loaded or saved.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from alongside.core.crisis import CrisisLine, crisis_lines

NATIONAL_DIAL = "988"
PLACEHOLDER = re.compile(r"\[\[\s*crisis\s*:\s*([\w-]*)\s*\]\]", re.IGNORECASE)
INLINE_NAMES = frozenset({"988"})
BLOCK_NAMES = frozenset({"region"})
_REGION_LINE = re.compile(r"^[ \t]*\[\[\s*crisis\s*:\s*region\s*\]\][ \t]*$", re.IGNORECASE | re.M)
# A North American number written out: 833-710-6477, (603) 555-0123, 1-800-662-4357,
# 1-800-662-HELP, 603.555.0123, 6035550123, or a local 555-0123. Short codes (988, 911)
# are not phone numbers here: they are the same everywhere.
PHONE_NUMBER = re.compile(
    r"(?<![\w/.#=-])"
    r"(?:"
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-][0-9A-Z]{4}"
    r"|(?:\+?1)?\d{10}"
    r"|\d{3}-\d{4}"
    r")"
    r"(?![\w/-])"
)


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]()#<>!|])", r"\\\1", text)


def _ways(line: CrisisLine) -> str:
    if line.can_call and line.can_text:
        return _("call or text")
    if line.can_call:
        return _("call")
    if line.can_text:
        return _("text")
    return _("chat with")


def _number(line: CrisisLine) -> str:
    number = _escape(line.number)
    return f"[{number}](tel:{line.dial})" if line.can_call else number


def regional_lines() -> list[CrisisLine]:
    """The configured crisis lines other than 988, in the configured order."""
    return [line for line in crisis_lines() if line.dial != NATIONAL_DIAL]


def region_sentences() -> str:
    return "\n\n".join(
        _("You can also %(ways)s %(label)s at %(number)s.")
        % {"ways": _ways(line), "label": _escape(line.label), "number": _number(line)}
        for line in regional_lines()
    )


def placeholders_fill(source: str) -> str:
    """The Markdown with each crisis placeholder replaced by this deployment's lines."""
    if "[[" not in source:
        return source
    source = _REGION_LINE.sub(lambda _m: region_sentences(), source)

    def inline(match: re.Match[str]) -> str:
        if match.group(1).lower() == "988":
            return f"[{NATIONAL_DIAL}](tel:{NATIONAL_DIAL})"
        return ""  # a misplaced or unknown placeholder shows nothing; saving refuses it

    return PLACEHOLDER.sub(inline, source)


def text_problems(text: str, *, body: bool = True) -> list[tuple[int, str]]:
    """(line number, problem) for every phone number and misused placeholder in ``text``.

    ``body`` is False for front matter, where placeholders are not filled in.
    """
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            name = match.group(1).lower()
            if not body:
                problems.append(
                    (
                        number,
                        _("crisis placeholders work only in the body, below the front matter."),
                    )
                )
            elif name in BLOCK_NAMES:
                if not _REGION_LINE.fullmatch(line):
                    problems.append(
                        (
                            number,
                            _("put %(placeholder)s on a line of its own.")
                            % {"placeholder": match.group(0)},
                        )
                    )
            elif name not in INLINE_NAMES:
                problems.append(
                    (
                        number,
                        _(
                            "unknown placeholder %(placeholder)s "
                            "(use [[crisis:988]] or [[crisis:region]])."
                        )
                        % {"placeholder": match.group(0)},
                    )
                )
        for match in PHONE_NUMBER.finditer(PLACEHOLDER.sub(" ", line)):
            problems.append(
                (
                    number,
                    _(
                        "a phone number (%(number)s) is written in the text. Name crisis lines "
                        "with [[crisis:988]] or [[crisis:region]], and no other numbers."
                    )
                    % {"number": match.group(0)},
                )
            )
    return problems
