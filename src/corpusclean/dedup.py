"""Exact and near-duplicate paragraphs across the whole corpus.

Paragraphs are compared on a match key that folds case, quotes, dashes,
punctuation, whitespace and parenthesised acronyms. Exact keys are found by
hash. Near-duplicate candidates come from an inverted index of word
shingles, never from all pairs, and every candidate is verified with
rapidfuzz before anything is removed. The first occurrence in input order is
kept; a later copy points at the kept paragraph it really matches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .document import Document, Paragraph, Removal

STAGE = "dedup"
ACRONYM_IN_PARENS = re.compile(r"\(\s*[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\s*\)")
NOT_WORD = re.compile(r"[\W_]+")
# Shingles shared by more kept paragraphs than this say nothing about
# duplication (boilerplate phrases, "said the council") and are not followed.
MAX_POSTINGS = 64
MAX_CANDIDATES = 8


def match_key(text: str) -> str:
    """The text dedup compares: typography, case and punctuation folded."""
    text = ACRONYM_IN_PARENS.sub(" ", unicodedata.normalize("NFKC", text))
    return NOT_WORD.sub(" ", text.casefold()).strip()


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(key: str, n: int) -> set[int]:
    words = key.split()
    if len(words) <= n:
        return {_digest(key)}
    return {_digest(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


@dataclass(slots=True)
class Kept:
    doc_id: str
    pos: int
    key: str


@dataclass
class Deduplicator:
    """The corpus-wide index of kept paragraphs."""

    cfg: dict[str, Any]
    exact: dict[int, int] = field(default_factory=dict)
    postings: dict[int, list[int]] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)

    def _verify(self, key: str, other: str) -> tuple[float, str] | None:
        """Score a candidate pair; None when it is not a duplicate."""
        score = fuzz.ratio(key, other)
        if score >= self.cfg["threshold"]:
            return score, "near-duplicate"
        short, long_ = sorted((key, other), key=len)
        if len(short) > 0.9 * len(long_):
            # Lengths this close are a plain edit, which the ratio above judges.
            return None
        if len(short) >= self.cfg["containment_min_chars"] and len(short) >= self.cfg["containment_min_ratio"] * len(
            long_
        ):
            score = fuzz.partial_ratio(short, long_)
            if score >= self.cfg["containment_threshold"]:
                return score, "contained" if short is key else "contains-kept"
        return None

    def find(self, key: str) -> tuple[int, float, str] | None:
        """The kept paragraph `key` duplicates: (index, score, rule)."""
        digest = _digest(key)
        if digest in self.exact:
            index = self.exact[digest]
            if self.kept[index].key == key:
                return index, 100.0, "exact-duplicate"
        if len(key) < self.cfg["min_chars"]:
            return None
        votes: Counter[int] = Counter()
        for shingle in shingles(key, self.cfg["shingle_words"]):
            posting = self.postings.get(shingle)
            if posting is not None and len(posting) <= MAX_POSTINGS:
                votes.update(posting)
        best: tuple[int, float, str] | None = None
        # Most shared shingles first; ties by input order, so the result is deterministic.
        for index, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
            verdict = self._verify(key, self.kept[index].key)
            if verdict is not None and (best is None or verdict[0] > best[1]):
                best = (index, verdict[0], verdict[1])
        return best

    def add(self, doc_id: str, pos: int, key: str) -> None:
        index = len(self.kept)
        self.kept.append(Kept(doc_id, pos, key))
        self.exact.setdefault(_digest(key), index)
        if len(key) >= self.cfg["min_chars"]:
            for shingle in shingles(key, self.cfg["shingle_words"]):
                self.postings.setdefault(shingle, []).append(index)

    def rollback(self, size: int) -> None:
        """Forget every paragraph added after the index held `size` (a dropped document)."""
        while len(self.kept) > size:
            index = len(self.kept) - 1
            key = self.kept.pop().key
            digest = _digest(key)
            if self.exact.get(digest) == index:
                del self.exact[digest]
            if len(key) >= self.cfg["min_chars"]:
                for shingle in shingles(key, self.cfg["shingle_words"]):
                    posting = self.postings[shingle]
                    if posting and posting[-1] == index:
                        posting.pop()
                    if not posting:
                        del self.postings[shingle]

    def deduplicate(self, doc: Document) -> Document:
        """Remove the document's paragraphs that duplicate kept ones; index the rest."""
        kept: list[Paragraph] = []
        for paragraph in doc.paragraphs:
            key = match_key(paragraph.text)
            if not key:
                kept.append(paragraph)
                continue
            found = self.find(key)
            if found is None:
                self.add(doc.id, paragraph.pos, key)
                kept.append(paragraph)
                continue
            index, score, rule = found
            target = self.kept[index]
            doc.removals.append(
                Removal(
                    STAGE,
                    rule,
                    paragraph.pos,
                    paragraph.text,
                    target.doc_id,
                    target.pos,
                    round(score, 1),
                    paragraph.end,
                )
            )
            doc.count("paragraphs_deduplicated")
        doc.paragraphs = kept
        return doc
