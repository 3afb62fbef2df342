"""Chain the stages: read and clean documents (in parallel), then dedup, filter, write.

Per-document stages are pure functions of a document and the config, so
they run in worker processes; the corpus-wide dedup runs in this process in
input order, which keeps the output identical whatever the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from . import config as config_module
from .boilerplate import strip_boilerplate
from .config import Config
from .dedup import Deduplicator
from .document import Document
from .filters import filter_document
from .metadata import extract_metadata
from .normalise import normalise
from .pageclassifier import classify_lines
from .paragraphs import split_paragraphs
from .read import Skip, Source, check_paths, discover, read_documents
from .report import Report
from .revisions import unwrap_revisions
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


def finish_document(doc: Document, cfg: Config, dedup: Deduplicator | None) -> Document:
    """The corpus-wide stages for one cleaned document, called in input order:
    dedup against the documents before it, then the document filter. A dropped
    document's paragraphs leave the dedup index again."""
    size = len(dedup.kept) if dedup is not None else 0
    if dedup is not None:
        dedup.deduplicate(doc)
    filter_document(doc, cfg.filter)
    if doc.dropped and dedup is not None:
        dedup.rollback(size)
    return doc


def process_source(source: Source, cfg: Config) -> list[Document | Skip]:
    """Read one input and clean each of its documents."""
    return [item if isinstance(item, Skip) else clean_document(item, cfg) for item in read_documents(source, cfg.input)]


def _counted(items: Iterable[Source | Skip], report: Report) -> Iterator[Source | Skip]:
    for item in items:
        report.files += 1
        yield item


def _ready(items: list[Document | Skip]) -> Callable[[], list[Document | Skip]]:
    return lambda: items


_worker_config: Config | None = None


def _init_worker(cfg: Config) -> None:
    global _worker_config
    _worker_config = cfg


def _process_batch(sources: list[Source]) -> list[Document | Skip]:
    assert _worker_config is not None
    items = [item for source in sources for item in process_source(source, _worker_config)]
    for item in items:
        if isinstance(item, Document):
            item.lines = []  # the paragraphs hold the text now; less to send back
    return items


@dataclass
class Pipeline:
    """The whole cleaning run over a config; the CLI is a thin layer over this."""

    config: Config

    @classmethod
    def from_file(cls, path: str | None = None, **overrides: Any) -> Pipeline:
        return cls(config_module.load(path, overrides))

    def cleaned(self, paths: list[str], jobs: int = 1, report: Report | None = None) -> Iterator[Document | Skip]:
        """Documents after the per-document stages, in input order."""
        check_paths(paths)
        sources = _counted(discover(paths, self.config.input["include_hidden"]), report or Report())
        if jobs <= 1:
            for item in sources:
                yield from [item] if isinstance(item, Skip) else process_source(item, self.config)
            return
        yield from self._parallel(sources, jobs)

    def _parallel(self, sources: Iterable[Source | Skip], jobs: int) -> Iterator[Document | Skip]:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with context.Pool(jobs, initializer=_init_worker, initargs=(self.config,)) as pool:
            pending: deque[Callable[[], list[Document | Skip]]] = deque()
            batch: list[Source] = []

            def submit() -> None:
                if batch:
                    pending.append(pool.apply_async(_process_batch, (list(batch),)).get)
                    batch.clear()

            for item in sources:
                if isinstance(item, Skip) or item.path == "-":
                    submit()
                    done: list[Document | Skip] = (
                        [item] if isinstance(item, Skip) else process_source(item, self.config)
                    )
                    pending.append(_ready(done))
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
    ) -> Report:
        """Clean `paths` into `output` (and the audit file); return the run's report."""
        report = report or Report()
        dedup = Deduplicator(self.config.dedup) if self.config.dedup["enabled"] else None
        with ExitStack() as stack:
            out = stack.enter_context(atomic_writer(output))
            audit_out = stack.enter_context(atomic_writer(audit)) if audit else None
            for item in self.cleaned(paths, jobs, report):
                if isinstance(item, Skip):
                    report.add_skip(item)
                    if on_skip is not None:
                        on_skip(item)
                    continue
                finish_document(item, self.config, dedup)
                report.add_document(item)
                if not item.dropped:
                    out.write(dumps(document_record(item)))
                if audit_out is not None:
                    for removal in sorted(item.removals, key=lambda r: r.pos):
                        audit_out.write(dumps(removal.to_record(item.id)))
        report.finish()
        return report


def clean_text(text: str, config: Config | None = None, doc_id: str = "text") -> Document:
    """Clean one text in memory with every stage, dedup within the text included."""
    cfg = config or config_module.load()
    doc = Document(id=doc_id, source="<text>", raw=text, chars_in=len(text))
    clean_document(doc, cfg)
    if cfg.dedup["enabled"]:
        Deduplicator(cfg.dedup).deduplicate(doc)
    return doc
