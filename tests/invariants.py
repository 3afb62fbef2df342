"""Checks shared by the golden, CLI and property tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from corpusclean.config import load
from corpusclean.normalise import fold_line, split_lines

TRIM = " .,;:\u201c\u201d\"'\u2018\u2019-"


def unaccounted(raw: str, kept: Iterable[str], removed_at: dict[int, list[str]], metadata: dict[str, Any]) -> list[str]:
    """Input lines (normalised) whose text is in neither the kept text, the
    metadata, nor the removals recorded at their line number."""
    cfg = load().normalise
    kept = [k for k in kept if k]
    values = [str(v) for v in metadata.values() if v]
    missing = []
    for pos, line in enumerate(split_lines(raw, cfg), 1):
        rest = fold_line(line, cfg).strip()
        if not rest:
            continue
        pieces = [*removed_at.get(pos, []), *kept, *values]
        for piece in sorted((p.strip() for p in pieces if p.strip()), key=len, reverse=True):
            if piece in rest:
                rest = rest.replace(piece, " ")
        # A hard-wrapped line is kept inside a longer paragraph.
        if rest.strip(TRIM) and any(rest.strip() in k for k in kept):
            rest = ""
        if rest.strip(TRIM):
            missing.append(f"line {pos}: {rest.strip()!r}")
    return missing
