"""Chain the stages: read and clean documents (in parallel), then dedup, filter, write.

Per-document stages are pure functions of a document and the config, so
they run in worker processes, a batch of inputs at a time. Without dedup a
worker also filters the documents and renders their output lines. With it,
the run has two passes: workers clean and sketch each batch, and this
process files the sketches in the index and parks the (pickled) documents
in a temporary file; once the index has seen the whole corpus and decided,
the parked documents go back to the workers with their decisions, are
filtered and rendered, and this process writes them. Results are taken in
input order, so the output is identical whatever the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
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

# Sources (pass 1) or documents (pass 2) handed to a worker at once, and
# batches in flight per worker: enough to keep every core busy, few enough
# that memory stays flat.
BATCH_SOURCES = 16
BATCH_DOCUMENTS = 32
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


@dataclass
class Finished:
    """Documents ready to write: their output lines, audit lines and counts."""

    records: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def add(self, doc: Document, audit: bool) -> None:
        self.report.add_document(doc)
        if not doc.dropped:
            self.records.append(dumps(document_record(doc)))
        if audit:
            self.audit.extend(dumps(r.to_record(doc.id)) for r in sorted(doc.removals, key=lambda r: r.pos))


@dataclass
class Batch:
    """Consecutive inputs after the per-document stages, in input order.

    With dedup, the documents wait (pickled, for the spill file) until the
    index has seen the whole corpus, and `rows` holds what the index files of
    them; without it they are finished at once.
    """

    inputs: list[tuple[str, int, int]] = field(default_factory=list)  # (path, bytes, documents or skips)
    skips: list[Skip] = field(default_factory=list)
    parked: list[bytes] = field(default_factory=list)
    rows: dedup.Rows | None = None
    finished: Finished | None = None


def clean_batch(items: list[Source | Skip], cfg: Config, audit: bool) -> Batch:
    """Pass 1 for a few inputs: read and clean them; sketch them for the dedup
    index, or, without dedup, finish them. Runs in a worker process."""
    batch = Batch()
    docs: list[Document] = []
    for item in items:
        if isinstance(item, Skip):
            batch.inputs.append(("", 0, 1))
            batch.skips.append(item)
            continue
        found = process_source(item, cfg)
        batch.inputs.append((item.path, input_size(item.path), len(found)))
        for doc in found:
            if isinstance(doc, Skip):
                batch.skips.append(doc)
            else:
                doc.lines = []  # the paragraphs hold the text now
                docs.append(doc)
    if cfg.dedup["enabled"]:
        batch.rows = dedup.document_rows(docs, cfg.dedup)
        batch.parked = [pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) for doc in docs]
    else:
        batch.finished = Finished()
        for doc in docs:
            filter_document(doc, cfg.filter, decided=False)
            batch.finished.add(doc, audit)
    return batch


def clean_sources(items: list[Source | Skip], cfg: Config, audit: bool) -> list[Document | Skip]:
    """The per-document stages for a few inputs, documents whole (lines kept)."""
    return [found for item in items for found in ([item] if isinstance(item, Skip) else process_source(item, cfg))]


def finish_parked(parked: list[tuple[bytes, dedup.Plan]], cfg: Config, audit: bool) -> Finished:
    """Pass 2 for a few documents: their dedup decisions, then the document filter."""
    finished = Finished()
    for blob, plan in parked:
        doc = dedup.apply_plan(pickle.loads(blob), plan)
        filter_document(doc, cfg.filter, decided=True)
        finished.add(doc, audit)
    return finished


class _Spill:
    """Pickled documents parked on disk between the two dedup passes, read back in order."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.sizes: list[int] = []

    def write(self, blob: bytes) -> None:
        self.file.write(blob)
        self.sizes.append(len(blob))

    def read(self) -> Iterator[bytes]:
        self.file.seek(0)
        for size in self.sizes:
            yield self.file.read(size)

    def close(self) -> None:
        self.file.close()


def _counted(items: Iterable[Source | Skip], report: Report) -> Iterator[Source | Skip]:
    for item in items:
        report.files += 1
        yield item


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_worker: tuple[Config, bool] | None = None  # a worker's config and whether an audit is written


def _init_worker(cfg: Config, audit: bool) -> None:
    global _worker
    _worker = (cfg, audit)
    # Ctrl-C reaches the whole process group: the main process handles it and
    # ends the workers; workers ending on SIGTERM need no handler of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _call(function: Callable[[Any, Config, bool], Any], argument: Any) -> Any:
    assert _worker is not None
    return function(argument, *_worker)


def _ready(result: Any) -> Callable[[], Any]:
    return lambda: result


class _Runner:
    """Runs batches of work in input order: in this process, or in a pool of
    workers with a bounded number of batches in flight (memory stays flat)."""

    def __init__(self, cfg: Config, jobs: int, audit: bool) -> None:
        self.cfg, self.jobs, self.audit = cfg, jobs, audit
        self.pool: ProcessPoolExecutor | None = None
        if jobs > 1:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            screen(cfg.rules)  # built once here; forked workers inherit it
            # An executor, not multiprocessing.Pool: its terminate() can deadlock
            # while a worker is sending a large result; the executor's thread
            # keeps reading results until the workers are done.
            self.pool = ProcessPoolExecutor(jobs, context, initializer=_init_worker, initargs=(cfg, audit))

    def close(self) -> None:
        """End the workers; after an error (Ctrl-C) the batches queued are
        dropped and those already running are let finish."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def clean(self, items: Iterable[Source | Skip], function: Callable[..., Any] = clean_batch) -> Iterator[Any]:
        """`function` (clean_batch, clean_sources) over batches of the inputs, in
        order. Stdin is read here (a worker cannot), and a skip needs no worker."""

        def tasks() -> Iterator[tuple[Any, list[Source | Skip], bool]]:
            chunk: list[Source | Skip] = []
            for item in items:
                here = isinstance(item, Skip) or item.path == "-"
                if chunk and (here or len(chunk) >= BATCH_SOURCES):
                    yield function, chunk, False
                    chunk = []
                if here:
                    yield function, [item], True
                else:
                    chunk.append(item)
            if chunk:
                yield function, chunk, False

        return self._ordered(tasks())

    def finish(self, parked: Iterable[tuple[bytes, dedup.Plan]]) -> Iterator[Finished]:
        return self._ordered((finish_parked, chunk, False) for chunk in _chunks(parked, BATCH_DOCUMENTS))

    def _ordered(self, tasks: Iterable[tuple[Any, Any, bool]]) -> Iterator[Any]:
        """The results of (function, argument, here) tasks in order; `here`
        runs in this process, the rest in the pool if there is one."""
        pending: deque[Callable[[], Any]] = deque()
        for function, argument, here in tasks:
            if self.pool is None or here:
                pending.append(_ready(function(argument, self.cfg, self.audit)))
            else:
                pending.append(self.pool.submit(_call, function, argument).result)
            while len(pending) > self.jobs * BATCHES_PER_JOB:
                yield pending.popleft()()
        while pending:
            yield pending.popleft()()


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
        """Documents after the per-document stages (lines kept), in input order."""
        runner = _Runner(self.config, jobs, False)
        try:
            for items in runner.clean(self._sources(paths, report or Report()), clean_sources):
                yield from items
        finally:
            runner.close()

    def _sources(self, paths: list[str], report: Report) -> Iterator[Source | Skip]:
        check_paths(paths)
        cfg = self.config.input
        return _counted(discover(paths, cfg["include_hidden"], cfg["include"], cfg["exclude"]), report)

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
        sources = self._sources(paths, report)
        with ExitStack() as stack:
            out = stack.enter_context(atomic_writer(output))
            audit_out = stack.enter_context(atomic_writer(audit)) if audit else None
            runner = _Runner(self.config, jobs, audit_out is not None)
            stack.callback(runner.close)
            index = dedup_index(self.config)
            finished: Iterable[Finished]
            if index is None:
                finished = (
                    b.finished for b in self._pass_one(runner, sources, report, on_skip, progress) if b.finished
                )
            else:
                stack.enter_context(index)
                spill = _Spill()
                stack.callback(spill.close)
                for batch in self._pass_one(runner, sources, report, on_skip, progress):
                    if batch.rows is not None:
                        index.add_rows(batch.rows)
                    for blob in batch.parked:
                        spill.write(blob)
                index.resolve()
                report.stages["dedup"] = index.stats
                finished = runner.finish((blob, index.plan(i)) for i, blob in enumerate(spill.read()))
            for part in finished:
                out.write("".join(part.records))
                if audit_out is not None:
                    audit_out.write("".join(part.audit))
                report.add_documents(part.report)
        report.finish()
        return report

    def _pass_one(
        self,
        runner: _Runner,
        sources: Iterable[Source | Skip],
        report: Report,
        on_skip: Callable[[Skip], None] | None,
        progress: Progress | None,
    ) -> Iterator[Batch]:
        """Cleaned batches in input order; skips and progress are reported as they come."""
        for batch in runner.clean(sources):
            for skip in batch.skips:
                report.add_skip(skip)
                if on_skip is not None:
                    on_skip(skip)
            for _, size, count in batch.inputs:
                report.bytes_in += size
                if progress is not None:
                    progress.advance(size, count)
            yield batch
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
