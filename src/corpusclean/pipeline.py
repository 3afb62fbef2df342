"""Chain the stages: read and clean documents (in parallel), then dedup, filter, write.

Per-document stages are pure functions of a document and the config, so
they run in worker processes, a batch of inputs at a time. Without dedup a
worker also filters the documents and renders their output lines. With it,
the run has two passes: workers clean and sketch each batch and park the
(pickled) documents in a temporary file of their own, and this process files
the sketches in the index; once the index has seen the whole corpus and
decided, the workers read the parked documents back with their decisions,
filter and render them, and this process writes them: in a dedup run it
sees a document's sketch and output lines, never its pickled text. Lines
repeated across the corpus (repetition.py) take the same two passes, with
or without dedup: workers hash each paragraph in pass 1, this process counts
the hashes, and pass 2 removes the repeated ones before dedup's decisions. Results
are taken in input order, so the output is identical whatever the number of
jobs. A long document's sketch, output lines and audit lines, and a large
batch's result, come to this process through the workers' spill files
(spill.py), never whole through a pipe: memory stays a small multiple of the
longest document (bench/bigfile.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

from . import config as config_module
from . import dedup, repetition, spill
from .boilerplate import rules_for, strip_boilerplate
from .config import Config
from .document import Document
from .filters import filter_document, verdict
from .language import identifier, identify_language
from .metadata import extract_metadata
from .normalise import normalise
from .pageclassifier import classify_lines
from .paragraphs import split_paragraphs
from .progress import Progress, input_size
from .read import Skip, Source, as_paths, check_paths, discover, read_documents, unique_ids
from .report import Report
from .report.documents import DocumentTally
from .revisions import unwrap_revisions
from .rulescreen import gate, screen
from .write import ENCODING, ERRORS, atomic_writer, document_record, dumps, record_bytes

# Sources (pass 1) or documents (pass 2) handed to a worker at once, and
# batches in flight per worker: enough to keep every core busy, few enough
# that memory stays flat. Pass 2's work per document is small, so its batches
# are large: with 32 documents the main process's cost per batch kept pass 2
# of a 2-worker run at 8.3 s against 9.7 s in one process (6.2 s with 256).
BATCH_SOURCES = 16
BATCH_DOCUMENTS = 256
BATCHES_PER_JOB = 3
# A document whose output text (or removed text, for the audit) holds at least
# this many characters has its record (its audit lines) written to a spill
# file by the process that renders it, and copied from there to the output a
# chunk at a time: no process holds it whole, as a string or a pickle.
LARGE_DOCUMENT_CHARS = 1 << 20
# A pass-1 batch of at least this many paragraphs (a long document's sketch
# and hashes) is pickled to a spill file for the main process to read, rather
# than sent through the pool's pipe, which holds a result twice (its pickle
# and its objects) in each process, and keeps the last one.
LARGE_BATCH_PARAGRAPHS = 1 << 14


def clean_document(doc: Document, cfg: Config) -> Document:
    """Every per-document stage, in the order data flows."""
    normalise(doc, cfg.normalise)
    # The language chooses the rules, the byline and date words and the
    # classifier's stoplist of the stages below.
    identify_language(doc, cfg.language)
    unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)
    # Boilerplate goes before the header is read, so that a crumb trail or
    # an "Advertisement" line above the headline is not taken for the title.
    strip_boilerplate(doc, cfg.rules, cfg.boilerplate)
    extract_metadata(doc, cfg.metadata)
    # The page classifier comes after the header is read: on its own it would
    # take a short headline or dateline for a menu item. Text trafilatura
    # extracted from a page is the article already: the classifier would
    # only second-guess it (on CleanEval it cost the HTML path 0.02 F1).
    if cfg.classifier["enabled"] and doc.metadata.get("extraction") != "trafilatura":
        classify_lines(doc, cfg.classifier)
    split_paragraphs(doc, cfg.paragraphs)
    return doc


def finish_document(
    doc: Document,
    cfg: Config,
    index: dedup.Index | None,
    ordinal: int | None = None,
    table: repetition.Table | None = None,
) -> Document:
    """The corpus-wide stages for one cleaned document, once `index` (and
    `table`) have seen every document and resolved: its repeated lines, its
    dedup decisions, then the document filter. Called in input order, or with
    the document's `ordinal` in the index (required with a table)."""
    if table is not None:
        assert ordinal is not None
        repetition.apply_plan(doc, table.plan(ordinal))
    if index is not None:
        index.apply(doc, ordinal)
    filter_document(doc, cfg.filter, decided=index is not None)
    return doc


def dedup_index(cfg: Config, jobs: int = 1) -> dedup.Index | None:
    """The corpus-wide dedup index (verifying in `jobs` threads), or None when
    dedup is off. The filter's rule tells it which documents are dropped as
    syndicated copies."""
    if not cfg.dedup["enabled"]:
        return None
    filter_cfg = cfg.filter
    return dedup.Index(cfg.dedup, lambda kept, duplicate: verdict(kept, duplicate, filter_cfg), jobs)


def repetition_table(cfg: Config) -> repetition.Table | None:
    """The corpus-wide count of repeated lines, or None when that stage is off."""
    return repetition.Table(cfg.repetition) if cfg.repetition["enabled"] else None


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
    """Documents ready to write: their output lines, audit lines and counts.
    A large document's lines are a Parcel of their bytes (LARGE_DOCUMENT_CHARS)."""

    records: list[str | spill.Parcel] = field(default_factory=list)
    audit: list[str | spill.Parcel] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def add(self, doc: Document, audit: bool, folder: str | None = None) -> None:
        """Count `doc` and render its output (and audit) lines; a large one's
        go to this process's spill file in `folder`, when given."""
        self.report.add_document(doc)
        if not doc.dropped:
            if folder is not None and doc.text_chars >= LARGE_DOCUMENT_CHARS:
                self.records.append(spill.spill_bytes(folder, record_bytes(doc)))
            else:
                self.records.append(dumps(document_record(doc)))
        if audit:
            lines = (dumps(r.to_record(doc.id)) for r in sorted(doc.removals, key=lambda r: r.pos))
            if folder is not None and sum(len(r.text) for r in doc.removals) >= LARGE_DOCUMENT_CHARS:
                self.audit.append(spill.spill_bytes(folder, (line.encode(ENCODING, ERRORS) for line in lines)))
            else:
                self.audit.extend(lines)


@dataclass
class Batch:
    """Consecutive inputs after the per-document stages, in input order.

    With dedup, the documents wait (parked on disk) until the index has seen
    the whole corpus, and `rows` holds what the index files of them; without
    it they are finished at once.
    """

    inputs: list[tuple[str, int, int]] = field(default_factory=list)  # (path, bytes, documents or skips)
    skips: list[Skip] = field(default_factory=list)
    parked: list[tuple[str, int, int]] = field(default_factory=list)  # (file, offset, size) per document
    rows: dedup.Rows | None = None
    lines: repetition.Lines | None = None
    finished: Finished | None = None

    def paragraphs(self) -> int:
        """The paragraphs whose sketches and hashes the batch carries."""
        if self.rows is not None:
            return len(self.rows.positions)
        return len(self.lines.hashes) if self.lines is not None else 0


@dataclass(frozen=True)
class Job:
    """What every batch of a run needs: the config, whether an audit is
    written, the folder documents are parked in (dedup runs), and the folder
    of the spill files that carry large results (Parcel)."""

    cfg: Config
    audit: bool = False
    park: str | None = None
    # Keep the text of the documents the HTML report shows (report/documents.py).
    views: bool = False
    spill: str | None = None

    def report(self) -> Report:
        """An empty report whose per-document tally follows the config's `report` section."""
        section = self.cfg.report
        return Report(documents=DocumentTally(section["html_documents"], section["html_most_removed"], self.views))


def clean_batch(items: list[Source | Skip], job: Job) -> Batch:
    """Pass 1 for a few inputs: read and clean them; sketch and park them for
    the dedup index, or, without dedup, finish them. Runs in a worker process."""
    cfg = job.cfg
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
                # One of a JSONL file's records, not the file: the summary counts it as such.
                batch.skips.append(doc if doc.source == item.display else replace(doc, unit="record"))
            else:
                doc.lines = []  # the paragraphs hold the text now
                docs.append(doc)
    if job.park is not None:
        if cfg.dedup["enabled"]:
            # A long document's sketch is stored a part at a time as it is made.
            store = None
            if job.spill is not None and sum(len(doc.paragraphs) for doc in docs) >= LARGE_BATCH_PARAGRAPHS:
                store = functools.partial(spill.store, job.spill)
            batch.rows = dedup.document_rows(docs, cfg.dedup, store)
        if cfg.repetition["enabled"]:
            batch.lines = repetition.document_lines(docs, cfg.repetition)
        batch.parked = spill.park(job.park, docs)
    else:
        batch.finished = Finished(report=job.report())
        for doc in docs:
            filter_document(doc, cfg.filter, decided=False)
            batch.finished.add(doc, job.audit, job.spill)
    return batch


def clean_sources(items: list[Source | Skip], job: Job) -> list[Document | Skip]:
    """The per-document stages for a few inputs, documents whole (lines kept)."""
    return [found for item in items for found in ([item] if isinstance(item, Skip) else process_source(item, job.cfg))]


# What pass 2 needs for one parked document: where it is, its dedup decisions
# and its repeated lines (None for a stage that is off).
ParkedPlan = tuple[tuple[str, int, int], dedup.Plan | None, repetition.Plan | None]


def finish_parked(parked: list[ParkedPlan], job: Job) -> Finished:
    """Pass 2 for a few documents: their repeated lines, their dedup
    decisions, then the document filter."""
    finished = Finished(report=job.report())
    for where, plan, repeated in parked:
        doc = spill.unpark(*where)
        if repeated is not None:
            repetition.apply_plan(doc, repeated)
        if plan is not None:
            dedup.apply_plan(doc, plan)
        filter_document(doc, job.cfg.filter, decided=plan is not None)
        finished.add(doc, job.audit, job.spill)
    return finished


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


_worker: Job | None = None  # what a worker process's batches need


# prctl(2) option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
# How often a worker without prctl checks that its parent is alive.
PARENT_CHECK_SECONDS = 0.5


def _init_worker(job: Job, parent: int) -> None:
    global _worker
    _worker = job
    # Ctrl-C reaches the whole process group: the main process handles it and
    # ends the workers; workers ending on SIGTERM need no handler of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


# glibc's mallopt(3) option: the size from which an allocation is its own
# memory map, returned to the system when freed.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024


def _return_freed_memory() -> None:
    """Have glibc's allocator give large blocks back to the system when they
    are freed, in this process (for the rest of its life) and the workers it
    forks; elsewhere, nothing.

    By default glibc raises its threshold for that to the size of the largest
    block freed so far (up to 32 MiB), after which the numpy arrays of
    resolving the dedup index and of sketching a long document are kept in
    its heaps once freed: on bench/bigfile.py the main process peaked 50 MB
    higher (231 MB against 181). Setting the threshold (to its initial
    value) keeps it there.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def _die_with_parent(parent: int) -> None:
    """End this worker as soon as the main process `parent` dies, even by
    SIGKILL (which leaves it no chance to end its workers): otherwise the
    workers live on, holding the stdout pipe of `clean ... -o - | next` open.

    Linux: prctl(PR_SET_PDEATHSIG, SIGKILL) has the kernel kill this process
    when the thread that forked it ends (the pool forks its workers from the
    run's own thread, see _Runner). Elsewhere, a daemon thread checks the
    parent's pid every PARENT_CHECK_SECONDS. Either way the parent may have
    died before this ran: then the worker ends at once.
    """
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:
        os._exit(1)
    if not armed:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(PARENT_CHECK_SECONDS)
            os._exit(1)

        threading.Thread(target=watch, name="corpusclean-parent-check", daemon=True).start()


def _call(function: Callable[[Any, Job], Any], argument: Any) -> Any:
    assert _worker is not None
    result = function(argument, _worker)
    if _worker.spill is not None and isinstance(result, Batch) and result.paragraphs() >= LARGE_BATCH_PARAGRAPHS:
        return spill.store(_worker.spill, result)
    return result


def _apply(task: tuple[Callable[[Any], Any], Any], job: Job) -> Any:
    function, argument = task
    return function(argument.load() if isinstance(argument, spill.Pickled) else argument)


def _stepped(mapper: dedup.Mapper, progress: Progress | None) -> dedup.Mapper:
    """`mapper`, each result a step of the progress display's current stage."""

    def stepped(function: Callable[[Any], Any], arguments: Iterable[Any]) -> Iterator[Any]:
        for result in mapper(function, arguments):
            if progress is not None:
                progress.step()
            yield result

    return stepped


def _ready(result: Any) -> Callable[[], Any]:
    return lambda: result


def _received(result: Any) -> Any:
    """A worker's result, read from its spill file when it was pickled there."""
    return result.load() if isinstance(result, spill.Pickled) else result


class _Runner:
    """Runs batches of work in input order: in this process, or in a pool of
    workers with a bounded number of batches in flight (memory stays flat)."""

    def __init__(self, job: Job, jobs: int) -> None:
        self.job, self.jobs = job, jobs
        self.pool: ProcessPoolExecutor | None = None
        _return_freed_memory()
        if jobs > 1:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            # Built or loaded once here; forked workers inherit them: the rule
            # screen of the rules for any language, what the screens know of
            # every rule (a worker builds the screen of a language that rules
            # name in a tenth of a second, from these, when it meets one),
            # and the language model (mapped: see language.identifier).
            screen(rules_for(job.cfg.rules, None))
            for rule in job.cfg.rules:
                gate(rule)
            if job.cfg.language["enabled"]:
                identifier()
            # An executor, not multiprocessing.Pool: its terminate() can deadlock
            # while a worker is sending a large result; the executor's thread
            # keeps reading results until the workers are done.
            self.pool = ProcessPoolExecutor(jobs, context, initializer=_init_worker, initargs=(job, os.getpid()))
            # The pool forks every worker at its first task: make that happen
            # here, in the run's thread, which lives as long as the run (a
            # worker's parent-death signal follows the thread that forked it).
            self.pool.submit(int).result()

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

    def map(self, function: Callable[[Any], Any], arguments: Iterable[Any]) -> Iterator[Any]:
        """function(argument) for each argument, in order (dedup's verification).
        A worker gets each argument through the spill folder: this process
        holds no argument while it waits (a slice of candidate pairs and its
        pickle took tens of MB each, several slices in flight)."""
        folder = self.job.spill if self.pool is not None else None
        if folder is not None:
            arguments = (spill.store(folder, argument) for argument in arguments)
        return self._ordered((_apply, (function, argument), False) for argument in arguments)

    def finish(self, parked: Iterable[ParkedPlan]) -> Iterator[Finished]:
        return self._ordered((finish_parked, chunk, False) for chunk in _chunks(parked, BATCH_DOCUMENTS))

    def _ordered(self, tasks: Iterable[tuple[Any, Any, bool]]) -> Iterator[Any]:
        """The results of (function, argument, here) tasks in order; `here`
        runs in this process, the rest in the pool if there is one."""
        pending: deque[Callable[[], Any]] = deque()
        for function, argument, here in tasks:
            if self.pool is None or here:
                pending.append(_ready(function(argument, self.job)))
            else:
                pending.append(self.pool.submit(_call, function, argument).result)
            while len(pending) > self.jobs * BATCHES_PER_JOB:
                yield _received(pending.popleft()())
        while pending:
            yield _received(pending.popleft()())


@dataclass
class Pipeline:
    """The whole cleaning run over a config; the CLI is a thin layer over this."""

    config: Config

    def __post_init__(self) -> None:
        dedup.check_config(self.config.dedup)

    @classmethod
    def from_file(cls, path: str | None = None, **overrides: Any) -> Pipeline:
        return cls(config_module.load(path, overrides))

    def cleaned(
        self, paths: Sequence[str] | str | os.PathLike[str], jobs: int = 1, report: Report | None = None
    ) -> Iterator[Document | Skip]:
        """Documents after the per-document stages (lines kept), in input order."""
        runner = _Runner(Job(self.config), jobs)
        try:
            for items in runner.clean(self._sources(paths, report or Report()), clean_sources):
                yield from items
        finally:
            runner.close()

    def _sources(
        self, paths: Sequence[str] | str | os.PathLike[str], report: Report, outputs: Sequence[str] = ()
    ) -> Iterator[Source | Skip]:
        """The inputs, ids made unique (a renamed one is a report warning);
        `outputs` are left out of folder walks."""
        paths = as_paths(paths)
        check_paths(paths)
        cfg = self.config.input
        found = discover(paths, cfg["include_hidden"], cfg["include"], cfg["exclude"], outputs)
        return _counted(unique_ids(found, report.warnings.append), report)

    def run(
        self,
        paths: Sequence[str] | str | os.PathLike[str],
        output: str | os.PathLike[str],
        audit: str | os.PathLike[str] | None = None,
        report: Report | None = None,
        jobs: int = 1,
        on_skip: Callable[[Skip], None] | None = None,
        progress: Progress | None = None,
        views: bool = False,
        leave_out: Sequence[str] = (),
    ) -> Report:
        """Clean `paths` (one path, str or Path, or a list) into `output` (and
        the audit file); return the run's report. Files of the outputs (and
        of `leave_out`, another output such as the report) met in a folder
        walk are left out. With `views`, the report keeps the text of the
        documents its HTML page shows."""
        job = Job(self.config, bool(audit), views=views)
        report = report or job.report()
        report.inputs = as_paths(paths)
        report.config_changed = config_module.changed(self.config.raw)
        output = os.fspath(output)
        audit = os.fspath(audit) if audit is not None else None
        sources = self._sources(paths, report, [output, *([audit] if audit else []), *leave_out])
        with ExitStack() as stack:
            out = stack.enter_context(atomic_writer(output))
            audit_out = stack.enter_context(atomic_writer(audit)) if audit else None
            index = dedup_index(self.config, jobs)
            table = repetition_table(self.config)
            if index is not None:
                stack.enter_context(index)  # its key spill goes whatever happens next
            # Parked documents (two-pass runs) and large results (any run).
            folder = tempfile.mkdtemp(
                prefix=dedup.spill_prefix("documents"), dir=self.config.dedup["spill_dir"] or None
            )
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            stack.callback(spill.close, folder)
            park = folder if index is not None or table is not None else None
            runner = _Runner(Job(job.cfg, job.audit, park, views, folder), jobs)
            stack.callback(runner.close)
            finished: Iterable[Finished]
            if park is None:
                finished = (
                    b.finished for b in self._pass_one(runner, sources, report, on_skip, progress) if b.finished
                )
            else:
                parked = spill.Parked()
                for batch in self._pass_one(runner, sources, report, on_skip, progress):
                    if index is not None and batch.rows is not None:
                        index.add_rows(batch.rows)
                    if table is not None and batch.lines is not None:
                        table.add(batch.lines)
                    parked.extend(batch.parked)
                    # Filed: the pool's thread may keep the batch until the next result comes.
                    batch.rows = batch.lines = None
                if table is not None:
                    table.resolve()
                    report.stages["repetition"] = table.stats
                    if index is not None:
                        index.exclude(table.excluded())  # removed everywhere: no copy is kept
                if index is not None:
                    index.on_stage = progress.stage if progress is not None else None
                    index.resolve(_stepped(runner.map, progress))  # the workers score the candidate pairs
                    report.stages["dedup"] = index.stats
                if progress is not None:
                    progress.stage("writing", len(parked), "documents")
                finished = runner.finish(
                    (
                        parked[i],
                        index.plan(i) if index is not None else None,
                        table.plan(i) if table is not None else None,
                    )
                    for i in range(len(parked))
                )
            for part in finished:
                # No joined copy: a long document's record is a Parcel, copied a chunk at a time.
                spill.write_lines(out, part.records)
                if audit_out is not None:
                    spill.write_lines(audit_out, part.audit)
                part.records, part.audit = [], []
                report.add_documents(part.report)
                if progress is not None:
                    progress.step(part.report.documents_in)
        if progress is not None:
            progress.close()
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
