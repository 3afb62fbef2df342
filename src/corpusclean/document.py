"""The records that flow through the pipeline: a Document, its lines, and Removals.

Every stage that drops text records a Removal, so nothing leaves a document
without a reason that the audit file and the report can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Line:
    """One line of a document's body; `pos` is its 1-based line number in the input."""

    pos: int
    text: str
    # Set when the same line stood twice in a row (a caption printed twice).
    doubled: bool = False
    # Set on a news-diff row that only one of the two versions holds.
    single_version: bool = False


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the cleaned text: input lines `pos` to `end` (a hard-wrapped
    paragraph spans several lines)."""

    pos: int
    text: str
    end: int = 0
    # Made of a news-diff row that only one of the two versions holds; kept on
    # the paragraph because workers send back paragraphs, not lines.
    single_version: bool = False

    def __post_init__(self) -> None:
        self.end = max(self.end, self.pos)


@dataclass(slots=True)
class Removal:
    """Text taken out of a document, with the stage and rule that took it.

    `stage` and `rule` together name the decision (`boilerplate.subscribe-button`);
    duplicates also point at the copy that was kept.
    """

    stage: str
    rule: str
    pos: int
    text: str
    kept_id: str | None = None
    kept_pos: int | None = None
    score: float | None = None
    # The last input line the removed text came from, when it spans several.
    end: int | None = None
    # A paragraph removed because kept paragraphs cover it (dedup.contains-kept,
    # dedup.merged): the share they cover, and every kept part (id, position, score).
    coverage: float | None = None
    parts: tuple[tuple[str, int, float], ...] = ()
    # Page text that HTML extraction left out (position 0): the first and last
    # line of the block in the page's visible text.
    visible_lines: tuple[int, int] | None = None

    @property
    def reason(self) -> str:
        return f"{self.stage}.{self.rule}"

    def to_record(self, doc_id: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": doc_id,
            "position": self.pos,
            "text": self.text,
            "reason": self.reason,
            "stage": self.stage,
            "rule": self.rule,
        }
        if self.end is not None and self.end != self.pos:
            record["end_position"] = self.end
        if self.kept_id is not None:
            record["kept_id"] = self.kept_id
            record["kept_position"] = self.kept_pos
            record["score"] = self.score
        if self.coverage is not None:
            record["coverage"] = self.coverage
        if self.visible_lines is not None:
            record["visible_lines"] = list(self.visible_lines)
        if self.parts:
            record["kept_parts"] = [{"id": i, "position": p, "score": s} for i, p, s in self.parts]
        return record


@dataclass(slots=True)
class Document:
    """A document on its way through the stages."""

    id: str
    source: str
    raw: str = ""
    chars_in: int = 0
    lines: list[Line] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    dropped: str | None = None
    # The dedup stage's compact sketch of the paragraphs, made where the
    # document is cleaned (a worker process) and consumed by the dedup index.
    sketch: Any = None

    def remove(self, stage: str, rule: str, line: Line) -> None:
        """Record that a whole line left the text."""
        self.removals.append(Removal(stage, rule, line.pos, line.text))

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)
