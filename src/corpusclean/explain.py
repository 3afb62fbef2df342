"""Explain a file line by line: kept, removed by which rule, moved to metadata,
or a duplicate of which paragraph.

Nothing here decides a line's fate: the file goes through the same stages as
in `clean` (pipeline.clean_document, the dedup index over the corpus, then
pipeline.finish_document), and each line's fate is read back from the document's
Removals by position.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import repetition
from .config import Config
from .document import Document, Removal
from .normalise import split_lines
from .pipeline import clean_document, dedup_index, finish_document, process_source, repetition_table
from .read import Skip, Source, check_paths, discover, read_documents

# Stages that act on whole paragraphs after the lines are cut into them; a
# removal of theirs covers every line of its paragraph, not only the first.
PARAGRAPH_STAGES = ("repeated", "dedup", "filter")
# Metadata rules whose field is not named after the rule.
METADATA_FIELDS = {"byline": ("author",), "byline-date": ("date", "author")}
KINDS = ("kept", "removed", "metadata", "duplicate", "dropped", "blank", "unaccounted")


@dataclass(slots=True)
class Fate:
    """What became of one input line. `kind` is one of KINDS; `notes` are the
    parts of a kept line that were taken off (a superseded old version, a
    stripped span)."""

    pos: int
    text: str
    kind: str
    reason: str = ""
    detail: str = ""
    notes: list[Removal] = field(default_factory=list)


@dataclass(slots=True)
class Explained:
    """One document of the explained file, its lines' fates in input order."""

    doc_id: str
    source: str
    fates: list[Fate]
    dropped: str | None
    metadata: dict[str, Any]


class ExplainError(ValueError):
    """A file that cannot be explained (unreadable, binary, empty); the message names it."""


def _same_file(a: str, b: str) -> bool:
    try:
        return a != "-" and b != "-" and os.path.samefile(a, b)
    except OSError:
        return False


def explain(path: str, cfg: Config, corpus: list[str] | None = None) -> Iterator[Explained | Skip]:
    """Run `path` through the pipeline and yield each of its documents' line fates.

    A JSONL record that cannot be read is yielded as its Skip, in its place
    among the documents; the file's good records are explained. A file with
    no document at all raises ExplainError (after its records' Skips).

    Without `corpus`, dedup runs within the file only, as `clean FILE` would.
    With it, the corpus's documents are cleaned and deduplicated in input order
    first, as `clean CORPUS...` would: a file inside the corpus is explained at
    its own place (documents after it cannot change it), a file outside it as
    if it came last.
    """
    check_paths([path, *(corpus or [])])
    targets: list[Source] = []
    for item in discover([path], cfg.input["include_hidden"]):
        if isinstance(item, Skip):
            raise ExplainError(item.message())
        targets.append(item)
    index = dedup_index(cfg)
    table = repetition_table(cfg)
    # (ordinal in the index, document, its input lines) of each explained
    # document, and the Skip of each record that could not be read.
    explained: list[tuple[int, Document, list[str]] | Skip] = []
    ordinal = 0

    def take(doc: Document | Skip, lines: list[str] | None = None) -> None:
        nonlocal ordinal
        if isinstance(doc, Skip):
            explained.append(doc)
            return
        if table is not None:
            table.add(repetition.document_lines([doc], cfg.repetition))
        if index is not None:
            index.add(doc)
        if lines is not None:
            explained.append((ordinal, doc, lines))
        ordinal += 1

    # With the first-in-input-order survivor policy, documents after the last
    # explained one cannot change it; other policies, and counting lines
    # repeated across the corpus, need the whole corpus.
    whole_corpus = (index is not None and cfg.dedup["survivor"] != "first") or table is not None
    pending = list(targets)
    for item in discover(corpus or [], cfg.input["include_hidden"]):
        if not pending and not whole_corpus:
            break
        if isinstance(item, Skip):
            continue
        target = next((t for t in pending if _same_file(t.path, item.path)), None)
        if target is not None:
            pending.remove(target)
            # Its id as `clean CORPUS` gives it (the path below the corpus folder).
            for doc, lines in _read_source(Source(target.path, target.display, item.id), cfg):
                take(doc, lines)
            continue
        for cleaned in process_source(item, cfg):
            if isinstance(cleaned, Document):
                take(cleaned)
    for target in pending:
        for doc, lines in _read_source(target, cfg):
            take(doc, lines)
    try:
        if not any(not isinstance(e, Skip) for e in explained):
            yield from (e for e in explained if isinstance(e, Skip))
            raise ExplainError(f"{targets[0].display if targets else path}: no record could be read")
        if table is not None:
            table.resolve()
            if index is not None:
                index.exclude(table.excluded())
        if index is not None:
            index.resolve()
        for entry in explained:
            if isinstance(entry, Skip):
                yield entry
                continue
            at, doc, lines = entry
            finish_document(doc, cfg, index, at, table)
            yield Explained(doc.id, doc.source, fates(doc, lines, cfg), doc.dropped, dict(doc.metadata))
    finally:
        if index is not None:
            index.close()


def _read_source(source: Source, cfg: Config) -> Iterator[tuple[Document | Skip, list[str]]]:
    """The file's cleaned documents, each with its input lines; a JSONL
    record that cannot be read as its Skip. ExplainError when the whole file
    cannot be read."""
    for item in read_documents(source, cfg.input):
        if isinstance(item, Skip):
            if item.source == source.display:  # the file itself, not one of its records
                raise ExplainError(item.message())
            yield item, []
            continue
        lines = split_lines(item.raw, cfg.normalise)  # numbered as normalise numbers them
        if lines[-1] == "":  # the file's final line break ends a line, it does not start one
            lines.pop()
        yield clean_document(item, cfg), lines


def fates(doc: Document, lines: list[str], cfg: Config) -> list[Fate]:
    """Each input line's fate, read from a finished document's removals."""
    by_pos: dict[int, list[Removal]] = {}
    for removal in doc.removals:
        by_pos.setdefault(removal.pos, []).append(removal)
    reached = {line.pos for line in doc.lines if line.text.strip()}
    # Paragraphs start at a kept paragraph's line or at a removed paragraph's
    # line; a line belongs to the paragraph that starts last at or before it.
    starts: dict[int, Removal | None] = {p.pos: None for p in doc.paragraphs}
    for removal in doc.removals:
        if removal.stage in PARAGRAPH_STAGES:
            starts[removal.pos] = removal
    ordered = sorted(starts)
    result = []
    for pos, raw in enumerate(lines, 1):
        text = raw.rstrip()
        if not text.strip():
            result.append(Fate(pos, text, "blank"))
            continue
        own = [r for r in by_pos.get(pos, []) if r.stage not in PARAGRAPH_STAGES]
        if pos in reached:
            at = bisect.bisect_right(ordered, pos) - 1
            paragraph = starts[ordered[at]] if at >= 0 else None
            if paragraph is None:
                result.append(Fate(pos, text, "kept", notes=own))
            else:
                result.append(_removed(pos, text, paragraph, own, doc, cfg))
        elif own:
            result.append(_removed(pos, text, own[-1], own[:-1], doc, cfg))
        else:
            result.append(Fate(pos, text, "unaccounted"))
    return result


def _removed(pos: int, text: str, removal: Removal, notes: list[Removal], doc: Document, cfg: Config) -> Fate:
    if removal.stage == "metadata":
        return Fate(pos, text, "metadata", removal.reason, _metadata_detail(removal.rule, doc, cfg, text), notes)
    if removal.stage == "dedup":
        detail = f"of {removal.kept_id}:{removal.kept_pos}, score {removal.score}"
        return Fate(pos, text, "duplicate", removal.reason, detail, notes)
    if removal.stage == "filter":
        detail = f"copy of {removal.kept_id}" if removal.kept_id else ""
        return Fate(pos, text, "dropped", removal.reason, detail, notes)
    # A learned decision shows its score (classifier.line-model: the probability of content).
    detail = f"probability {removal.score}" if removal.score is not None else ""
    return Fate(pos, text, "removed", removal.reason, detail, notes)


def _metadata_detail(rule: str, doc: Document, cfg: Config, text: str) -> str:
    """The metadata fields a header line went into ("-> author"), with their
    values where they differ from the line ("-> date = 2016-05-24")."""
    if rule.startswith("news-diff-"):
        pattern = next((p for p in cfg.header_patterns if p.name == rule[len("news-diff-") :]), None)
        names = [n for n in pattern.regex.groupindex if doc.metadata.get(n) is not None] if pattern else []
    else:
        names = list(METADATA_FIELDS.get(rule, (rule,)))
    values = {**doc.metadata, "title": doc.title}
    parts = []
    for name in names:
        value = values.get(name)
        parts.append(name if value is None or str(value) == text.strip() else f"{name} = {value}")
    return "-> " + ", ".join(parts) if parts else ""


def identity(text: str, kind: str) -> str:
    return text


def render(explained: Explained, style: Callable[[str, str], str] = identity) -> Iterator[str]:
    """Printable lines: a header, one line per input line (and one per note),
    and a count of fates. `style(text, kind)` may colour a piece by its kind."""
    yield style(f"== {explained.source} (id {explained.doc_id})", "header")
    for fate in explained.fates:
        if fate.kind == "blank":
            yield f"{fate.pos:>5}"
            continue
        label = style(f"{fate.kind:<9}", fate.kind)
        why = ""
        if fate.reason:
            why = style(f"[{fate.reason}{' ' + fate.detail if fate.detail else ''}] ", fate.kind)
        text = fate.text if fate.kind == "kept" else style(fate.text, "removed-text")
        yield f"{fate.pos:>5} {label} {why}{text}"
        for note in fate.notes:
            score = f", score {note.score}" if note.score is not None else ""
            label = style(f"{'part':<9}", "note")
            yield f"{'':>5} {label} {style(f'[{note.reason}{score}]', 'note')} removed: {note.text}"
    counts: dict[str, int] = {}
    for fate in explained.fates:
        if fate.kind != "blank":
            counts[fate.kind] = counts.get(fate.kind, 0) + 1
    summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if k in counts)
    yield style(f"-- {summary}", "header")
    if explained.dropped:
        yield style(f"-- document dropped: filter.{explained.dropped}", "dropped")
