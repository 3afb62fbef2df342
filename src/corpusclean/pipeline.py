"""Chain the stages: read and clean documents (in parallel), then dedup, filter, write.

Per-document stages are pure functions of a document and the config, so
they run in worker processes (the dedup sketch of each document too). The
corpus-wide dedup runs in this process in two passes: documents are indexed
in input order and spilled to a temporary file, the index decides once it
has seen them all, and the spilled documents are read back, deduplicated,
filtered and written in input order. The output is identical whatever the
number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from . import config as config_module
from . import dedup
from .boilerplate import strip_boilerplate
from .config import Config
from .document import Document
from .filters import filter_document, verdict
from .metadata import extract_metadata
from .normalise import normalise
from .pageclassifier import classify_lines
from .paragraphs import split_paragraphs
from .progress import Progress, input_size
from .read import Skip, Source, check_paths, discover, read_documents
from .report import Report
from .revisions import unwrap_revisions
from .rulescreen import screen
from .write import atomic_writer, document_record, dumps

# Sources handed to a worker at once, and batches in flight per worker: enough
# to keep every core busy, few enough that memory stays flat.
BATCH_SOURCES = 16
BATCHES_PER_JOB = 3


def clean_document(doc: Document, cfg: Config) -> Document:
    """Every per-document stage, in the order data flows."""
    normalise(doc, cfg.normalise)
    unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)
    # Boilerplate goes before the header is read, so that a crumb trail or
    # an "Advertisement" line above the headline is not taken for the title.
    strip_boilerplate(doc, cfg.rules, cfg.boilerplate)
    extract_metadata(doc, cfg.metadata)
    # The page classifier comes after the header is read: on its own it would
    # take a short headline or dateline for a menu item.
    if cfg.classifier["enabled"]:
        classify_lines(doc, cfg.classifier)
    split_paragraphs(doc, cfg.paragraphs)
    return doc


def finish_document(doc: Document, cfg: Config, index: dedup.Index | None, ordinal: int | None = None) -> Document:
    """The corpus-wide stages for one cleaned document, once `index` has seen
    every document and resolved: its dedup decisions, then the document filter.
    Called in input order, or with the document's `ordinal` in the index."""
    if index is not None:
        index.apply(doc, ordinal)
    filter_document(doc, cfg.filter, decided=index is not None)
    return doc


def dedup_index(cfg: Config) -> dedup.Index | None:
    """The corpus-wide dedup index, or None when dedup is off. The filter's
    rule tells it which documents are dropped as syndicated copies."""
    if not cfg.dedup["enabled"]:
        return None
    filter_cfg = cfg.filter
    return dedup.Index(cfg.dedup, lambda kept, duplicate: verdict(kept, duplicate, filter_cfg))


def process_source(source: Source, cfg: Config) -> list[Document | Skip]:
    """Read one input and clean each of its documents."""
    items: list[Document | Skip] = []
    for item in read_documents(source, cfg.input):
        if isinstance(item, Document):
            clean_document(item, cfg)
        items.append(item)
    return items


class _Spill:
    """Documents parked on disk between the two dedup passes, read back in order."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.count = 0

    def write(self, doc: Document) -> None:
        pickle.dump(doc, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def read(self) -> Iterator[Document]:
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)

    def close(self) -> None:
        self.file.close()


def _counted(items: Iterable[Source | Skip], report: Report) -> Iterator[Source | Skip]:
    for item in items:
        report.files += 1
        yield item


# One input's outcome: its path ('' for a skipped path) and its documents or skip.
Group = tuple[str, list[Document | Skip]]


def _group(item: Source | Skip, cfg: Config) -> Group:
    if isinstance(item, Skip):
        return "", [item]
    return item.path, process_source(item, cfg)


def _ready(groups: list[Group]) -> Callable[[], list[Group]]:
    return lambda: groups


_worker_config: Config | None = None


def _init_worker(cfg: Config) -> None:
    global _worker_config
    _worker_config = cfg
    # Ctrl-C reaches the whole process group: the main process handles it and
    # ends the pool; workers ending on SIGTERM need no handler of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _process_batch(sources: list[Source]) -> list[Group]:
    assert _worker_config is not None
    groups = [_group(source, _worker_config) for source in sources]
    docs = [item for _, items in groups for item in items if isinstance(item, Document)]
    if _worker_config.dedup["enabled"]:
        dedup.sketch_documents(docs, _worker_config.dedup)  # the whole batch in one call
    for _, items in groups:
        for item in items:
            if isinstance(item, Document):
                item.lines = []  # the paragraphs hold the text now; less to send back
    return groups


@dataclass
class Pipeline:
    """The whole cleaning run over a config; the CLI is a thin layer over this."""

    config: Config

    def __post_init__(self) -> None:
        dedup.check_config(self.config.dedup)

    @classmethod
    def from_file(cls, path: str | None = None, **overrides: Any) -> Pipeline:
        return cls(config_module.load(path, overrides))

    def cleaned(self, paths: list[str], jobs: int = 1, report: Report | None = None) -> Iterator[Document | Skip]:
        """Documents after the per-document stages, in input order."""
        for _, items in self.groups(paths, jobs, report):
            yield from items

    def groups(self, paths: list[str], jobs: int = 1, report: Report | None = None) -> Iterator[Group]:
        """Each input's cleaned documents (or its skip), in input order."""
        check_paths(paths)
        cfg = self.config.input
        found = discover(paths, cfg["include_hidden"], cfg["include"], cfg["exclude"])
        sources = _counted(found, report or Report())
        if jobs <= 1:
            for item in sources:
                yield _group(item, self.config)
            return
        yield from self._parallel(sources, jobs)

    def _parallel(self, sources: Iterable[Source | Skip], jobs: int) -> Iterator[Group]:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        screen(self.config.rules)  # built once here; forked workers inherit it
        with context.Pool(jobs, initializer=_init_worker, initargs=(self.config,)) as pool:
            pending: deque[Callable[[], list[Group]]] = deque()
            batch: list[Source] = []

            def submit() -> None:
                if batch:
                    pending.append(pool.apply_async(_process_batch, (list(batch),)).get)
                    batch.clear()

            for item in sources:
                if isinstance(item, Skip) or item.path == "-":
                    submit()  # stdin is read here: a worker cannot
                    pending.append(_ready([_group(item, self.config)]))
                else:
                    batch.append(item)
                    if len(batch) >= BATCH_SOURCES:
                        submit()
                while len(pending) > jobs * BATCHES_PER_JOB:
                    yield from pending.popleft()()
            submit()
            while pending:
                yield from pending.popleft()()

    def run(
        self,
        paths: list[str],
        output: str,
        audit: str | None = None,
        report: Report | None = None,
        jobs: int = 1,
        on_skip: Callable[[Skip], None] | None = None,
        progress: Progress | None = None,
    ) -> Report:
        """Clean `paths` into `output` (and the audit file); return the run's report."""
        report = report or Report()
        with ExitStack() as stack:
            out = stack.enter_context(atomic_writer(output))
            audit_out = stack.enter_context(atomic_writer(audit)) if audit else None
            index = dedup_index(self.config)
            if index is not None:
                stack.enter_context(index)
                spill = _Spill()
                stack.callback(spill.close)
            documents: Iterable[Document] = self._documents(paths, jobs, report, on_skip, progress)
            if index is not None:
                for doc in documents:
                    index.add(doc)
                    spill.write(doc)
                index.resolve()
                report.stages["dedup"] = index.stats
                documents = spill.read()
            for doc in documents:
                finish_document(doc, self.config, index)
                report.add_document(doc)
                if not doc.dropped:
                    out.write(dumps(document_record(doc)))
                if audit_out is not None:
                    for removal in sorted(doc.removals, key=lambda r: r.pos):
                        audit_out.write(dumps(removal.to_record(doc.id)))
        report.finish()
        return report

    def _documents(
        self,
        paths: list[str],
        jobs: int,
        report: Report,
        on_skip: Callable[[Skip], None] | None,
        progress: Progress | None,
    ) -> Iterator[Document]:
        """Cleaned documents in input order; skips go to the report as they come."""
        for path, items in self.groups(paths, jobs, report):
            for item in items:
                if isinstance(item, Skip):
                    report.add_skip(item)
                    if on_skip is not None:
                        on_skip(item)
                else:
                    yield item
            size = input_size(path)
            report.bytes_in += size
            if progress is not None:
                progress.advance(size, len(items))
        if progress is not None:
            progress.close()


def clean_text(text: str, config: Config | None = None, doc_id: str = "text") -> Document:
    """Clean one text in memory with every stage, dedup within the text included."""
    cfg = config or config_module.load()
    doc = Document(id=doc_id, source="<text>", raw=text, chars_in=len(text))
    clean_document(doc, cfg)
    if cfg.dedup["enabled"]:
        with dedup.Index(cfg.dedup) as index:
            index.add(doc)
            index.resolve()
            index.apply(doc)
    return doc
