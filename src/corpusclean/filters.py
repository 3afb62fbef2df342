"""Drop whole documents that have nothing left worth keeping, with the reason."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .document import Document, Removal

STAGE = "filter"


def filter_document(doc: Document, cfg: dict[str, Any]) -> Document:
    """Set `doc.dropped` when the document is empty or a syndicated copy.

    The text a dropped document still held goes to the audit under the same
    reason, so nothing leaves without an entry.
    """
    if doc.dropped:  # an earlier stage (a boilerplate document rule) dropped it and audited its lines
        return doc
    duplicates = [r for r in doc.removals if r.stage == "dedup"]
    kept_chars = sum(len(p.text) for p in doc.paragraphs)
    dup_chars = sum(len(r.text) for r in duplicates)
    if kept_chars < cfg["min_chars"]:
        doc.dropped = "empty"
    elif duplicates and dup_chars >= cfg["max_duplicate_fraction"] * (kept_chars + dup_chars):
        doc.dropped = "duplicate-document"
        source = Counter(r.kept_id for r in duplicates).most_common(1)[0][0]
        doc.metadata["duplicate_of"] = source
    if doc.dropped:
        copied = doc.metadata.get("duplicate_of")
        for paragraph in doc.paragraphs:
            doc.removals.append(
                Removal(STAGE, doc.dropped, paragraph.pos, paragraph.text, kept_id=copied, end=paragraph.end)
            )
        doc.paragraphs = []
    return doc
