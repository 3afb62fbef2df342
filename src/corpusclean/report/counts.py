"""Run counters: the JSON report, the short summary on stderr, the exit code."""

from __future__ import annotations

import json
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..read import Skip
from .documents import DocumentTally


@dataclass
class Report:
    started: float = field(default_factory=time.monotonic)
    files: int = 0
    documents_in: int = 0
    documents_out: int = 0
    bytes_in: int = 0
    chars_in: int = 0
    chars_out: int = 0
    skipped: list[Skip] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    removals: Counter[str] = field(default_factory=Counter)
    removed_chars: Counter[str] = field(default_factory=Counter)
    counters: Counter[str] = field(default_factory=Counter)
    # Written documents per metadata.language ("und": undetermined or not identified).
    languages: Counter[str] = field(default_factory=Counter)
    # Documents dropped as copies of another: {"id": ..., "duplicate_of": ...}.
    duplicate_documents: list[dict[str, Any]] = field(default_factory=list)
    # Documents dropped as not articles (filter.non-article), with the evidence:
    # {"id": ..., "rule": ..., "lines": [{"line": ..., "text": ...}, ...]}.
    non_article: list[dict[str, Any]] = field(default_factory=list)
    # Corpus-wide stages' own figures (dedup: candidates, verified pairs, seconds).
    stages: dict[str, Any] = field(default_factory=dict)
    # One line each: a document id made unique by a suffix, ...
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    # Per-document figures: the distribution of fraction removed, the documents the page shows.
    documents: DocumentTally = field(default_factory=DocumentTally)
    # The paths the run was given, the config keys it set away from the defaults
    # (dotted key -> value), and the gates' verdict (gates.check): set by the caller.
    inputs: list[str] = field(default_factory=list)
    config_changed: dict[str, Any] = field(default_factory=dict)
    gates: dict[str, Any] = field(default_factory=dict)

    def add_document(self, doc: Document) -> None:
        self.documents_in += 1
        self.chars_in += doc.chars_in
        for removal in doc.removals:
            self.removals[removal.reason] += 1
            self.removed_chars[removal.reason] += len(removal.text)
        self.counters.update(doc.counters)
        self.documents.add(doc)
        if doc.dropped:
            self.dropped[doc.dropped] += 1
            if doc.dropped == "duplicate-document":
                self.duplicate_documents.append({"id": doc.id, "duplicate_of": doc.metadata.get("duplicate_of")})
            elif doc.evidence is not None:
                self.non_article.append({"id": doc.id, **doc.evidence})
        else:
            self.documents_out += 1
            self.chars_out += doc.text_chars
            self.languages[doc.metadata.get("language") or "und"] += 1

    def add_documents(self, other: Report) -> None:
        """Add the document counts of `other` (a batch finished in a worker)."""
        self.documents_in += other.documents_in
        self.documents_out += other.documents_out
        self.chars_in += other.chars_in
        self.chars_out += other.chars_out
        self.dropped.update(other.dropped)
        self.removals.update(other.removals)
        self.removed_chars.update(other.removed_chars)
        self.counters.update(other.counters)
        self.languages.update(other.languages)
        self.duplicate_documents.extend(other.duplicate_documents)
        self.documents.merge(other.documents)
        self.non_article.extend(other.non_article)

    def add_skip(self, skip: Skip) -> None:
        self.skipped.append(skip)

    def finish(self) -> None:
        self.seconds = time.monotonic() - self.started
        # ru_maxrss is in KiB on Linux. Workers are waited-for children, so
        # RUSAGE_CHILDREN holds the largest of them once the pool has closed.
        self.peak_rss_mb = {
            "main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        }

    def exit_code(self, strict: bool = False) -> int:
        """1 when inputs were skipped under `strict` or a gate failed (see gates.py), else 0."""
        return 1 if (strict and self.skipped) or self.gates.get("failed") else 0

    def to_dict(self) -> dict[str, Any]:
        duplicates = sum(n for reason, n in self.removals.items() if reason.startswith("dedup."))
        return {
            "files": self.files,
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "documents_dropped": dict(sorted(self.dropped.items())),
            "skipped": [
                {"source": s.source, "unit": s.unit, "reason": s.reason, "detail": s.detail} for s in self.skipped
            ],
            "skipped_by_reason": dict(sorted(Counter(s.reason for s in self.skipped).items())),
            "bytes_in": self.bytes_in,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "languages": dict(sorted(self.languages.items())),
            "removals": dict(sorted(self.removals.items())),
            "removed_chars": dict(sorted(self.removed_chars.items())),
            "paragraphs_deduplicated": duplicates,
            "duplicate_documents": self.duplicate_documents,
            "warnings": self.warnings,
            "non_article_documents": self.non_article,
            "stages": self.stages,
            "counters": dict(sorted(self.counters.items())),
            "seconds": round(self.seconds, 3),
            "mb_per_second": round(self.bytes_in / 1e6 / self.seconds, 2) if self.seconds > 0 else 0.0,
            "peak_rss_mb": self.peak_rss_mb,
            "inputs": self.inputs,
            "config_changed": self.config_changed,
            "documents": self.documents.to_dict(),
            "gates": self.gates,
        }

    def write(self, stream: Any) -> None:
        json.dump(self.to_dict(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")

    def summary(self) -> str:
        """A few lines for a person: what went in, what came out, what was removed."""
        rate = self.bytes_in / 1e6 / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"corpusclean: {counted(self.documents_in, 'document')} from {counted(self.files, 'input')} -> "
            f"{self.documents_out:,} written, {sum(self.dropped.values()):,} dropped "
            f"({self.seconds:,.2f} s, {self.bytes_in / 1e6:,.1f} MB at {rate:,.1f} MB/s)",
            f"  text kept: {self.chars_out:,} of {counted(self.chars_in, 'character')}",
        ]
        if self.skipped:
            units = Counter(s.unit for s in self.skipped)
            lines.append(
                "  skipped: " + ", ".join(counted(units[u], u) for u in ("file", "folder", "record") if units[u])
            )
        if self.languages:
            lines.append(
                "  languages: " + ", ".join(f"{lang} {n}" for lang, n in sorted(self.languages.items(), key=_by_count))
            )
        by_stage: Counter[str] = Counter()
        for reason, n in self.removals.items():
            by_stage[reason.split(".", 1)[0]] += n
        if by_stage:
            lines.append("  removed: " + ", ".join(f"{stage} {n:,}" for stage, n in sorted(by_stage.items())))
        for reason, n in sorted(self.dropped.items()):
            lines.append(f"  documents dropped: {reason} {n:,}")
        return "\n".join(lines)


def counted(n: int, unit: str) -> str:
    """`1 document`, `12,345 documents`: a count with its unit, thousands separated."""
    return f"{n:,} {unit}{'' if n == 1 else 's'}"


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]
