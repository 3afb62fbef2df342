"""Cut the remaining lines into paragraphs.

Blank lines (and removed lines) separate blocks. Inside a block each line is its own paragraph
(the one-paragraph-per-line style of many scrapes), unless the block is
hard-wrapped prose, whose lines are joined back into one paragraph.
"""

from __future__ import annotations

from typing import Any

from .document import Document, Line, Paragraph
from .scripts import ends_sentence_mark, join_wrapped, mark_free, width

# Nobody wraps prose narrower than this; shorter lines are headings or list items.
MIN_WRAP_WIDTH = 40
SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "'", "\u2019", ")")


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


def split_paragraphs(doc: Document, cfg: dict[str, Any]) -> Document:
    paragraphs: list[Paragraph] = []
    for block in _blocks(doc.lines):
        if is_hard_wrapped(block, cfg["hard_wrap_max_width"]):
            text = join_wrapped([line.text.strip() for line in block])
            single = any(line.single_version for line in block)
            paragraphs.append(Paragraph(block[0].pos, text, end=block[-1].pos, single_version=single))
        else:
            paragraphs.extend(
                Paragraph(line.pos, line.text.strip(), single_version=line.single_version) for line in block
            )
    doc.paragraphs = paragraphs
    return doc
