"""The records that flow through the pipeline: a Document, its lines, and Removals.

Every stage that drops text records a Removal, so nothing leaves a document
without a reason that the audit file and the report can show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
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
    # A line removed as repeated across the corpus (repeated.across-documents):
    # the number of documents and of distinct sources that hold it.
    repeats: tuple[int, int] | None = None
    # A span stripped from inside a line (a span rule): its character offsets
    # in the input line, [start, end) of its first and last character.
    span: tuple[int, int] | None = None
    # A document dropped as not an article: what showed it (the rule, and the
    # input line and text it matched), the same on each of its records.
    evidence: dict[str, Any] | None = None

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
        elif self.score is not None:
            # A learned decision's score (classifier.line-model: the probability of content).
            record["score"] = self.score
        if self.coverage is not None:
            record["coverage"] = self.coverage
        if self.visible_lines is not None:
            record["visible_lines"] = list(self.visible_lines)
        if self.repeats is not None:
            record["documents"], record["sources"] = self.repeats
        if self.span is not None:
            record["start_char"], record["end_char"] = self.span
        if self.evidence is not None:
            record["evidence"] = self.evidence
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
    # Why a document dropped as not an article is not one (filter.non-article):
    # {"rule": ..., "lines": [{"line": pos, "text": ...}, ...]}.
    evidence: dict[str, Any] | None = None
    # The dedup stage's compact sketch of the paragraphs, made where the
    # document is cleaned (a worker process) and consumed by the dedup index.
    sketch: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its lines, paragraphs and removals as columns (a list
        per field): a pickler keeps a reference to every object it writes
        until it is done, and a slots object written as such costs a state
        dict of its own, so a long document pickled object by object (parked
        between the passes) cost several times its size while it was written."""
        values = [getattr(self, name) for name in _DOCUMENT_FIELDS]
        return _document, (values, _columns(self.lines), _columns(self.paragraphs), _columns(self.removals))

    def remove(self, stage: str, rule: str, line: Line, score: float | None = None) -> None:
        """Record that a whole line left the text (with the decision's score, if it has one)."""
        self.removals.append(Removal(stage, rule, line.pos, line.text, score=score))

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    @property
    def text(self) -> str:
        """The output text: the paragraphs, a blank line between them. Built
        anew on each call; `text_chars` and `text_pieces` never build it."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def text_chars(self) -> int:
        """len(self.text), counted without building the text."""
        return sum(len(p.text) for p in self.paragraphs) + 2 * max(len(self.paragraphs) - 1, 0)

    def text_pieces(self) -> Iterator[str]:
        """self.text in pieces (each paragraph and each blank line between),
        for a long document's text to be hashed or written without a copy."""
        for i, paragraph in enumerate(self.paragraphs):
            if i:
                yield "\n\n"
            yield paragraph.text


_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document) if f.name not in ("lines", "paragraphs", "removals"))


def _columns(items: list[Any]) -> tuple[type | None, list[Any]]:
    """Objects of one dataclass as (the class, a list per field); any other
    list as (None, the list) (see Document.__reduce__)."""
    kind = type(items[0]) if items else None
    if kind is None or not is_dataclass(kind) or any(type(item) is not kind for item in items):
        return None, items
    return kind, [[getattr(item, f.name) for item in items] for f in fields(kind)]


def _rows(kind: type | None, data: list[Any]) -> list[Any]:
    """The list _columns took apart."""
    return [kind(*values) for values in zip(*data, strict=True)] if kind is not None else list(data)


def _document(
    values: list[Any],
    lines: tuple[type | None, list[Any]],
    paragraphs: tuple[type | None, list[Any]],
    removals: tuple[type | None, list[Any]],
) -> Document:
    """A Document from Document.__reduce__'s columns."""
    doc = Document(**dict(zip(_DOCUMENT_FIELDS, values, strict=True)))
    doc.lines, doc.paragraphs, doc.removals = _rows(*lines), _rows(*paragraphs), _rows(*removals)
    return doc
