"""Flatten an HTML page to all its visible text, one line per block, with labels.

This is what a scraper that "saves all visible text" produces: every menu
item, footer link and caption becomes a line. Each line is labelled content
when its block lies in the article's marked body or headline (itemprop
articleBody / headline) and not in a figure, aside, advert, share bar or
related-links box inside it; everything else is boilerplate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p",
    "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
INVISIBLE = {"head", "script", "style", "noscript", "template"}
NOT_CONTENT_TAGS = {"figure", "figcaption", "aside", "nav", "form"}
NOT_CONTENT_CLASS = re.compile(r"\b(ad-|promo|related|share|newsletter|tags|byline|comments)")


def _is_content(block: lxml.html.HtmlElement) -> bool:
    el: lxml.html.HtmlElement | None = block
    while el is not None:
        if el.tag in NOT_CONTENT_TAGS or NOT_CONTENT_CLASS.search(el.get("class", "")):
            return False
        if el.get("itemprop") in ("articleBody", "headline"):
            return True
        el = el.getparent()
    return False


def _pieces(el: lxml.html.HtmlElement, block: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """(text, innermost block holding it) in document order."""
    if not isinstance(el.tag, str) or el.tag in INVISIBLE:
        return
    own = el if el.tag in BLOCKS else block
    if el.text:
        yield el.text, own
    for child in el:
        yield from _pieces(child, own)
        if child.tail:
            yield child.tail, own


def flatten(html: str) -> list[tuple[str, bool]]:
    """The page's visible lines, each with True when it is article content."""
    root = lxml.html.fromstring(html)
    body = root.find("body")
    lines: list[tuple[str, bool]] = []
    current: list[str] = []
    owner: lxml.html.HtmlElement | None = None

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text and owner is not None:
            lines.append((text, _is_content(owner)))
        current.clear()

    for text, block in _pieces(body if body is not None else root, root):
        if block is not owner:
            flush()
            owner = block
        current.append(text)
    flush()
    return lines


def labelled_pages() -> list[tuple[str, list[tuple[str, bool]]]]:
    """Every page beside this module: (file name, labelled lines)."""
    return [(p.name, flatten(p.read_text(encoding="utf-8"))) for p in sorted(HERE.glob("*.html"))]
