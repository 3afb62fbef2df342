"""Cut the remaining lines into paragraphs.

Blank lines separate blocks. Inside a block each line is its own paragraph
(the one-paragraph-per-line style of many scrapes), unless the block is
hard-wrapped prose, whose lines are joined back into one paragraph.
"""

from __future__ import annotations

from typing import Any

from .document import Document, Line, Paragraph

SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "'", "\u2019", ")")


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = [[]]
    for line in lines:
        if line.text.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def is_hard_wrapped(block: list[Line], max_width: int) -> bool:
    """Lines wrapped at a fixed width: all but the last of about the same
    length, no wider than `max_width`, and most breaking mid-sentence."""
    if len(block) < 2:
        return False
    widths = [len(line.text) for line in block[:-1]]
    mid_sentence = sum(not line.text.rstrip().endswith(SENTENCE_END) for line in block[:-1])
    return max(widths) <= max_width and min(widths) >= 0.6 * max(widths) and 2 * mid_sentence >= len(widths)


def split_paragraphs(doc: Document, cfg: dict[str, Any]) -> Document:
    paragraphs: list[Paragraph] = []
    for block in _blocks(doc.lines):
        if is_hard_wrapped(block, cfg["hard_wrap_max_width"]):
            paragraphs.append(Paragraph(block[0].pos, " ".join(line.text.strip() for line in block)))
        else:
            paragraphs.extend(Paragraph(line.pos, line.text.strip()) for line in block)
    doc.paragraphs = paragraphs
    return doc
