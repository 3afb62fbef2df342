"""Drop whole documents that have nothing left worth keeping, with the reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .document import Document, Removal

STAGE = "filter"


def verdict(kept_chars: int, duplicate_chars: int, cfg: dict[str, Any]) -> str | None:
    """Why a document with this much kept and duplicate text is dropped, or None.

    A syndicated copy (almost all of its text duplicates text kept elsewhere)
    is a duplicate document even when nothing of it is left; a document left
    with too little text of its own is empty.
    """
    if duplicate_chars and duplicate_chars >= cfg["max_duplicate_fraction"] * (kept_chars + duplicate_chars):
        return "duplicate-document"
    if kept_chars < cfg["min_chars"]:
        return "empty"
    return None


def filter_document(doc: Document, cfg: dict[str, Any], decided: bool = False) -> Document:
    """Drop the document when it is empty or a syndicated copy.

    With `decided`, the dedup index has already set `doc.dropped` (it must
    know which documents go, so that none of their paragraphs is the kept
    copy of another); otherwise the decision is made here. The text a dropped
    document still held goes to the audit under the same reason, pointing at
    the document it copies, so nothing leaves without an entry.
    """
    if not decided and not doc.dropped:  # a boilerplate document rule may have dropped it already
        duplicates = [r for r in doc.removals if r.stage == "dedup"]
        kept_chars = sum(len(p.text) for p in doc.paragraphs)
        doc.dropped = verdict(kept_chars, sum(len(r.text) for r in duplicates), cfg)
        if doc.dropped == "duplicate-document":
            weights: Counter[str] = Counter()
            for r in duplicates:
                weights[r.kept_id or ""] += len(r.text)
            doc.metadata["duplicate_of"] = min(weights, key=lambda k: -weights[k])
    if doc.dropped:
        copied = doc.metadata.get("duplicate_of")
        for paragraph in doc.paragraphs:
            doc.removals.append(
                Removal(STAGE, doc.dropped, paragraph.pos, paragraph.text, kept_id=copied, end=paragraph.end)
            )
        doc.paragraphs = []
    return doc
