"""HTML to text: the page's main text through trafilatura, and an account of
the page's visible text that extraction left out.

trafilatura decides what the article is; the stages after it only remove what
they can name. Extraction's own removals are accounted for here: the page's
visible text (as html-text renders it, the way a scraper saves a page) is
compared with the extracted text, and each block of visible lines that did
not make it into the extracted text becomes an audit entry
(`extract.not-extracted`). A page where trafilatura finds no main text falls
back to its visible text, which the text stages (rules, page classifier)
then clean like any saved page, instead of being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .document import Removal
from .scripts import reads_as_text

STAGE = "extract"
# Lines are compared with whitespace and case folded, so that a block the
# extractor re-flowed or joined still counts as extracted.
_SPACE = re.compile(r"\s+")
# A <title> longer than this is markup gone wrong (an unclosed tag holding
# the page), not a title.
TITLE_MAX_CHARS = 500
# A line reads as prose with a sentence of at least this many words (the
# boilerplate stage's prose_min_words default).
PROSE_MIN_WORDS = 6


@dataclass
class Extraction:
    """What one HTML page gave: its text (lines separated by "\\n"), title and
    metadata, how the text was found (`method`: "trafilatura" or
    "visible-text"), and the removals that account for visible text left out."""

    text: str
    title: str | None
    metadata: dict[str, Any]
    method: str
    visible_chars: int = 0
    removals: list[Removal] = field(default_factory=list)


def trafilatura_options(cfg: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments for `trafilatura.bare_extraction` from the
    `input.html` section (favor_precision, favor_recall, include_comments,
    include_tables)."""
    return {key: bool(cfg[key]) for key in ("favor_precision", "favor_recall", "include_comments", "include_tables")}


def visible_text(html: str) -> str:
    """All visible text of a page's body, one block per line, as html-text 0.7
    (`extract_text` with `guess_layout`) renders it: scripts, styles and
    hidden elements left out, and the <title> (it becomes the document's
    title). An empty string for a page lxml cannot parse."""
    import html_text

    try:
        tree = html_text.parse_html(html)
        # The <title> is metadata (the document's title), not text on the
        # page; an unclosed one that swallowed the page stays.
        for title in tree.xpath("//title"):
            if len(title) == 0 and len(title.text or "") <= TITLE_MAX_CHARS:
                title.getparent().remove(title)
        return str(html_text.extract_text(tree, guess_layout=True))
    except (ValueError, TypeError):
        # lxml refuses some documents: an XML declaration in a str, control
        # characters it cannot put in a tree
        return ""


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def unextracted_blocks(visible: str, extracted: str) -> list[tuple[int, int, str]]:
    """The runs of visible lines that the extracted text does not hold, as
    (first line, last line, text) with 1-based line numbers of `visible`.

    A visible line counts as extracted when its folded text (whitespace runs
    to one space, case folded) occurs in the folded extracted text; a line
    extraction split or re-flowed may then be reported although its words
    were kept, never the other way round.
    """
    haystack = _fold(extracted)
    blocks: list[tuple[int, int, str]] = []
    run: list[tuple[int, str]] = []
    for number, line in enumerate(visible.split("\n"), 1):
        text = line.strip()
        if not text:
            continue
        if _fold(text) in haystack:
            if run:
                blocks.append((run[0][0], run[-1][0], "\n".join(t for _, t in run)))
                run = []
            continue
        run.append((number, text))
    if run:
        blocks.append((run[0][0], run[-1][0], "\n".join(t for _, t in run)))
    return blocks


def _has_prose(text: str) -> bool:
    return any(reads_as_text(line, PROSE_MIN_WORDS) for line in text.split("\n"))


def extract_html(html: str, cfg: dict[str, Any]) -> Extraction:
    """The main text of one page, with `cfg` the `input.html` section.

    trafilatura's `bare_extraction` with the configured options gives the
    text, title, author, date and URL. When it finds no text, or text with no
    line of prose (`scripts.reads_as_text`: a list of headlines, the wrong
    block) on a page that has prose, and `cfg["fallback"]` is
    "visible-text", the page's visible text is the text (`method`
    "visible-text"), to be cleaned by the text stages. With
    `cfg["account_unextracted"]`, every block of visible text left out is a
    removal at position 0 (before the text's first line), with its first
    and last line in the visible text (`visible_lines`).
    """
    import trafilatura

    found: dict[str, Any] = {}
    extracted = trafilatura.bare_extraction(html, with_metadata=True, **trafilatura_options(cfg))
    if extracted is not None:
        found = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = found.get("text") or ""
    if cfg["include_comments"] and found.get("comments"):
        text = f"{text}\n{found['comments']}"
    meta = {key: found[key] for key in ("author", "date", "url") if found.get(key)}
    title = found.get("title") or None
    # Extraction that found no prose (no line reads as text) picked the wrong
    # block, a list of other stories' headlines, when the page has prose.
    wrong_block = cfg["fallback"] == "visible-text" and not _has_prose(text)
    visible = visible_text(html) if cfg["account_unextracted"] or wrong_block else ""
    if wrong_block and visible.strip() and (not text.strip() or _has_prose(visible)):
        return Extraction(visible, title, meta, "visible-text", len(visible))
    result = Extraction(text, title, meta, "trafilatura", len(visible))
    if cfg["account_unextracted"] and text.strip():
        for first, last, block in unextracted_blocks(visible, text):
            result.removals.append(Removal(STAGE, "not-extracted", 0, block, visible_lines=(first, last)))
    return result
