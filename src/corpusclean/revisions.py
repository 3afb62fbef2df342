"""Undo doubled text: news-diff pages and text a scraper printed twice.

A news-diff page shows two versions of an article side by side, one row per
paragraph, so flattened it holds each paragraph twice ("P.P.") or as its old
version followed by its new one. We keep the newest version and send the
other copy to the audit. Outside such pages only unmistakable doubling is
undone: a long line that is two copies of itself, a line repeated on the
next line, a whole document repeated.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from .config import HeaderPattern
from .document import Document, Line, Removal

STAGE = "revisions"
# Characters that may stand between the two copies of a doubled line.
SEPARATOR_CHARS = " |/-\u2013\u2014"
MAX_SEPARATOR = 3
# How many characters of a line's start (and end) are looked for again to
# find where the second version begins; each probe costs one linear scan.
PROBE_CHARS = 12
MAX_SPLIT_CANDIDATES = 16


def undouble_exact(text: str) -> int | None:
    """If `text` is two identical copies with an optional short separator,
    return where the second copy starts. Linear in the line's length."""
    n = len(text)
    for sep in range(MAX_SEPARATOR + 1):
        if (n - sep) % 2 or n - sep < 2:
            continue
        half = (n - sep) // 2
        if text[half : half + sep].strip(SEPARATOR_CHARS) == "" and text[:half] == text[half + sep :]:
            return half + sep
    return None


def split_edited(text: str, min_similarity: float) -> tuple[int, float] | None:
    """Find where an edited row's new version starts: (offset, similarity).

    Candidates are the few places where the row's opening words recur, or
    just after a place where its closing words occur: an old version and its
    edit share most of their beginning or their end. Each candidate costs
    one rapidfuzz comparison, so the cost grows linearly with the row.
    """
    n = len(text)
    if n < 2 * PROBE_CHARS:
        return None
    candidates: set[int] = set()
    head = text[:PROBE_CHARS]
    at = text.find(head, 1)
    while at != -1 and len(candidates) < MAX_SPLIT_CANDIDATES // 2:
        candidates.add(at)
        at = text.find(head, at + 1)
    tail = text[-PROBE_CHARS:]
    at = text.find(tail)
    while at != -1 and at + PROBE_CHARS < n and len(candidates) < MAX_SPLIT_CANDIDATES:
        candidates.add(at + PROBE_CHARS)
        at = text.find(tail, at + 1)
    best: tuple[int, float] | None = None
    for k in sorted(candidates):
        old, new = text[:k].strip(), text[k:].strip()
        if not old or not new or not 0.25 <= len(old) / (len(old) + len(new)) <= 0.75:
            continue
        score = fuzz.ratio(old, new)
        if score >= min_similarity and (best is None or score > best[1]):
            best = (k, score)
    return best


def match_header(line: str, patterns: tuple[HeaderPattern, ...]) -> tuple[str, dict[str, str]] | None:
    for pattern in patterns:
        found = pattern.regex.match(line)
        if found:
            return pattern.name, {k: v for k, v in found.groupdict().items() if v}
    return None


def is_news_diff(doc: Document, patterns: tuple[HeaderPattern, ...]) -> bool:
    """A news-diff page opens with the first header pattern (the source line)."""
    first = next((line.text for line in doc.lines if line.text.strip()), "")
    return bool(patterns) and patterns[0].regex.match(first) is not None


def unwrap_news_diff(doc: Document, cfg: dict[str, Any], patterns: tuple[HeaderPattern, ...]) -> None:
    """Header rows to metadata; each table row to its newest version."""
    kept: list[Line] = []
    meta: dict[str, Any] = {}
    for line in doc.lines:
        if not line.text:
            kept.append(line)
            continue
        header = match_header(line.text, patterns)
        if header is not None:
            name, values = header
            meta.update(values)
            doc.removals.append(Removal("metadata", f"news-diff-{name}", line.pos, line.text))
            continue
        split = undouble_exact(line.text)
        if split is not None:
            first = line.text[:split].rstrip(SEPARATOR_CHARS)
            doc.removals.append(Removal(STAGE, "unchanged-copy", line.pos, line.text[split:]))
            kept.append(Line(line.pos, first))
            continue
        edited = split_edited(line.text, cfg["edit_similarity"])
        if edited is not None:
            k, score = edited
            doc.removals.append(Removal(STAGE, "superseded", line.pos, line.text[:k].strip(), score=round(score, 1)))
            kept.append(Line(line.pos, line.text[k:].strip()))
            doc.count("revisions.edited")
            continue
        doc.count("revisions.single-version")
        kept.append(line)
    doc.lines = kept
    if "revisions" in meta:
        meta["revisions"] = int(meta["revisions"])
    for key in ("version_old", "version_new"):
        if key in meta:
            meta[key] = int(meta[key])
    meta.setdefault("first_seen", None)
    doc.metadata.update({k: (v or None) if isinstance(v, str) else v for k, v in meta.items()})
    doc.metadata["news_diff"] = True


def undo_repeated_document(doc: Document) -> None:
    """A document that is its own text twice in a row (A B C A B C) keeps one copy."""
    content = [line for line in doc.lines if line.text]
    m = len(content)
    if m < 2 or m % 2 or [x.text for x in content[: m // 2]] != [x.text for x in content[m // 2 :]]:
        return
    cut = content[m // 2].pos
    for line in content[m // 2 :]:
        doc.remove(STAGE, "repeated-document", line)
    doc.lines = [line for line in doc.lines if line.pos < cut]


def undo_doubled_lines(doc: Document, cfg: dict[str, Any]) -> None:
    """Long lines printed twice in one line, and lines repeated on the next line."""
    kept: list[Line] = []
    previous: Line | None = None
    for line in doc.lines:
        if not line.text:
            kept.append(line)
            continue
        split = undouble_exact(line.text)
        if split is not None and split >= cfg["min_doubled_chars"]:
            doc.removals.append(Removal(STAGE, "doubled-line", line.pos, line.text[split:]))
            line = Line(line.pos, line.text[:split].rstrip(SEPARATOR_CHARS))
        if (
            cfg["collapse_consecutive"]
            and previous is not None
            and line.text == previous.text
            and len(line.text) >= cfg["consecutive_min_chars"]
        ):
            doc.remove(STAGE, "consecutive-duplicate", line)
            previous.doubled = True
            continue
        kept.append(line)
        previous = line
    doc.lines = kept


def unwrap_revisions(doc: Document, cfg: dict[str, Any], patterns: tuple[HeaderPattern, ...]) -> Document:
    if cfg["news_diff"] and is_news_diff(doc, patterns):
        unwrap_news_diff(doc, cfg, patterns)
    else:
        undo_repeated_document(doc)
    undo_doubled_lines(doc, cfg)
    return doc
