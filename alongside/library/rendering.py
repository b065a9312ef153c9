"""Article Markdown to HTML, in one place: the public page, the editor's preview and the index.

Editors write Markdown, never HTML: raw HTML is switched off, so ``<script>`` comes out as
text. Links keep only safe schemes, external ones get ``rel="noopener"``, and reference
markers such as ``[2]`` become links to ``#ref-2`` in the list of references.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from alongside.library.placeholders import placeholders_fill

WORDS_PER_MINUTE = 200
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# "[2]" but not a link "[2](…)", "[2][…]" or a link definition "[2]: …".
MARKER_PATTERN = r"\[(\d{1,3})\](?![\(\[:])"


@dataclass(frozen=True)
class Heading:
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    headings: list[Heading]  # the h2s, for "On this page"
    text: str  # plain text without reference markers: for search, reading time, readability
    markers: frozenset[int]  # every reference number the text cites
    heading_levels: frozenset[int]

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))


def _unescape(value: str) -> str:
    return html.unescape(value.replace(AMP_SUBSTITUTE, "&"))


def safe_url(url: str) -> str | None:
    """``url`` decoded, or None when its scheme could run code (``javascript:``, ``data:``)."""
    decoded = _unescape(url).strip()
    scheme = _SCHEME.match(_INVISIBLE.sub("", decoded).lower())
    if scheme and scheme.group(1) not in SAFE_SCHEMES:
        return None
    return decoded


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


class _MarkerProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown, reference_count: int | None) -> None:
        super().__init__(pattern, md)
        self.reference_count = reference_count
        self.seen: set[int] = set()

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str, int, int]:
        number = int(m.group(1))
        self.seen.add(number)
        if self.reference_count is not None and not 1 <= number <= self.reference_count:
            return m.group(0), m.start(0), m.end(0)
        link = etree.Element("a")
        link.set("href", f"#ref-{number}")
        link.set("class", "ref-link")
        link.set("aria-label", _("Reference %(number)d") % {"number": number})
        link.text = f"[{number}]"
        return link, m.start(0), m.end(0)


class _SafeLinks(Treeprocessor):
    """Drop unsafe link targets, mark external links, and keep images to our own site."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, element in enumerate(list(parent)):
                if element.tag == "a":
                    url = safe_url(element.get("href", ""))
                    if url is None:
                        del element.attrib["href"]
                    else:
                        element.set("href", url)
                        if is_external(url):
                            element.set("rel", "noopener")
                elif element.tag == "img":
                    src = safe_url(element.get("src", "")) or ""
                    if src.startswith("/") and not src.startswith("//"):
                        element.set("src", src)
                        continue
                    # Nothing loads from other sites: keep only the words of the image.
                    replacement = etree.Element("span")
                    replacement.text = element.get("alt", "")
                    replacement.tail = element.tail
                    parent.remove(element)
                    parent.insert(index, replacement)


class _PlainText(Treeprocessor):
    """Collect the words a reader reads, one block per line, without reference markers."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.lines: list[str] = []

    def run(self, root: etree.Element) -> None:
        self.lines = []
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        for child in element:
            if child.tag in BLOCK_TAGS:
                # A removed marker leaves "words ." behind; close the gap.
                line = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(self._text(child).split()))
                if line:
                    self.lines.append(line)
                # Nested lists sit inside list items; their words were read with the item.
            else:
                self._walk(child)

    def _text(self, element: etree.Element) -> str:
        parts = [_unescape(element.text or "")]
        for child in element:
            if child.get("class") != "ref-link":
                separator = " " if child.tag in BLOCK_TAGS or child.tag in {"ul", "ol"} else ""
                parts.append(separator + self._text(child) + separator)
            parts.append(_unescape(child.tail or ""))
        return "".join(parts)


class _LibraryExtension(Extension):
    def __init__(self, reference_count: int | None) -> None:
        super().__init__()
        self.reference_count = reference_count

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        # No raw HTML from editors: it would bypass escaping and the CSP.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        self.markers = _MarkerProcessor(MARKER_PATTERN, md, self.reference_count)
        # Above "reference" (170) so a bare [2] is a citation, below "escape" so \[2] is not.
        md.inlinePatterns.register(self.markers, "library_reference_marker", 175)
        # After "unescape" (0), so escaped characters cannot hide a scheme from the check.
        md.treeprocessors.register(_SafeLinks(md), "library_safe_links", -10)
        self.plain = _PlainText(md)
        md.treeprocessors.register(self.plain, "library_plain_text", -20)


def render_markdown(source: str, *, reference_count: int | None = None) -> Rendered:
    """Render an article body; markers above ``reference_count`` stay plain text.

    Crisis placeholders are filled from this deployment's settings first.
    """
    extension = _LibraryExtension(reference_count)
    md = markdown.Markdown(
        extensions=["toc", "sane_lists", extension],
        extension_configs={"toc": {"marker": ""}},
        output_format="html",
    )
    body = md.convert(placeholders_fill(source))
    tokens = list(_flatten(getattr(md, "toc_tokens", [])))
    return Rendered(
        html=mark_safe(body),  # noqa: S308 - escaped by Python-Markdown; raw HTML is off
        headings=[
            Heading(id=token["id"], text=html.unescape(token["name"]))
            for token in tokens
            if token["level"] == 2
        ],
        text="\n".join(extension.plain.lines),
        markers=frozenset(extension.markers.seen),
        heading_levels=frozenset(token["level"] for token in tokens),
    )


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(_flatten(token.get("children", [])))
    return flat


def plain_text(source: str) -> str:
    """The words of a Markdown text, without markup or reference markers."""
    return render_markdown(source).text
