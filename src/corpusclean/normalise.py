"""Repair unicode, cut the text into numbered lines, and fold whitespace and invisibles.

ftfy runs first, in the "safe" configuration datatrove and NeMo Curator use:
it repairs mojibake and broken bytes (C1 controls included) but keeps
typography unless the config asks otherwise. Lines that cannot hold mojibake
skip ftfy entirely, which is most of them, so the cost stays near that of
reading the text. Then the text is cut into lines, and only characters that
never carry meaning are folded, each fold counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import ftfy

from .document import Document, Line

LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# The breaks that cut a text before unicode repair: all but U+0085, which
# is most often mojibake (see `split_lines`).
BREAKS_BEFORE_REPAIR = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")
# No-break, narrow, figure, ideographic and other exotic spaces become a plain space.
EXOTIC_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Characters that never carry meaning in text, dropped and counted under
# these names. The zero-width non-joiner (U+200C) and joiner (U+200D) are not
# among them: they spell Persian, Urdu, Kurdish and Indic words (the Persian
# half-space in "می‌گویند") and join emoji sequences.
ZERO_WIDTH_NAMES = {
    "\u200b": "zero-width-space",
    "\u2060": "word-joiner",
    "\ufeff": "byte-order-mark",
    "\u00ad": "soft-hyphen",
}
ZERO_WIDTH = re.compile("[" + "".join(ZERO_WIDTH_NAMES) + "]")
# Characters that only appear in text when it is mojibake, escaped or broken:
# Latin-1 supplement and C1 controls (UTF-8 read as Latin-1/cp1252), the
# cp1252 specials, and the replacement character.
MOJIBAKE_HINT = re.compile(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]"
)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@lru_cache(maxsize=4)
def _ftfy_config(fix_typography: bool) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html=False,
        fix_line_breaks=False,
        fix_latin_ligatures=fix_typography,
        fix_character_width=fix_typography,
        uncurl_quotes=fix_typography,
        # No Unicode normalisation: it would change characters as written
        # (compatibility ideographs, decomposed Hangul and accents), and only
        # on the lines ftfy looks at.
        normalization=None,
        explain=True,
    )


def _ftfy(line: str, cfg: dict[str, Any], doc: Document | None) -> str:
    fixed, steps = ftfy.fix_and_explain(line, config=_ftfy_config(cfg["fix_typography"]))
    if doc is not None and steps:
        for action, parameter in steps:
            if action == "apply":
                doc.count(f"normalise.ftfy.{parameter}")
        if any(action == "decode" for action, _ in steps):
            doc.count("normalise.ftfy.mojibake")
    return fixed


def _fold(text: str, cfg: dict[str, Any], doc: Document | None = None) -> str:
    """Spaces, zero-width and control characters; works on a line or a whole text.

    Each fold is counted on `doc` when given: normalise.fold.tab,
    normalise.fold.space (an exotic space made plain), normalise.fold.<name>
    (ZERO_WIDTH_NAMES) and normalise.fold.control (a C0 control dropped).
    """
    if "\t" in text:
        if doc is not None:
            doc.count("normalise.fold.tab", text.count("\t"))
        text = text.replace("\t", " ")
    # Every character the substitutions touch is unprintable, and str.isprintable
    # runs at memory speed: most texts skip the regexes.
    if text.replace("\n", "").isprintable():
        return text
    if cfg["fold_spaces"]:
        text, n = EXOTIC_SPACES.subn(" ", text)
        if n and doc is not None:
            doc.count("normalise.fold.space", n)
        if doc is not None:
            for found in ZERO_WIDTH.findall(text):
                doc.count(f"normalise.fold.{ZERO_WIDTH_NAMES[found]}")
        text = ZERO_WIDTH.sub("", text)
    text, n = CONTROL.subn("", text)
    if n and doc is not None:
        doc.count("normalise.fold.control", n)
    return text


def repair_line(line: str, cfg: dict[str, Any], doc: Document | None = None) -> str:
    """Repair one line (of `split_lines`); count ftfy's repairs on `doc` when given."""
    if cfg["ftfy"] and (cfg["fix_typography"] or MOJIBAKE_HINT.search(line)):
        line = _ftfy(line, cfg, doc)
    return _fold(line, cfg).rstrip()


def fold_line(line: str, cfg: dict[str, Any]) -> str:
    """Fold one line of `split_lines` as `normalise` does (no counting)."""
    return _fold(line, cfg).rstrip()


def split_lines(text: str, cfg: dict[str, Any], doc: Document | None = None) -> list[str]:
    """The text's lines after unicode repair, before folding (repairs counted on `doc`).

    ftfy runs before the text is cut at line-break characters: U+0085 (NEXT
    LINE) is most often a Windows-1252 ellipsis read as Latin-1, and the
    Latin-1 mojibake of "Å" ends in it, so it breaks a line only if it
    survives repair (ftfy's own advice for fix_line_breaks). Every other
    break (BREAKS_BEFORE_REPAIR) cuts the text before repair, which runs line
    by line as ftfy itself does; a break that repair leaves or makes cuts it
    after. Line i of the result is line number i of the document.

    A long text is cut a slice of SLICE_CHARS characters at a time (see
    _cut): besides the lines, it is never copied whole. When this function
    holds the only reference to `text` (normalise passes it so), the text
    is released once it is cut.
    """
    repair = cfg["ftfy"] and (cfg["fix_typography"] or MOJIBAKE_HINT.search(text) is not None)
    lines = _cut(_slices(text), BREAKS_BEFORE_REPAIR)
    del text
    if repair:
        lines = [
            _ftfy(line, cfg, doc) if cfg["fix_typography"] or MOJIBAKE_HINT.search(line) else line for line in lines
        ]
    # The breaks left (U+0085) or made by repair: "\n".join(lines) is cut again.
    if not all(line.isprintable() or line.replace("\n", "").isprintable() for line in lines):
        lines = _cut((piece for piece, _, _ in _pieces(lines)), LINE_BREAKS)
    return lines


def normalise(doc: Document, cfg: dict[str, Any]) -> Document:
    """Fill `doc.lines` with the non-blank lines of `doc.raw`, repaired and folded.

    Gives the same lines as `repair_line` on each line of `split_lines`, but
    the folding runs on runs of many lines at once rather than once per
    line. `doc.raw` is emptied first and released as soon as it is cut into
    lines: a long document's text is held about twice (the text and its
    lines) while it is cut, and then once, as lines; slices are copied, never
    the whole text.
    """
    lines = split_lines(_take_raw(doc), cfg, doc)
    # The folds of every run are counted here first, then on `doc` in the
    # order one pass over the whole text counts them (_fold's order).
    folds = Document(id="", source="")
    folded: list[str] = []
    for piece, part, more in _pieces(lines):
        done = _fold(piece, cfg, folds)
        if done is piece and piece.count("\n") == len(part) - 1 + more:
            folded.extend(part)  # nothing to fold, and no line holds a "\n": the same lines
        else:
            folded.extend(_lines_of(done, more))
    del lines
    for key in sorted(folds.counters, key=_fold_rank):
        doc.count(key, folds.counters[key])
    # Blank lines are not kept: a gap in the line numbers marks them, which is
    # all the paragraph splitter needs, and half the lines of most texts are blank.
    doc.lines = [Line(pos, line.rstrip()) for pos, line in enumerate(folded, 1) if line and not line.isspace()]
    return doc


def _fold_rank(key: str) -> int:
    """Where _fold counts `key` among its counters (the zero-width ones in the order met)."""
    rank = {"normalise.fold.tab": 0, "normalise.fold.space": 1, "normalise.fold.control": 3}
    return rank.get(key, 2)


# Long texts are cut, repaired and folded a slice of about this many
# characters at a time: a slice is copied, never the whole text.
SLICE_CHARS = 1 << 20


def _take_raw(doc: Document) -> str:
    """`doc.raw`, leaving "" in its place: the caller's is then its only reference."""
    raw, doc.raw = doc.raw, ""
    return raw


def _slices(text: str) -> Iterator[str]:
    """`text` in pieces of at least SLICE_CHARS characters, each but the last
    ending with "\n" (the whole text, not copied, when it is shorter)."""
    start, size = 0, len(text)
    while start < size:
        cut = text.find("\n", start + SLICE_CHARS - 1) if size - start > SLICE_CHARS else -1
        if cut < 0:
            yield text[start:] if start else text
            return
        yield text[start : cut + 1]
        start = cut + 1


def _pieces(lines: list[str]) -> Iterator[tuple[str, list[str], bool]]:
    """Runs of consecutive lines as (their text, the lines, whether more
    follow): a run's text ends with "\n" when more follow, so the texts
    joined are "\n".join(lines). One run of all the lines (`lines` itself)
    when they hold at most SLICE_CHARS characters."""
    if sum(map(len, lines)) + len(lines) <= SLICE_CHARS:
        yield "\n".join(lines), lines, False
        return
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and size < SLICE_CHARS:
            size += len(lines[end]) + 1
            end += 1
        part = lines[start:end]
        more = end < len(lines)
        yield "\n".join(part) + ("\n" if more else ""), part, more
        start = end


def _lines_of(piece: str, more: bool) -> list[str]:
    """The lines of a piece of _slices or _pieces; when `more` pieces follow,
    the "" after the "\n" that ends it is the start of the next one's first line."""
    found = piece.split("\n")
    if more:
        found.pop()
    return found


def _cut(pieces: Iterable[str], breaks: re.Pattern[str]) -> list[str]:
    """The pieces' text cut into lines at "\n", after the `breaks` are made
    "\n" when it holds an unprintable character other than "\n" (a piece
    without one holds no break). Each piece but the last ends with "\n", so
    no break ("\r\n") spans two pieces."""
    lines: list[str] = []
    pending = None
    for piece in pieces:
        if pending is not None:
            lines.extend(_lines_of(pending, True))
        if not piece.replace("\n", "").isprintable():
            piece = breaks.sub("\n", piece)
        pending = piece
    if pending is not None:
        lines.extend(_lines_of(pending, False))
    return lines or [""]
