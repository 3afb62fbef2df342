"""Repair unicode and whitespace, and cut the text into numbered lines.

ftfy runs in the "safe" configuration datatrove and NeMo Curator use: it
repairs mojibake and broken bytes but keeps typography unless the config asks
otherwise. Lines that cannot hold mojibake skip ftfy entirely, which is most
of them, so the cost stays near that of reading the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import ftfy

from .document import Document, Line

LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# No-break, narrow, figure, ideographic and other exotic spaces become a plain space.
EXOTIC_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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


def _fold(text: str, cfg: dict[str, Any]) -> str:
    """Spaces, zero-width and control characters; works on a line or a whole text."""
    text = text.replace("\t", " ")
    # Every character the substitutions touch is unprintable, and str.isprintable
    # runs at memory speed: most texts skip the regexes.
    if text.replace("\n", "").isprintable():
        return text
    if cfg["fold_spaces"]:
        text = ZERO_WIDTH.sub("", EXOTIC_SPACES.sub(" ", text))
    return CONTROL.sub("", text)


def repair_line(line: str, cfg: dict[str, Any], doc: Document | None = None) -> str:
    """Repair one line; count ftfy's repairs on `doc` when given."""
    if cfg["ftfy"] and (cfg["fix_typography"] or MOJIBAKE_HINT.search(line)):
        line = _ftfy(line, cfg, doc)
    return _fold(line, cfg).rstrip()


def normalise(doc: Document, cfg: dict[str, Any]) -> Document:
    """Fill `doc.lines` with the non-blank lines of `doc.raw`, repaired.

    Gives the same lines as `repair_line` on each line, but only lines that
    can hold mojibake go through ftfy, and the folding runs once on the
    whole text rather than once per line.
    """
    text = doc.raw
    if not text.replace("\n", "").isprintable():  # \r and the other breaks are unprintable
        text = LINE_BREAKS.sub("\n", text)
    raw_lines = text.split("\n")
    if cfg["ftfy"] and (cfg["fix_typography"] or MOJIBAKE_HINT.search(text)):
        raw_lines = [
            _ftfy(line, cfg, doc) if cfg["fix_typography"] or MOJIBAKE_HINT.search(line) else line for line in raw_lines
        ]
        text = "\n".join(raw_lines)
    folded = _fold(text, cfg).split("\n")
    if len(folded) != len(raw_lines):  # ftfy turned a character into a line break: go line by line
        folded = [_fold(line, cfg).replace("\n", " ") for line in raw_lines]
    # Blank lines are not kept: a gap in the line numbers marks them, which is
    # all the paragraph splitter needs, and half the lines of most texts are blank.
    doc.lines = [Line(pos, line.rstrip()) for pos, line in enumerate(folded, 1) if line and not line.isspace()]
    doc.raw = ""  # the lines hold it now; no need to carry it between processes
    return doc
