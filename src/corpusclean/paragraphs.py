"""Cut the remaining lines into paragraphs.

Blank lines (and removed lines) separate blocks. A block of code (indented
lines with code syntax) is one paragraph whose lines keep their relative
indentation. Hard-wrapped prose is joined back into one paragraph. In a text
whose paragraphs are set apart by blank lines, a block of short lines that
run on (a verse, a chorus) is one paragraph too, its lines joined
by newlines. Otherwise each line of a block is its own paragraph (the
one-paragraph-per-line style of many scrapes).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .document import Document, Line, Paragraph
from .scripts import ends_sentence_mark, join_wrapped, mark_free, width

# Nobody wraps prose narrower than this; shorter lines are headings or list items.
MIN_WRAP_WIDTH = 40
SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "'", "\u2019", ")")
# A line of verse has a few words; a menu or a list of links has lines of
# one or two ("Home", "Contact us"), which stay paragraphs of their own so
# that dedup still finds each one in the other pages of a site (joining
# them cost 0.007 token F1 on the dragnet dev set's visible text).
VERSE_MIN_WORDS = 3
# A line of verse runs on into the next with a comma, a semicolon or a dash;
# a list of headlines or links ends its lines with no mark at all.
RUN_ON = (",", ";", "-", "\u2013", "\u2014")
# A line that reads as source code: it ends with a brace, a semicolon or a
# block-opening colon after code, starts with a closing bracket, starts with a
# keyword of a common language, or holds an operator prose does not use.
CODE_LINE = re.compile(
    r"[{};]$"
    r"|^[}\])]"
    r"|\)\s*(?:->\s*\S+\s*)?:$"
    r"|^(?:def|class|func|fn|function|return|if|elif|else|for|while|import|from|package|var|let|const"
    r"|public|private|static|void|int|try|except|catch|#include|#define)(?:\s|\(|:|$)"
    r"|[=!<>]=|&&|\|\||:=|=>|->|\w\.\w+\(|\w\([^()]*\)$"
)


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of lines with consecutive line numbers: a blank line or a removed
    line between two lines ends a block."""
    blocks: list[list[Line]] = []
    previous = -1
    for line in lines:
        if not line.text.strip():
            continue
        if line.pos != previous + 1 or not blocks:
            blocks.append([])
        blocks[-1].append(line)
        previous = line.pos
    return blocks


def is_hard_wrapped(block: list[Line], max_width: int) -> bool:
    """Lines wrapped at a fixed width: all but the last of about the same
    width (at least MIN_WRAP_WIDTH, at most `max_width` columns, a wide CJK
    character taking two as on a terminal), the last no wider than the
    others, and most breaking mid-sentence."""
    if len(block) < 2:
        return False
    widths = [width(line.text) for line in block[:-1]]
    widest = max(widths)
    # Thai and Lao mark no sentence end: their line ends are no evidence of a
    # wrap, and such a block is left as it is.
    mid_sentence = sum(
        not (line.text.rstrip().endswith(SENTENCE_END) or ends_sentence_mark(line.text) or mark_free(line.text))
        for line in block[:-1]
    )
    return (
        min(widths) >= MIN_WRAP_WIDTH
        and widest <= max_width
        and min(widths) >= 0.6 * widest
        and width(block[-1].text) <= widest + 2
        and 2 * mid_sentence >= len(widths)
    )


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def is_code_block(block: list[Line]) -> bool:
    """Source code: at least two lines, laid out by indentation (some lines
    indented more than others, or all indented, as Markdown and plain-text
    articles set code), and at least half of them reading as code (CODE_LINE).

    Prose and verse meet neither condition together: their lines start at the
    margin and end like sentences or with commas.
    """
    if len(block) < 2:
        return False
    indents = [_indent(line.text) for line in block]
    laid_out = min(indents) > 0 or len(set(indents)) > 1
    code = sum(CODE_LINE.search(line.text.strip()) is not None for line in block)
    return laid_out and 2 * code >= len(block)


def blank_line_style(doc: Document, lines: list[Line], short: int, max_width: int) -> bool:
    """Whether the text sets its paragraphs apart with blank lines: cut at its
    blank lines (a removed line does not count as blank), at least half of
    the pieces that hold prose (a line longer than `short` characters) are
    one line or one hard-wrapped paragraph. A text of short lines only, or
    with no blank line, is not: its lines are its paragraphs."""
    removed = sorted({p for r in doc.removals for p in range(r.pos, (r.end or r.pos) + 1)})

    def blank_between(a: int, b: int) -> bool:
        inside = bisect.bisect_left(removed, b) - bisect.bisect_right(removed, a)
        return b - a - 1 > inside

    pieces: list[list[Line]] = [[lines[0]]] if lines else []
    for before, line in zip(lines, lines[1:], strict=False):
        if blank_between(before.pos, line.pos):
            pieces.append([line])
        else:
            pieces[-1].append(line)
    prose = [piece for piece in pieces if any(len(line.text.strip()) > short for line in piece)]
    if len(pieces) < 2 or not prose:
        return False
    alone = sum(len(piece) == 1 or is_hard_wrapped(piece, max_width) for piece in prose)
    return 2 * alone >= len(prose)


def is_verse(block: list[Line], short: int) -> bool:
    """A verse: a block of short lines (none over `short` characters, each of
    at least VERSE_MIN_WORDS words), at least half of them, the last aside,
    running on into the next (RUN_ON). Lines that each end a sentence
    ("Yes." / "No.") or carry no mark (a list of headlines or links) are
    paragraphs of their own."""
    if len(block) < 2 or any(
        len(line.text.strip()) > short or len(line.text.split()) < VERSE_MIN_WORDS for line in block
    ):
        return False
    running = sum(line.text.rstrip().endswith(RUN_ON) for line in block[:-1])
    return 2 * running >= len(block) - 1


def _joined(block: list[Line], text: str) -> Paragraph:
    single = any(line.single_version for line in block)
    return Paragraph(block[0].pos, text, end=block[-1].pos, single_version=single)


def split_paragraphs(doc: Document, cfg: dict[str, Any]) -> Document:
    """Fill `doc.paragraphs` from `doc.lines` (see the module's docstring)."""
    paragraphs: list[Paragraph] = []
    lines = [line for line in doc.lines if line.text.strip()]
    short = cfg["short_line_max_chars"]
    by_blank_lines: bool | None = None  # worked out when a block needs it
    for block in _blocks(lines):
        if len(block) < 2:
            paragraphs.append(Paragraph(block[0].pos, block[0].text.strip(), single_version=block[0].single_version))
            continue
        if cfg["keep_code"] and is_code_block(block):
            margin = min(_indent(line.text) for line in block)
            paragraphs.append(_joined(block, "\n".join(line.text[margin:] for line in block)))
            continue
        if is_hard_wrapped(block, cfg["hard_wrap_max_width"]):
            paragraphs.append(_joined(block, join_wrapped([line.text.strip() for line in block])))
            continue
        if short and is_verse(block, short):
            if by_blank_lines is None:
                by_blank_lines = blank_line_style(doc, lines, short, cfg["hard_wrap_max_width"])
            if by_blank_lines:
                paragraphs.append(_joined(block, "\n".join(line.text.strip() for line in block)))
                continue
        paragraphs.extend(Paragraph(line.pos, line.text.strip(), single_version=line.single_version) for line in block)
    doc.paragraphs = paragraphs
    return doc
