"""Per-document figures of a run: how much of each document's text was removed
(a histogram over every document), the most-cleaned documents, and the
documents the HTML page shows whole (a deterministic sample).

A document's fraction removed is removed / (removed + kept) characters, where
removed counts every audit record's text (moved to metadata included: it left
the text) and kept is the output text. A document dropped whole has lost 1.0.

The sample is the `sample_size` documents whose ids hash lowest (blake2b of id
and source): a bottom-k sketch, the same whatever the order in which batches
finish or the number of jobs, and every document when the run has no more.
The `most_removed_size` most-cleaned documents are always added, so the tail
of the distribution can always be looked at.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..write import record_metadata

# Bins of the distribution of fraction removed: 5% each, the last one closed.
BINS = 20


def fraction_removed(removed: int, kept: int, dropped: bool) -> float:
    """The fraction of a document's characters removed, in [0, 1]."""
    total = removed + kept
    if total == 0:
        return 1.0 if dropped else 0.0
    return removed / total


def bin_of(fraction: float) -> int:
    """The histogram bin of a fraction removed: [0, 0.05) is bin 0, [0.95, 1] bin 19."""
    return min(int(fraction * BINS), BINS - 1)


def id_hash(doc_id: str, source: str) -> int:
    """A stable 64-bit hash of a document's id and source (blake2b), the sample's order."""
    digest = hashlib.blake2b(f"{doc_id}\0{source}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(slots=True)
class Shown:
    """A document the page may show: its figures, where its kept paragraphs
    stood in the input, and (when views are collected) its text and removals."""

    order: int  # its place in input order among the run's documents
    hash: int
    facts: dict[str, Any]
    view: dict[str, Any] | None = None

    def figures(self) -> dict[str, Any]:
        """`facts` as the report writes them (the paragraphs as [first, last] lists)."""
        spans = self.facts["paragraphs"]
        return {**self.facts, "paragraphs": [[spans[i], spans[i + 1]] for i in range(0, len(spans), 2)]}

    def sample_key(self) -> tuple[int, str, str]:
        return self.hash, self.facts["id"], self.facts["source"]

    def tail_key(self) -> tuple[float, int, str, str]:
        return -self.facts["fraction"], self.hash, self.facts["id"], self.facts["source"]


def _trim(items: list[Shown], size: int, key: Any) -> list[Shown]:
    """The `size` items that sort first by `key`, in their original (input) order."""
    if len(items) <= size:
        return items
    chosen = {id(s) for s in sorted(items, key=key)[:size]}
    return [s for s in items if id(s) in chosen]


@dataclass
class DocumentTally:
    """Per-document figures, added up over a run; tallies of batches merge
    into the run's in input order (`merge`)."""

    sample_size: int = 200
    most_removed_size: int = 25
    # Keep the text and removals of the shown documents (for the HTML page).
    keep_views: bool = False
    count: int = 0
    bins: list[int] = field(default_factory=lambda: [0] * BINS)
    # The written (not dropped) document that lost the largest fraction: (fraction, id, source).
    max_written: tuple[float, str, str] | None = None
    sample: list[Shown] = field(default_factory=list)
    tail: list[Shown] = field(default_factory=list)

    def add(self, doc: Document) -> None:
        """Count one finished document (after the filter)."""
        removed = sum(len(r.text) for r in doc.removals)
        chars = doc.text_chars
        fraction = fraction_removed(removed, chars, doc.dropped is not None)
        self.bins[bin_of(fraction)] += 1
        if doc.dropped is None and (self.max_written is None or fraction > self.max_written[0]):
            self.max_written = (fraction, doc.id, doc.source)
        facts = {
            "id": doc.id,
            "source": doc.source,
            "chars_in": doc.chars_in,
            "chars_out": chars,
            "removed_chars": removed,
            "fraction": round(fraction, 4),
            "dropped": doc.dropped,
            "removals": len(doc.removals),
            # (first, last) line of each paragraph, flat: 16 bytes a paragraph
            # rather than a list of lists (a long document has 100,000s).
            "paragraphs": array("q", [n for p in doc.paragraphs for n in (p.pos, p.end)]),
        }
        metadata: dict[str, Any] = {}
        if doc.dropped is not None or self.keep_views:
            metadata = {k: v for k, v in record_metadata(doc).items() if v is not None}
        if doc.dropped is not None:
            # No output record holds them: the report does, for `corpusclean report`.
            facts.update(title=doc.title, metadata=metadata)
        view = None
        if self.keep_views:
            view = {
                "title": doc.title,
                # In the output's order of fields, as `corpusclean report` reads them back.
                "metadata": metadata,
                "texts": [p.text for p in doc.paragraphs],
                "audit": [r.to_record(doc.id) for r in sorted(doc.removals, key=lambda r: r.pos)],
            }
        shown = Shown(self.count, id_hash(doc.id, doc.source), facts, view)
        self.count += 1
        self.sample.append(shown)
        self.tail.append(shown)
        self._trim(2)

    def merge(self, other: DocumentTally) -> None:
        """Add `other`, the tally of the documents that come next in input order."""
        for item in {id(s): s for s in (*other.sample, *other.tail)}.values():
            item.order += self.count
        self.count += other.count
        self.bins = [a + b for a, b in zip(self.bins, other.bins, strict=True)]
        if other.max_written is not None and (self.max_written is None or other.max_written[0] > self.max_written[0]):
            self.max_written = other.max_written
        self.sample.extend(other.sample)
        self.tail.extend(other.tail)
        self._trim(2)

    def _trim(self, slack: int) -> None:
        """Keep the lists within `slack` times their size (trimming in bulk is cheaper)."""
        if len(self.sample) > slack * self.sample_size:
            self.sample = _trim(self.sample, self.sample_size, Shown.sample_key)
        if len(self.tail) > slack * self.most_removed_size:
            self.tail = _trim(self.tail, self.most_removed_size, Shown.tail_key)

    def shown(self) -> list[Shown]:
        """The documents the page shows, in input order: the sample and the most-cleaned."""
        self._trim(1)
        seen: dict[int, Shown] = {s.order: s for s in self.sample}
        for s in self.tail:
            seen.setdefault(s.order, s)
        return [seen[k] for k in sorted(seen)]

    def most_removed(self) -> list[Shown]:
        """The most-cleaned documents, the largest fraction removed first."""
        self._trim(1)
        return sorted(self.tail, key=Shown.tail_key)

    def to_dict(self) -> dict[str, Any]:
        """The report's `documents` section."""
        most = self.most_removed()
        worst = self.max_written
        return {
            "fraction_removed_bins": list(self.bins),
            "bin_width": 1 / BINS,
            "max_fraction_removed_written": (
                None if worst is None else {"id": worst[1], "source": worst[2], "fraction": round(worst[0], 4)}
            ),
            "most_removed": [{k: s.facts[k] for k in ("id", "source", "fraction", "dropped")} for s in most],
            "sample_size": self.sample_size,
            "shown": [s.figures() for s in self.shown()],
        }
