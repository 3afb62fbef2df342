"""Lines repeated across the corpus: site furniture removed everywhere, first copy included.

CCNet's boilerplate step (Wenzek et al. 2019, "CCNet: Extracting High Quality
Monolingual Datasets from Web Crawl Data", section 3.3) hashes every
paragraph of a shard and removes those seen in other documents. Here a
paragraph (in a one-line-per-paragraph scrape, the line) is hashed on its
normalised key in the worker that cleans it; this process counts, per hash,
the distinct documents and distinct sources (site, outlet or folder) that
hold it, and a paragraph found in at least `min_documents` documents of at
least `min_sources` sources is removed from every document, its first
occurrence included. Only hashes and counts are held, never texts. A line
that holds a sentence and is longer than `sentence_max_chars` (by default
any line that holds a sentence) is never counted: a statement quoted by
several outlets, or a wire paragraph printed by many papers, is left to
dedup, which keeps its first copy. Copies of one document (the same text
crawled twice) count as one document.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from .dedup import SKETCH_CHARS, marked_keys
from .document import Document, Removal
from .scripts import holds_sentence

STAGE = "repeated"
RULE = "across-documents"
# A document left with nothing but corpus-repeated lines is not an article:
# it goes as the filter's non-article drop, with these lines as the evidence.
NON_ARTICLE = "filter.non-article"
EVIDENCE_LINES = 5
# Digits folded to 0 in the key, as CCNet does ("Page 2 of 7", "Comments (14)",
# "© 2008" count as one line whatever their numbers), but only in a line whose
# digits are at most a third of its characters: a line of data (a phone
# number, a price, a score) is not the same line with other numbers. On the
# dev sets folding every line took a business directory's telephone lines.
DIGIT = re.compile(r"\d")
MAX_FOLDED_DIGITS = 1 / 3
NOT_COUNTED = 0  # the hash of a paragraph that is not counted (a long sentence, an empty key)

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def source_of(doc: Document) -> str:
    """Where a document comes from, as far as the tool can know: the metadata's
    outlet, else its URL's host (without "www."), else the folder its input
    file is in (for records of a .jsonl file, that file's folder)."""
    outlet = doc.metadata.get("outlet")
    if isinstance(outlet, str) and outlet:
        return "outlet:" + outlet.casefold()
    url = doc.metadata.get("url")
    if isinstance(url, str) and url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host:
            return "host:" + host
    return "folder:" + os.path.dirname(doc.source)


def _hash(text: str) -> int:
    return _hash_pieces([text])


def _hash_pieces(pieces: Iterable[str]) -> int:
    """_hash of the pieces joined, fed to the hash one piece at a time (a long
    document's text is never built or encoded whole)."""
    digest = hashlib.blake2b(digest_size=8)
    for piece in pieces:
        digest.update(piece.encode("utf-8"))
    return int.from_bytes(digest.digest(), "little") or 1  # 0 means "not counted"


def line_hashes(texts: Sequence[str], cfg: dict[str, Any]) -> list[int]:
    """The 64-bit hash of each text's normalised key (dedup's match key:
    case, typography and punctuation folded; digits as 0 where they are at
    most a third of its characters), or NOT_COUNTED for
    a text that is never removed for repetition: shorter than `min_chars`,
    holding a sentence (`holds_sentence`) and longer than `sentence_max_chars`,
    or with an empty key."""
    counted = [
        i
        for i, text in enumerate(texts)
        if len(text) >= cfg["min_chars"]
        and (len(text) <= cfg["sentence_max_chars"] or not holds_sentence(text, cfg["sentence_min_words"]))
    ]
    hashes = [NOT_COUNTED] * len(texts)
    for i, key in _keyed(texts, counted):
        if key:
            key = key.replace("\n", " ")
            digits = len(key) - len(DIGIT.sub("", key))
            if digits and digits <= MAX_FOLDED_DIGITS * (len(key) - key.count(" ")):
                key = DIGIT.sub("0", key)
            hashes[i] = _hash(key)
    return hashes


def _keyed(texts: Sequence[str], rows: list[int]) -> Iterator[tuple[int, str]]:
    """(row, marked key) for the `rows` of `texts`, keyed SKETCH_CHARS
    characters at a time: a long document's keys are never made all at once."""
    start = 0
    while start < len(rows):
        end, size = start, 0
        while end < len(rows) and size < SKETCH_CHARS:
            size += len(texts[rows[end]])
            end += 1
        chunk = rows[start:end]
        yield from zip(chunk, marked_keys([texts[i] for i in chunk]), strict=True)
        start = end


@dataclass
class Lines:
    """A batch of consecutive documents as the table takes them (Table.add):
    made where the documents are cleaned, so that this process only files them.

    `hashes` holds one entry per paragraph, documents one after another
    (`sizes` paragraphs each); `first` marks a hash's first paragraph in its
    document (a line repeated inside one document counts once); `sources`
    and `texts` hold one hash per document: of its source, and of its text
    (copies of one document count once).
    """

    sizes: npt.NDArray[np.int64]
    hashes: U64
    first: npt.NDArray[np.bool_]
    sources: U64
    texts: U64


def document_lines(docs: Sequence[Document], cfg: dict[str, Any]) -> Lines:
    """Hash the paragraphs of `docs` (a dropped document's count for nothing)."""
    texts = [p.text for doc in docs for p in doc.paragraphs]
    hashes = line_hashes(texts, cfg)
    first = [False] * len(hashes)
    at = 0
    for doc in docs:
        seen: set[int] = set()
        for i in range(at, at + len(doc.paragraphs)):
            h = hashes[i]
            if doc.dropped:
                hashes[i] = NOT_COUNTED
            elif h != NOT_COUNTED and h not in seen:
                seen.add(h)
                first[i] = True
        at += len(doc.paragraphs)
    return Lines(
        np.array([len(doc.paragraphs) for doc in docs], dtype=np.int64),
        np.array(hashes, dtype=np.uint64),
        np.array(first, dtype=bool),
        np.array([_hash(source_of(doc)) for doc in docs], dtype=np.uint64),
        np.array([_hash_pieces(doc.text_pieces()) for doc in docs], dtype=np.uint64),
    )


def _distinct_per_hash(hashes: U64, values: U64) -> tuple[I64, I64]:
    """For each distinct hash, in sorted order: where its run starts among the
    rows sorted by hash, and how many distinct values its rows hold."""
    order = np.lexsort((values, hashes))
    h, v = hashes[order], values[order]
    new_hash = np.ones(len(h), dtype=bool)
    new_hash[1:] = h[1:] != h[:-1]
    new_value = new_hash.copy()
    new_value[1:] |= v[1:] != v[:-1]
    starts = np.flatnonzero(new_hash)
    counts = np.add.reduceat(new_value.astype(np.int64), starts) if len(starts) else starts.astype(np.int64)
    return starts, counts


@dataclass(frozen=True)
class Plan:
    """One document's repeated paragraphs: paragraph index -> (documents, sources)."""

    repeated: dict[int, tuple[int, int]]


class Table:
    """Distinct documents and sources per line hash, over the whole corpus.

    add() every batch in input order, resolve() once, then plan() each
    document. While documents stream in it holds 9 bytes per paragraph (the
    hash, whether it is the first of its hash in its document) and 24 per
    document (paragraph count, source and text hashes); resolve() needs about
    64 bytes more per counted paragraph for a moment (the sorts), then keeps
    24 bytes per distinct repeated line and 16 per removed paragraph.
    """

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self._sizes: list[npt.NDArray[np.int64]] = []
        self._hashes: list[U64] = []
        self._first: list[npt.NDArray[np.bool_]] = []
        self._sources: list[U64] = []
        self._texts: list[U64] = []
        self.stats: dict[str, Any] = {}

    def add(self, lines: Lines) -> None:
        """File a batch of documents, after every batch added before it."""
        self._sizes.append(lines.sizes)
        self._hashes.append(lines.hashes)
        self._first.append(lines.first)
        self._sources.append(lines.sources)
        self._texts.append(lines.texts)

    def resolve(self) -> None:
        """Count documents and sources per hash; mark the paragraphs removed."""
        sizes = np.concatenate(self._sizes) if self._sizes else np.zeros(0, dtype=np.int64)
        hashes = np.concatenate(self._hashes) if self._hashes else np.zeros(0, dtype=np.uint64)
        first = np.concatenate(self._first) if self._first else np.zeros(0, dtype=bool)
        sources = np.concatenate(self._sources) if self._sources else np.zeros(0, dtype=np.uint64)
        texts = np.concatenate(self._texts) if self._texts else np.zeros(0, dtype=np.uint64)
        self._sizes, self._hashes, self._first, self._sources, self._texts = [], [], [], [], []
        self.doc_start = np.concatenate(([0], np.cumsum(sizes)))
        # One row per document that holds the line; per hash, the distinct
        # document texts and the distinct sources among its rows.
        rows = np.flatnonzero(first)
        h = np.sort(hashes[rows])
        starts, documents = _distinct_per_hash(hashes[rows], np.repeat(texts, sizes)[rows])
        _, distinct = _distinct_per_hash(hashes[rows], np.repeat(sources, sizes)[rows])
        repeated = (documents >= self.cfg["min_documents"]) & (distinct >= self.cfg["min_sources"])
        self.repeated_hashes = h[starts][repeated]  # sorted
        self.repeated_documents = documents[repeated].astype(np.int64)
        self.repeated_sources = distinct[repeated].astype(np.int64)
        found = self._find(hashes)
        self.removed_rows = np.flatnonzero(found >= 0)
        self.removed_at = found[self.removed_rows]
        self.stats.update(
            paragraphs=len(hashes),
            counted_lines=len(starts),
            repeated_lines=len(self.repeated_hashes),
            paragraphs_removed=len(self.removed_rows),
        )

    def _find(self, hashes: U64) -> I64:
        """Index of each hash among the repeated ones, or -1."""
        if not len(self.repeated_hashes):
            return np.full(len(hashes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.repeated_hashes, hashes), len(self.repeated_hashes) - 1)
        hit = (self.repeated_hashes[at] == hashes) & (hashes != NOT_COUNTED)
        return np.where(hit, at, -1).astype(np.int64)

    def lookup(self, texts: Sequence[str]) -> list[tuple[int, int]]:
        """(documents, sources) for each text whose line repeats across the
        corpus as resolve() found it, (0, 0) for the others: the corpus
        repetition of a line, for a later stage to read (pass 2)."""
        found = self._find(np.array(line_hashes(texts, self.cfg), dtype=np.uint64))
        return [
            (int(self.repeated_documents[i]), int(self.repeated_sources[i])) if i >= 0 else (0, 0)
            for i in found.tolist()
        ]

    def plan(self, ordinal: int) -> Plan:
        """The repeated paragraphs of the `ordinal`-th document added: small
        enough to send to the process that finishes it."""
        start, end = int(self.doc_start[ordinal]), int(self.doc_start[ordinal + 1])
        lo, hi = np.searchsorted(self.removed_rows, (start, end)).tolist()
        return Plan(
            {
                int(row) - start: (int(self.repeated_documents[at]), int(self.repeated_sources[at]))
                for row, at in zip(self.removed_rows[lo:hi].tolist(), self.removed_at[lo:hi].tolist(), strict=True)
            }
        )

    def excluded(self) -> I64:
        """Every removed paragraph's row (the dedup index's numbering, which
        files the same paragraphs in the same order)."""
        return self.removed_rows


def apply_plan(doc: Document, plan: Plan) -> Document:
    """Remove the paragraphs `plan` names, each with an audit entry giving the
    number of documents and sources that hold it. A document that had text and
    is left with none is dropped as not an article, with its repeated lines
    as the evidence."""
    if not plan.repeated or doc.dropped:
        return doc
    kept = []
    for i, paragraph in enumerate(doc.paragraphs):
        counts = plan.repeated.get(i)
        if counts is None:
            kept.append(paragraph)
            continue
        doc.removals.append(Removal(STAGE, RULE, paragraph.pos, paragraph.text, end=paragraph.end, repeats=counts))
    if not kept:
        doc.dropped = NON_ARTICLE
        doc.evidence = {
            "rule": f"{STAGE}.{RULE}",
            "lines": [
                {"line": p.pos, "text": p.text, "documents": plan.repeated[i][0], "sources": plan.repeated[i][1]}
                for i, p in enumerate(doc.paragraphs[:EVIDENCE_LINES])
            ],
        }
    doc.paragraphs = kept
    return doc
