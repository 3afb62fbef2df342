"""Exact and near-duplicate paragraphs across the whole corpus, in two passes.

While documents stream in, each paragraph becomes a compact sketch (a 128-bit
digest of its match key, MinHash LSH band keys, sentence hashes; computed in
the worker processes) and its key is spilled to a temporary file: no text is
held in memory. After the last document, candidate pairs come from equal
digests, equal band keys and shared sentences (never from all pairs), every
candidate is verified with rapidfuzz on the keys read back from the spill,
and one greedy pass in survivor order decides: a paragraph is removed only
when it matches a paragraph that is kept, and it points at that paragraph.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from .config import ConfigError
from .document import Document, Paragraph, Removal
from .scripts import CHARS_PER_WORD, LATIN_CHARS_PER_WORD, latin_chars
from .write import alive

STAGE = "dedup"
ACRONYM_IN_PARENS = re.compile(r"\(\s*[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\s*\)")
# A sentence (or clause before a quote: "The council said: ...") ends at . ! ?
# : or ; followed by closing quotes or brackets and whitespace. All of it
# becomes the newline: the key keeps no punctuation, and a plain replacement
# is done in C (a template such as "\\1\\n" calls Python for every break).
SENTENCE_BREAK = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*\s+")
NOT_WORD_KEEP_BREAKS = re.compile(r"(?:[^\w\n]|_)+")
SPACED_BREAK = re.compile(r" ?\n[ \n]*")

SCORERS: dict[str, Callable[..., float]] = {"ratio": fuzz.ratio, "token_sort_ratio": fuzz.token_sort_ratio}
SURVIVORS = ("first", "longest", "preferred")

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

# Decision codes, one per paragraph after resolve().
KEPT, EXACT, NEAR, CONTAINED, CONTAINS_KEPT, MERGED, UNMATCHED = range(7)
RULES = {
    EXACT: "exact-duplicate",
    NEAR: "near-duplicate",
    CONTAINED: "contained",
    CONTAINS_KEPT: "contains-kept",
    MERGED: "merged",
}


def match_key(text: str) -> str:
    """The text dedup compares: typography, case and punctuation folded."""
    return marked_key(text).replace("\n", " ")


def marked_key(text: str) -> str:
    """The match key with a newline at each sentence break (for sentence hashes)."""
    text = ACRONYM_IN_PARENS.sub(" ", unicodedata.normalize("NFKC", text))
    text = NOT_WORD_KEEP_BREAKS.sub(" ", SENTENCE_BREAK.sub("\n", text).casefold())
    return SPACED_BREAK.sub("\n", text).strip(" \n")


# For marked_keys: bytes other than ASCII letters, digits, newlines and the separator become
# spaces (bytes of non-ASCII characters are kept, their non-word ones replaced first).
ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
WORD = re.compile(r"\w")
BYTE_TABLE = bytes(c if chr(c).isalnum() or c in (0, 10) or c >= 128 else 32 for c in range(256))
_folded: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """A non-ASCII character as the key has it: case-folded, and each
    non-ASCII non-word character of the result a space."""
    folded = _folded.get(ch)
    if folded is None:
        folded = _folded[ch] = "".join(" " if not c.isascii() and WORD.match(c) is None else c for c in ch.casefold())
    return folded


def marked_keys(texts: Sequence[str]) -> list[str]:
    """marked_key of every text, in a few passes over all of them at once
    (the same keys, in a third of the time)."""
    if not texts:
        return []
    normal = [t if t.isascii() else unicodedata.normalize("NFKC", t) for t in texts]
    joined = "\x00".join(normal)
    if joined.count("\x00") >= len(normal):  # \x01 is a non-word character just as \x00 is
        joined = "\x00".join(t.replace("\x00", "\x01") for t in normal)
    if "(" in joined:
        joined = ACRONYM_IN_PARENS.sub(" ", joined)
    joined = SENTENCE_BREAK.sub("\n", joined)
    # Case folding, as str.casefold does it character by character: ASCII
    # letters by bytes.lower() (a tenth of the cost), the few other
    # characters one by one (UTF-8 only matches whole characters).
    data = joined.encode("utf-8").lower()
    if not joined.isascii():
        for ch in set(ASCII_RUNS.sub("", joined)):
            folded = _fold_char(ch)
            if folded != ch:
                data = data.replace(ch.encode("utf-8"), folded.encode("utf-8"))
    data = data.translate(BYTE_TABLE)
    return [
        b"\n".join([line for line in (b" ".join(s.split()) for s in part.split(b"\n")) if line]).decode("utf-8")
        for part in data.split(b"\x00")
    ]


# Facts of a match key (see key_facts): numbers that are words of their own,
# a number followed by groups of exactly three digits ("7 731", the key of
# "7,731" or "7 731") read as one, so that "7,731" and "7731" agree. Digits
# glued to letters ("292x18", "a1b2") or a plain run of more than six digits
# are identifiers (ad slots, cache-busters, product codes), not facts: on the
# l3s_gn1 dev set's visible text, ad markup that differed only in those kept
# its near-copies.
NUMBER = re.compile(r"(?<!\w)\d{1,6}(?: \d{3})*(?!\w)")
FACT_WORD = re.compile(r"[^\W\d_]+")


def key_facts(key: str, fact_words: frozenset[str]) -> tuple[str, ...]:
    """The facts a match key states, as a sorted multiset: its numbers (thousands
    separators dropped: "7,731" == "7731"; "0.4%" gives 0 and 4; see NUMBER
    for the digits that are identifiers, not numbers) and its words that are
    in `fact_words` (weekday and month names by default).

    Two paragraphs that share a template but report other numbers, days or
    scores are not copies of each other (marin issue #6851: templated documents
    merged by MinHash dedup); see facts_agree.
    """
    numbers = [m.group().replace(" ", "").lstrip("0") or "0" for m in NUMBER.finditer(key)]
    if fact_words:
        numbers += [w for w in FACT_WORD.findall(key) if w in fact_words]
    return tuple(sorted(numbers))


def facts_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two multisets of facts (sorted tuples, key_facts) agree: one holds
    all of the other's. One copy may add a fact (a lead-in "on Tuesday", a
    clause "in 2015"); neither may change one ("rose 0.4% on Monday" against
    "rose 0.6% on Thursday": each has a fact the other lacks)."""
    if a == b:
        return True
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    i = 0
    for fact in large:  # both sorted: one merge pass
        if i < len(small) and small[i] == fact:
            i += 1
        elif i < len(small) and small[i] < fact:
            return False
    return i == len(small)


def fact_words(cfg: dict[str, Any]) -> frozenset[str]:
    """dedup.fact_words, case-folded as the keys are."""
    return frozenset(w.casefold() for w in cfg["fact_words"])


def check_config(cfg: dict[str, Any]) -> None:
    """Reject values the types in config.yaml cannot express, naming the key."""
    if cfg["scorer"] not in SCORERS:
        raise ConfigError(f"dedup.scorer: must be one of {', '.join(SCORERS)}, not {cfg['scorer']!r}")
    if cfg["survivor"] not in SURVIVORS:
        raise ConfigError(f"dedup.survivor: must be one of {', '.join(SURVIVORS)}, not {cfg['survivor']!r}")
    if not 0 <= cfg["threshold"] <= 100:
        raise ConfigError("dedup.threshold: must be between 0 and 100")
    if cfg["num_perm"] < 1 or cfg["bands"] < 1 or cfg["num_perm"] % cfg["bands"]:
        raise ConfigError("dedup.bands: must divide dedup.num_perm")
    if cfg["candidate_cap"] < 1 or cfg["bucket_cap"] < 1:
        raise ConfigError("dedup.candidate_cap and dedup.bucket_cap: must be at least 1")
    if cfg["shingle_words"] < 1:
        raise ConfigError("dedup.shingle_words: must be at least 1")
    if cfg["char_num_perm"] < 1 or cfg["char_bands"] < 1 or cfg["char_num_perm"] % cfg["char_bands"]:
        raise ConfigError("dedup.char_bands: must divide dedup.char_num_perm")
    if cfg["char_shingle_chars"] < 1 or cfg["char_shingle_below"] < 0:
        raise ConfigError("dedup.char_shingle_chars: must be at least 1 (and dedup.char_shingle_below at least 0)")
    if not all(isinstance(x, str) for x in cfg["preferred_outlets"]):
        raise ConfigError("dedup.preferred_outlets: must be a list of strings")
    if not all(isinstance(x, str) for x in cfg["fact_words"]):
        raise ConfigError("dedup.fact_words: must be a list of strings")


# ---------------------------------------------------------------------------
# Sketches: pure functions of the keys, computed where the documents are cleaned.

MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
BASE = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
SHINGLE_MULT = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
PERM_SEED = 20160524
CHAR_PERM_SEED = PERM_SEED + 1
# Shingles hashed by all permutations in one block: the (block, perms)
# temporary then stays in the CPU cache.
MINHASH_BLOCK = 1024
# Candidate pairs ranked at once by _cap_per_group (bounds its memory).
RANK_CHUNK = 1 << 22
# Paragraphs sketched in one call when documents come without a sketch.
SKETCH_BATCH = 4096
# Characters of text sketched in one numpy pass: its arrays take about 60
# bytes a character (one 20 MB document in one pass: 1.3 GB in its worker;
# in passes of 128k characters, 8 MB). A batch of ordinary pages is one
# pass; a long document is many.
SKETCH_CHARS = 1 << 17
# Character counts per key (_char_counts): buckets, and the most one holds.
COUNT_BUCKETS = 64
COUNT_FULL = 255
_powers: dict[str, U64] = {}
_perms: dict[tuple[int, int], tuple[U64, U64]] = {}


def _mix(x: U64) -> U64:
    """splitmix64's finaliser: spreads polynomial hashes over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * MIX2
    return x ^ (x >> np.uint64(31))


def _power_tables(size: int) -> tuple[U64, U64]:
    """BASE**k and BASE**-k modulo 2**64 for k < size (cached and grown per process)."""
    if "pow" not in _powers or len(_powers["pow"]) < size:
        size = max(size, 1 << 16)
        with np.errstate(over="ignore"):
            _powers["pow"] = np.cumprod(np.full(size, BASE, dtype=np.uint64), dtype=np.uint64) * BASE_INV
            _powers["inv"] = np.cumprod(np.full(size, BASE_INV, dtype=np.uint64), dtype=np.uint64) * BASE
    return _powers["pow"][:size], _powers["inv"][:size]


def _span_hashes(prefix: U64, inv: U64, starts: I64, ends: I64) -> U64:
    """Position-independent polynomial hashes of byte spans [start, end)."""
    return _mix((prefix[ends] - prefix[starts]) * inv[starts])


def _permutations(num_perm: int, seed: int = PERM_SEED) -> tuple[U64, U64]:
    """Multiply-shift hash functions, one per MinHash permutation, from a fixed seed (cached)."""
    if (num_perm, seed) not in _perms:
        rng = np.random.default_rng(seed)
        a = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        _perms[num_perm, seed] = (a, b)
    return _perms[num_perm, seed]


def char_limit(cfg: dict[str, Any]) -> int:
    """The longest key (in characters) that is also sketched by character n-grams; -1 when none is.

    Keys shorter than char_shingle_below need them; a ratio of at least t
    needs the shorter key to be at least t / (200 - t) of the longer one, so
    every key that can match such a short key is at most this long, and a
    pair that straddles the cut has character bands on both sides.
    """
    below, t = int(cfg["char_shingle_below"]), float(cfg["threshold"])
    if below <= 0:
        return -1
    if t <= 0:
        return 2**31 - 1
    return max(below - 1, int((below - 1) * (200.0 - t) / t + 1e-9))


@dataclass
class Sketch:
    """What the index needs of a batch of paragraphs: hashes and, for the
    paragraphs long enough for the near-duplicate index, their keys."""

    digests: U64  # (n, 2): 128-bit blake2b of the match key
    key_chars: npt.NDArray[np.int32]  # (n,)
    indexed: I64  # rows (0..n-1) long enough for the near-duplicate index
    bands: npt.NDArray[np.uint32]  # (len(indexed), bands)
    keys: list[bytes]  # UTF-8 match keys of the indexed rows
    sentence_hashes: U64
    sentence_rows: I64  # row (0..n-1) each sentence hash belongs to
    char_indexed: I64  # indexed rows short enough for character n-gram bands too
    char_bands: npt.NDArray[np.uint32]  # (len(char_indexed), char_bands)
    char_counts: npt.NDArray[np.uint8]  # (len(indexed), COUNT_BUCKETS): see _char_counts


# The most a character weighs in scripts.latin_chars (one of a spaceless script).
MAX_CHAR_WEIGHT = LATIN_CHARS_PER_WORD // CHARS_PER_WORD


def sketch(texts: Sequence[str], cfg: dict[str, Any]) -> Sketch:
    """Sketch paragraphs: pure and deterministic, so any process can do it.

    The parts of sketch_parts, joined (each row's sketch depends on its own
    text only, so they join to the sketch of one call).
    """
    parts = list(sketch_parts(texts, cfg))
    if len(parts) == 1:
        return parts[0][1]
    return _joined([part for _, part in parts], [start for start, _ in parts])


def sketch_parts(texts: Sequence[str], cfg: dict[str, Any]) -> Iterator[tuple[int, Sketch]]:
    """The sketch of `texts` in parts, as (first row, the part's sketch).

    The arrays of one call take about 60 bytes per character of text, so
    texts are sketched SKETCH_CHARS at a time: one long document's
    paragraphs then take a bounded amount of memory while they are
    sketched, and, when each part is filed (or stored) before the next is
    made, afterwards too (bench/bigfile.py). Most batches are one part.
    """
    lo, total = 0, 0
    for hi, text in enumerate(texts, 1):
        total += len(text)
        if total >= SKETCH_CHARS or hi == len(texts):
            yield lo, _sketch(texts if lo == 0 and hi == len(texts) else texts[lo:hi], cfg)
            lo, total = hi, 0
    if not texts:
        yield 0, _sketch(texts, cfg)


def _joined(parts: list[Sketch], offsets: list[int]) -> Sketch:
    """One sketch of consecutive parts, part i's rows starting at offsets[i] (the inverse of _rows)."""
    return Sketch(
        np.concatenate([p.digests for p in parts]),
        np.concatenate([p.key_chars for p in parts]),
        np.concatenate([p.indexed + o for p, o in zip(parts, offsets, strict=True)]),
        np.concatenate([p.bands for p in parts]),
        [k for p in parts for k in p.keys],
        np.concatenate([p.sentence_hashes for p in parts]),
        np.concatenate([p.sentence_rows + o for p, o in zip(parts, offsets, strict=True)]),
        np.concatenate([p.char_indexed + o for p, o in zip(parts, offsets, strict=True)]),
        np.concatenate([p.char_bands for p in parts]),
        np.concatenate([p.char_counts for p in parts]),
    )


def _sketch(texts: Sequence[str], cfg: dict[str, Any]) -> Sketch:
    marked = marked_keys(texts)
    flat = [m.replace("\n", " ") for m in marked]
    encoded = [k.encode("utf-8") for k in flat]
    digests = np.frombuffer(
        b"".join(hashlib.blake2b(k, digest_size=16).digest() for k in encoded), dtype=np.uint64
    ).reshape(-1, 2)
    key_chars = np.fromiter(map(len, flat), dtype=np.int32, count=len(flat))
    min_chars = max(cfg["min_chars"], 1)
    long_enough = key_chars >= min_chars
    # A key in a script written without spaces holds a word in about two
    # characters: it is measured in characters of Latin-script text holding
    # as many words (scripts.latin_chars).
    for i in np.flatnonzero(~long_enough & (key_chars * MAX_CHAR_WEIGHT >= min_chars)).tolist():
        if not flat[i].isascii() and latin_chars(flat[i]) >= min_chars:
            long_enough[i] = True
    rows = np.flatnonzero(long_enough)
    bands, char_bands = cfg["bands"], cfg["char_bands"]
    if not len(rows):
        none = rows[:0]
        return Sketch(
            digests,
            key_chars,
            none,
            np.zeros((0, bands), np.uint32),
            [],
            np.zeros(0, np.uint64),
            none,
            none,
            np.zeros((0, char_bands), np.uint32),
            np.zeros((0, COUNT_BUCKETS), np.uint8),
        )
    buf = np.frombuffer("\x00".join(marked[i] for i in rows).encode("utf-8"), dtype=np.uint8)
    size = len(buf)
    powers, inverse = _power_tables(size + 1)
    prefix = np.zeros(size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        # Hashes of spans of the flat key (sentence breaks as spaces), so that a
        # span's hash is that of the text the scorer compares.
        flat_buf = np.where(buf == 10, np.uint8(32), buf)
        np.cumsum((flat_buf.astype(np.uint64) + np.uint64(1)) * powers[:size], out=prefix[1:])
        row_of_byte = np.cumsum(buf == 0)
        breaks = np.flatnonzero(buf == 0)
        row_start = np.concatenate(([0], breaks + 1))
        row_end = np.concatenate((breaks, [size]))
        # Words: runs of bytes that are not a space, a sentence break or a row break.
        in_word = ((buf != 32) & (buf != 10) & (buf != 0)).view(np.int8)
        edges = np.diff(np.concatenate(([0], in_word, [0])).astype(np.int8))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        words = _span_hashes(prefix, inverse, starts, ends)
        shingles, shingle_rows = _shingles(words, row_of_byte[starts], cfg["shingle_words"])
        shingles, shingle_rows = _whole_key_if_none(shingles, shingle_rows, prefix, inverse, row_start, row_end)
        band_keys = _band_keys(_minhash(shingles, shingle_rows, len(rows), _permutations(cfg["num_perm"])), bands)
        # Short keys: character n-grams, which a few edited words leave mostly intact.
        short = np.flatnonzero(key_chars[rows] <= char_limit(cfg))
        if len(short):
            q = cfg["char_shingle_chars"]
            # Every q-byte window of each short row (a row shorter than q is one shingle).
            first, last = row_start[short], np.maximum(row_end[short] - q, row_start[short])
            per_row = last - first + 1
            offset = np.repeat(first - (np.cumsum(per_row) - per_row), per_row)
            at = np.arange(int(per_row.sum())) + offset
            grams = _span_hashes(prefix, inverse, at, np.minimum(at + q, np.repeat(row_end[short], per_row)))
            gram_rank = np.repeat(np.arange(len(short)), per_row)
            perms = _permutations(cfg["char_num_perm"], CHAR_PERM_SEED)
            short_bands = _band_keys(_minhash(grams, gram_rank, len(short), perms), char_bands)
        else:
            short_bands = np.zeros((0, char_bands), np.uint32)
        # Sentences long enough to say something (not "He said:").
        breaks = np.flatnonzero((buf == 10) | (buf == 0))
        s_start = np.concatenate(([0], breaks + 1))
        s_end = np.concatenate((breaks, [size]))
        long_enough = (s_end - s_start) >= cfg["sentence_min_chars"]
        sentence_hashes = _span_hashes(prefix, inverse, s_start[long_enough], s_end[long_enough])
        sentence_rows = rows[row_of_byte[s_start[long_enough]]]
        char_counts = _char_counts(flat_buf, row_of_byte, len(rows))
    return Sketch(
        digests,
        key_chars,
        rows,
        band_keys,
        [encoded[i] for i in rows],
        sentence_hashes,
        sentence_rows.astype(np.int64),
        rows[short],
        short_bands,
        char_counts,
    )


def _char_counts(flat: npt.NDArray[np.uint8], row_of_byte: I64, n_rows: int) -> npt.NDArray[np.uint8]:
    """How many characters of each row's key fall in each of COUNT_BUCKETS
    buckets (by the low bits of the character's first UTF-8 byte), at most
    COUNT_FULL: enough to bound the ratio of two keys without reading them
    (see _ratio_may_reach). `flat` is the keys' bytes joined by NUL."""
    lead = (flat & np.uint8(0xC0)) != np.uint8(0x80)  # one byte per character
    lead &= flat != 0
    bucket = row_of_byte[lead] * COUNT_BUCKETS + (flat[lead] & np.uint8(COUNT_BUCKETS - 1))
    counts = np.bincount(bucket, minlength=n_rows * COUNT_BUCKETS).reshape(n_rows, COUNT_BUCKETS)
    return np.minimum(counts, COUNT_FULL).astype(np.uint8)


def _ratio_may_reach(
    counts_a: npt.NDArray[np.uint8],
    counts_b: npt.NDArray[np.uint8],
    la: npt.NDArray[Any],
    lb: npt.NDArray[Any],
    t: float,
) -> npt.NDArray[np.bool_]:
    """Whether each pair of keys may score at least t, judged from their character counts.

    A ratio is 200 * LCS / (la + lb), and a common subsequence holds no more
    of any character (or bucket of characters) than either key does, so LCS
    is at most the sum over buckets of the smaller count: an exact bound,
    which rules out most pairs that only share a few words. It holds for
    token_sort_ratio too (sorting the words keeps the characters). A bucket
    full on both sides (COUNT_FULL or more) bounds nothing: the pair stays.
    """
    common = np.minimum(counts_a, counts_b).sum(axis=1, dtype=np.int64)
    full = ((counts_a == COUNT_FULL) & (counts_b == COUNT_FULL)).any(axis=1)
    total = la.astype(np.float64) + lb
    reach: npt.NDArray[np.bool_] = full | (200.0 * common >= (t - 1e-6) * total)
    return reach


def _whole_key_if_none(
    shingles: U64, shingle_rows: I64, prefix: U64, inverse: U64, row_start: I64, row_end: I64
) -> tuple[U64, I64]:
    """Shingles sorted by row, plus one shingle (the whole key) for each row too short for any."""
    has = np.zeros(len(row_start), dtype=bool)
    has[shingle_rows] = True
    lonely = np.flatnonzero(~has)
    if not len(lonely):
        return shingles, shingle_rows
    shingles = np.concatenate((shingles, _span_hashes(prefix, inverse, row_start[lonely], row_end[lonely])))
    shingle_rows = np.concatenate((shingle_rows, lonely))
    order = np.argsort(shingle_rows, kind="stable")
    return shingles[order], shingle_rows[order]


def sketch_documents(docs: Sequence[Document], cfg: dict[str, Any]) -> None:
    """Sketch the paragraphs of several documents in one call and give each
    document its part (doc.sketch): the same as sketching each one alone,
    since every row's sketch depends on its own text only."""
    sizes = [len(doc.paragraphs) for doc in docs]
    whole = sketch([p.text for doc in docs for p in doc.paragraphs], cfg)
    lo = 0
    for doc, size in zip(docs, sizes, strict=True):
        doc.sketch = _rows(whole, lo, lo + size)
        lo += size


class Stored(Protocol):
    """A sketch part kept out of memory (in a file) until the index files it."""

    def load(self) -> Any: ...


@dataclass
class Rows:
    """A batch of consecutive documents as the index takes them (Index.add_rows):
    made where the documents are cleaned, so that the main process only files them.
    `sketches` holds the paragraphs' sketch in parts: (first row, the part or
    where it was stored)."""

    ids: list[str]
    sizes: list[int]
    positions: npt.NDArray[np.int32]
    text_chars: npt.NDArray[np.int64]
    sketches: list[tuple[int, Sketch | Stored]]
    ranks: list[int]
    repeats: npt.NDArray[np.int8] | None = None


def document_rows(
    docs: Sequence[Document], cfg: dict[str, Any], store: Callable[[Sketch], Stored] | None = None
) -> Rows:
    """Sketch the paragraphs of `docs` in one call (numpy's cost per call
    outweighs one document's work) and gather what the index files per row.
    With `store`, each part of the sketch (sketch_parts) is stored as soon as
    it is made: a long document's sketch is then never held whole."""
    paragraphs = [p for doc in docs for p in doc.paragraphs]
    texts = [p.text for p in paragraphs]
    return Rows(
        [doc.id for doc in docs],
        [len(doc.paragraphs) for doc in docs],
        np.fromiter((p.pos for p in paragraphs), dtype=np.int32, count=len(paragraphs)),
        np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
        [(start, part if store is None else store(part)) for start, part in sketch_parts(texts, cfg)],
        [outlet_rank(doc, cfg["preferred_outlets"]) for doc in docs],
        repeatable(paragraphs, cfg),
    )


BLOCK, WORDS = 2, 1  # repeatable(): a block of lines; a line of within_document_min_words words


def repeatable(paragraphs: Sequence[Paragraph], cfg: dict[str, Any]) -> npt.NDArray[np.int8]:
    """Per paragraph, how an article may repeat it (see Index._greedy): BLOCK
    for a block of several lines kept as one (verse, code: paragraphs.py joins
    their lines with newlines), WORDS for a line of at least
    within_document_min_words words (a line of dialogue or a chorus), 0 for a
    shorter label or a line in title case (a menu item or a headline printed
    in a page's header, sidebar and footer)."""
    least = cfg["within_document_min_words"]
    return np.fromiter(
        (
            BLOCK if "\n" in p.text else WORDS if len(p.text.split()) >= least and not _title_case(p.text) else 0
            for p in paragraphs
        ),
        dtype=np.int8,
        count=len(paragraphs),
    )


LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case(text: str) -> bool:
    """A headline or label in title case ("Parts of City to Be Evacuated"):
    at least two words of four letters or more, and most of them capitalised."""
    words = LONG_WORD.findall(text)
    return len(words) >= 2 and 2 * sum(w[0].isupper() for w in words) > len(words)


def _rows(sk: Sketch, lo: int, hi: int) -> Sketch:
    """The sketch of rows lo..hi-1, renumbered from 0."""
    i0, i1 = np.searchsorted(sk.indexed, (lo, hi)).tolist()
    j0, j1 = np.searchsorted(sk.sentence_rows, (lo, hi)).tolist()
    c0, c1 = np.searchsorted(sk.char_indexed, (lo, hi)).tolist()
    return Sketch(
        sk.digests[lo:hi],
        sk.key_chars[lo:hi],
        sk.indexed[i0:i1] - lo,
        sk.bands[i0:i1],
        sk.keys[i0:i1],
        sk.sentence_hashes[j0:j1],
        sk.sentence_rows[j0:j1] - lo,
        sk.char_indexed[c0:c1] - lo,
        sk.char_bands[c0:c1],
        sk.char_counts[i0:i1],
    )


def _shingles(words: U64, rows: I64, n: int) -> tuple[U64, I64]:
    """Hashes of n consecutive words within one row."""
    if n == 1 or len(words) < n:
        return (words, rows) if n == 1 else (words[:0], rows[:0])
    count = len(words) - n + 1
    acc = words[:count].copy()
    for t in range(1, n):
        acc = acc * SHINGLE_MULT[t % 2] + words[t : t + count]
    valid = rows[:count] == rows[n - 1 :]
    return _mix(acc[valid]), rows[:count][valid]


def _minhash(shingles: U64, rows: I64, n_rows: int, perms: tuple[U64, U64]) -> npt.NDArray[np.uint32]:
    """(n_rows, num_perm) MinHash signatures; shingles are sorted by row and every row has one.

    Each permutation is x -> a * x + b modulo 2**32 on the top 32 bits of the
    (well mixed) shingle hash, a odd: 32-bit arithmetic, twice as fast as
    64-bit multiply-shift. Rows of about the same number of shingles go
    together, each padded to the longest of them by repeating its last
    shingle (a repeat never changes a minimum), so that one min over a
    (rows, width, perms) block does what a reduceat over uneven segments did,
    at less than half the cost.
    """
    a = perms[0].astype(np.uint32)
    b = (perms[1] >> np.uint64(32)).astype(np.uint32)
    x = (shingles >> np.uint64(32)).astype(np.uint32)
    seg = np.searchsorted(rows, np.arange(n_rows))
    count = np.diff(np.append(seg, len(x)))
    signature = np.empty((n_rows, len(a)), dtype=np.uint32)
    if len(x) <= MINHASH_BLOCK:  # a few paragraphs: one block, no grouping
        hashed = x[:, None] * a[None, :]
        hashed += b[None, :]
        signature[:] = np.minimum.reduceat(hashed, seg, axis=0)
        return signature
    by_count = np.argsort(count, kind="stable")
    sorted_count = count[by_count]
    lo = 0
    while lo < n_rows:
        least = int(sorted_count[lo])
        if least > MINHASH_BLOCK:  # long rows: one at a time, a block of shingles at a time
            for r in by_count[lo:].tolist():
                s0, s1 = int(seg[r]), int(seg[r] + count[r])
                low = np.full(len(a), np.iinfo(np.uint32).max, dtype=np.uint32)
                for c0 in range(s0, s1, MINHASH_BLOCK):
                    hashed = x[c0 : min(c0 + MINHASH_BLOCK, s1), None] * a[None, :]
                    hashed += b[None, :]
                    np.minimum(low, hashed.min(axis=0), out=low)
                signature[r] = low
            break
        # At most a quarter of padding per row.
        hi = int(np.searchsorted(sorted_count, least + least // 4, side="right"))
        width = int(sorted_count[hi - 1])
        span = np.arange(width)[None, :]
        step = max(1, MINHASH_BLOCK // width)
        for r0 in range(lo, hi, step):
            block = by_count[r0 : min(r0 + step, hi)]
            at = seg[block, None] + np.minimum(span, count[block, None] - 1)
            hashed = x[at][:, :, None] * a[None, None, :]
            hashed += b[None, None, :]
            signature[block] = hashed.min(axis=1)
        lo = hi
    return signature


def _band_keys(signature: npt.NDArray[np.uint32], bands: int) -> npt.NDArray[np.uint32]:
    """One 32-bit key per band of r rows; equal keys put two paragraphs in one bucket.

    32 bits is enough: a chance collision only adds a candidate that
    verification then rejects (about n**2 / 2**33 of them per band).
    """
    n_rows, num_perm = signature.shape
    grouped = signature.reshape(n_rows, bands, num_perm // bands).astype(np.uint64)
    acc = np.zeros((n_rows, bands), dtype=np.uint64)
    for j in range(grouped.shape[2]):
        acc = acc * SHINGLE_MULT[0] + grouped[:, :, j]
    mixed = _mix(acc)
    return (mixed ^ (mixed >> np.uint64(32))).astype(np.uint32)


def outlet_rank(doc: Document, preferred: Sequence[str]) -> int:
    """Position of the document's outlet in `preferred` (len(preferred) when absent).

    An entry matches the metadata outlet, the URL's host (or a parent domain
    of it), or a folder of the source path.
    """
    if not preferred:
        return 0
    outlet = str(doc.metadata.get("outlet") or "").casefold()
    url = str(doc.metadata.get("url") or "")
    host = re.sub(r"^[a-z]+://", "", url.casefold()).split("/", 1)[0] if url else ""
    folders = [part.casefold() for part in re.split(r"[\\/]", doc.source)[:-1]]
    for rank, name in enumerate(preferred):
        name = name.casefold()
        if name and (name in (outlet, host) or host.endswith("." + name) or name in folders):
            return rank
    return len(preferred)


# ---------------------------------------------------------------------------
# The index: compact columns while documents stream in, decisions after the last.


class _Column:
    """A numpy column that grows by appending chunks (compacted now and then)."""

    def __init__(self, dtype: Any, width: int = 0) -> None:
        self.dtype = dtype
        self.width = width
        self.parts: list[npt.NDArray[Any]] = []

    def append(self, values: npt.NDArray[Any]) -> None:
        if len(values):
            self.parts.append(values)
        if len(self.parts) >= 512:
            self.parts = [np.concatenate(self.parts)]

    def array(self) -> npt.NDArray[Any]:
        """The column as one array (read-only by use): a column of one part
        (a run of one long document) is that part, not a copy of it."""
        if not self.parts:
            return np.zeros((0, self.width) if self.width else 0, dtype=self.dtype)
        if len(self.parts) > 1:
            self.parts = [np.concatenate(self.parts)]
        return self.parts[0]

    def item(self, j: int) -> npt.NDArray[Any]:
        """The j-th value of every row (of a column `width` wide), gathered
        from the parts without joining them: a copy of one value a row, not
        of the whole column."""
        if not self.parts:
            return np.zeros(0, dtype=self.dtype)
        return np.concatenate([part[:, j] for part in self.parts])


@dataclass
class Decision:
    """Why one paragraph is removed: the kept paragraph it matches, and how well."""

    rule: str
    kept_id: str
    kept_pos: int
    score: float
    coverage: float | None = None
    parts: tuple[tuple[str, int, float], ...] = ()


@dataclass
class _Edges:
    """Verified pairs between groups of identical keys, as per-group adjacency lists."""

    near: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    # group -> longer groups containing it; group -> shorter groups it contains (with the span)
    inside: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    around: dict[int, list[tuple[int, float, int, int]]] = field(default_factory=dict)


class Index:
    """The corpus-wide dedup index.

    add() every document in input order, resolve() once, then apply() every
    document again in the same order. `verdict(kept_chars, duplicate_chars)`
    says whether a document is dropped (the filter stage's rule), so that a
    dropped document's paragraphs never serve as the kept copy of anything.
    Verification runs in `threads` threads (the run's --jobs).
    """

    def __init__(
        self, cfg: dict[str, Any], verdict: Callable[[int, int], str | None] | None = None, threads: int = 1
    ) -> None:
        check_config(cfg)
        self.cfg = cfg
        self.threads = threads
        self.verdict = verdict or (lambda kept, duplicate: None)
        self.doc_ids: list[str] = []
        self.doc_sizes: list[int] = []
        self.doc_ranks: list[int] = []
        self.pos = _Column(np.int32)
        self.text_chars = _Column(np.int64)
        self.key_chars = _Column(np.int32)
        self.digests = _Column(np.uint64, 2)
        self.indexed = _Column(np.int64)
        self.bands = _Column(np.uint32, cfg["bands"])
        self.key_offsets = _Column(np.int64)
        self.key_lengths = _Column(np.int64)
        self.sentence_hashes = _Column(np.uint64)
        self.sentence_rows = _Column(np.int64)
        self.char_indexed = _Column(np.int64)
        self.char_bands = _Column(np.uint32, cfg["char_bands"])
        self.char_counts = _Column(np.uint8, COUNT_BUCKETS)
        self.repeats = _Column(np.int8)
        self.n = 0
        self._pending: list[Document] = []
        self._pending_paragraphs = 0
        # Keys of indexed paragraphs go to disk; verification reads back only
        # candidates' (named, so that worker processes can read it too).
        remove_stale_spills(cfg["spill_dir"])
        fd, self._spill_path = tempfile.mkstemp(prefix=spill_prefix("keys"), dir=cfg["spill_dir"] or None)
        self._spill = os.fdopen(fd, "wb", buffering=0)
        self._spilled = 0
        self._applied = 0
        self.stats: dict[str, Any] = {}
        # Told the name of each stage of resolve() as it starts (the progress display).
        self.on_stage: Callable[[str, int, str], None] | None = None
        self._decisions: dict[int, Decision] = {}
        self._dropped: dict[int, tuple[str, str | None]] = {}
        self._excluded: I64 | None = None

    def close(self) -> None:
        self._spill.close()
        with contextlib.suppress(OSError):
            os.unlink(self._spill_path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pass 1 -------------------------------------------------------------

    def add(self, doc: Document) -> None:
        """Index a document's paragraphs (its sketch, when a worker made one).

        Documents without a sketch wait in a buffer and are sketched together
        (numpy's cost per call outweighs the work for one document's paragraphs).
        """
        if not isinstance(doc.sketch, Sketch):
            self._pending.append(doc)
            self._pending_paragraphs += len(doc.paragraphs)
            if self._pending_paragraphs >= SKETCH_BATCH:
                self._flush()
            return
        self._flush()
        self._add_sketched(doc)

    def _flush(self) -> None:
        if self._pending:
            sketch_documents(self._pending, self.cfg)
            for doc in self._pending:
                self._add_sketched(doc)
            self._pending, self._pending_paragraphs = [], 0

    def _add_sketched(self, doc: Document) -> None:
        sk = doc.sketch
        assert isinstance(sk, Sketch)
        doc.sketch = None
        self.add_documents(
            [doc.id],
            [len(doc.paragraphs)],
            np.array([p.pos for p in doc.paragraphs], dtype=np.int32),
            np.array([len(p.text) for p in doc.paragraphs], dtype=np.int64),
            sk,
            [outlet_rank(doc, self.cfg["preferred_outlets"])],
            repeatable(doc.paragraphs, self.cfg),
        )

    def add_rows(self, rows: Rows) -> None:
        """Index a batch that document_rows() made, after every document added
        before it; a stored part of its sketch is read only while it is filed."""
        self._flush()
        self._add_rows(rows.ids, rows.sizes, rows.positions, rows.text_chars, rows.ranks, rows.repeats)
        for start, part in rows.sketches:
            self._add_sketch(part if isinstance(part, Sketch) else part.load(), self.n + start)
        self.n += len(rows.positions)

    def add_documents(
        self,
        ids: Sequence[str],
        sizes: Sequence[int],
        positions: npt.NDArray[np.int32],
        text_chars: npt.NDArray[np.int64],
        sk: Sketch,
        ranks: Sequence[int] | None = None,
        repeats: npt.NDArray[np.int8] | None = None,
    ) -> None:
        """Index consecutive documents at once (`sizes` paragraphs each, one sketch;
        `repeats` says how each paragraph may repeat in its document (repeatable();
        none may when omitted)."""
        self._add_rows(ids, sizes, positions, text_chars, ranks, repeats)
        self._add_sketch(sk, self.n)
        self.n += len(positions)

    def _add_rows(
        self,
        ids: Sequence[str],
        sizes: Sequence[int],
        positions: npt.NDArray[np.int32],
        text_chars: npt.NDArray[np.int64],
        ranks: Sequence[int] | None,
        repeats: npt.NDArray[np.int8] | None,
    ) -> None:
        """The documents' own columns (add_documents); their rows follow row self.n."""
        self.doc_ids.extend(ids)
        self.repeats.append(repeats if repeats is not None else np.zeros(len(positions), dtype=np.int8))
        self.doc_sizes.extend(sizes)
        self.doc_ranks.extend(ranks if ranks is not None else [0] * len(ids))
        self.pos.append(positions)
        self.text_chars.append(text_chars)

    def _add_sketch(self, sk: Sketch, base: int) -> None:
        """The sketch columns of consecutive rows, the first of them row `base`."""
        self.key_chars.append(sk.key_chars)
        self.digests.append(sk.digests)
        self.indexed.append(sk.indexed + base)
        self.bands.append(sk.bands)
        lengths = np.fromiter(map(len, sk.keys), dtype=np.int64, count=len(sk.keys))
        self.key_lengths.append(lengths)
        self.key_offsets.append(self._spilled + np.cumsum(lengths) - lengths)
        if sk.keys:
            self._spill.write(b"".join(sk.keys))
            self._spilled += int(lengths.sum())
        self.sentence_hashes.append(sk.sentence_hashes)
        self.sentence_rows.append(sk.sentence_rows + base)
        self.char_indexed.append(sk.char_indexed + base)
        self.char_bands.append(sk.char_bands)
        self.char_counts.append(sk.char_counts)

    def exclude(self, rows: I64) -> None:
        """Paragraphs an earlier corpus-wide stage removes (lines repeated across
        the corpus), by row in the order they were added: they are neither kept
        nor removed here, and their text counts as neither kept nor duplicate
        when documents are judged. Call before resolve()."""
        self._excluded = rows

    # -- resolve --------------------------------------------------------------

    def resolve(self, mapper: Mapper | None = None) -> None:
        """Find candidates, verify them, and decide every paragraph.

        `mapper(function, arguments)` yields function(argument) for each
        argument in order: the pipeline's worker pool scores the candidate
        pairs a slice at a time with it; by default they are scored here.
        """
        self._flush()
        self._stage("dedup: exact duplicates")
        clock = time.perf_counter()
        n = self.n
        self.doc_of = np.repeat(np.arange(len(self.doc_sizes)), self.doc_sizes)
        self.doc_start = np.concatenate(([0], np.cumsum(self.doc_sizes, dtype=np.int64)))
        self.pos_of = self.pos.array()
        key_chars = self.key_chars.array()
        if self._excluded is not None and len(self._excluded):
            key_chars = key_chars.copy()
            key_chars[self._excluded] = 0  # no key: in no group, never a candidate
        digests = self.digests.array()
        order = self._survivor_order(key_chars)
        # Groups of identical keys (the exact hash). Group ids follow survivor
        # order of their best member, so a lower id is a stronger survivor.
        keyed = order[key_chars[order] > 0]
        by_digest = np.lexsort((digests[keyed, 1], digests[keyed, 0]))
        members = keyed[by_digest]
        first = np.ones(len(members), dtype=bool)
        first[1:] = np.any(digests[members[1:]] != digests[members[:-1]], axis=1)
        provisional = np.cumsum(first) - 1
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        reps = members[first]
        relabel = np.empty(len(reps), dtype=np.int64)
        relabel[np.argsort(rank[reps], kind="stable")] = np.arange(len(reps))
        self.group_of = np.full(n, -1, dtype=np.int64)
        self.group_of[members] = relabel[provisional]
        self.n_groups = len(reps)
        group_rep = np.empty(len(reps), dtype=np.int64)
        group_rep[relabel] = reps
        self.group_chars = key_chars[group_rep]
        self.group_rep = group_rep
        # The near-duplicate index holds one row per indexed group.
        indexed = self.indexed.array()
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[indexed] = np.arange(len(indexed))
        self.group_row = row_of[group_rep]
        char_indexed = self.char_indexed.array()
        row_of[:] = -1
        row_of[char_indexed] = np.arange(len(char_indexed))
        self.group_char_row = row_of[group_rep]
        self.stats.update(paragraphs=n, groups=self.n_groups, indexed_groups=int((self.group_row >= 0).sum()))
        self._time("exact", clock)

        self._stage("dedup: candidate pairs")
        clock = time.perf_counter()
        pairs, sentence_pairs = self._candidates()
        self._time("candidates", clock)
        self._stage(f"dedup: scoring {len(pairs):,} candidate pairs", "slices scored")
        clock = time.perf_counter()
        edges = self._verify(pairs, sentence_pairs, mapper)
        self._time("verify", clock)
        self._stage("dedup: deciding")
        clock = time.perf_counter()
        self._decide(order, edges)
        self._time("decide", clock)

    def _stage(self, label: str, unit: str = "") -> None:
        if self.on_stage is not None:
            self.on_stage(label, 0, unit)

    def _time(self, name: str, since: float) -> None:
        self.stats.setdefault("seconds", {})[name] = round(time.perf_counter() - since, 3)

    def _survivor_order(self, key_chars: npt.NDArray[np.int32]) -> I64:
        """Paragraph indices, strongest survivor first; input order breaks ties."""
        n = self.n
        survivor = self.cfg["survivor"]
        if survivor == "longest":
            return np.lexsort((np.arange(n), -key_chars.astype(np.int64)))
        if survivor == "preferred":
            return np.lexsort((np.arange(n), np.asarray(self.doc_ranks, dtype=np.int64)[self.doc_of]))
        return np.arange(n, dtype=np.int64)

    def _candidates(self) -> tuple[I64, I64]:
        """Candidate group pairs as codes low * n_groups + high, unique and sorted:
        all of them, and those that share a sentence (containment candidates)."""
        cap = self.cfg["bucket_cap"]
        codes: list[I64] = []
        capped = too_far = 0
        # Word bands, then short keys' character n-gram bands (a key space of
        # their own). A band pair whose lengths rule out the threshold cannot be
        # a near-duplicate; containment candidates come from shared sentences.
        # Each band's keys are gathered from the column's parts as its task
        # runs: the columns are never joined whole (a long document's word
        # bands alone are 128 bytes a paragraph).
        tasks = []
        for group_row, column in ((self.group_row, self.bands), (self.group_char_row, self.char_bands)):
            groups = np.flatnonzero(group_row >= 0)
            rows = group_row[groups]
            tasks += [(column, rows, groups, band) for band in range(column.width)]

        def band_pairs(task: tuple[_Column, I64, I64, int]) -> tuple[I64, int, int]:
            column, rows, groups, band = task
            found, over = _bucket_pairs(column.item(band)[rows], groups, cap, self.n_groups)
            allowed = self._lengths_allow(found)
            return found[allowed], over, len(found) - int(allowed.sum())

        # numpy lets go of the interpreter while it sorts: bands run side by side in threads.
        with ThreadPoolExecutor(self.threads) as threads:
            for found, over, far in threads.map(band_pairs, tasks):
                codes.append(found)
                capped += over
                too_far += far
        # Sentences shared by two paragraphs: candidates for containment and
        # merged paragraphs, whose MinHash similarity can be low.
        # Only each group's representative speaks for it.
        sentence_rows = self.sentence_rows.array()
        is_rep = np.zeros(self.n, dtype=bool)
        is_rep[self.group_rep] = True
        speaks = is_rep[sentence_rows]
        sentence_groups = self.group_of[sentence_rows[speaks]]
        found, over = _bucket_pairs(self.sentence_hashes.array()[speaks], sentence_groups, cap, self.n_groups)
        codes.append(found)
        capped += over
        sentence_pairs = _unique(found)
        raw = sum(len(c) for c in codes)
        hits = np.sort(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
        first = np.ones(len(hits), dtype=bool)
        first[1:] = hits[1:] != hits[:-1]
        unique = hits[first]
        shared = np.diff(np.append(np.flatnonzero(first), len(hits)))  # bands (and sentences) in common
        unique, dropped = _cap_per_group(unique, shared, self.n_groups, self.cfg["candidate_cap"])
        self.stats.update(
            candidate_pairs=len(unique),
            candidate_hits=raw,
            capped_buckets=capped,
            capped_candidates=dropped,
            length_filtered=too_far,
        )
        return unique, sentence_pairs

    def _lengths_allow(self, codes: I64) -> npt.NDArray[np.bool_]:
        """Whether the key lengths of each pair allow the threshold: a ratio (and
        token_sort_ratio on these single-spaced keys) is at most 200 * shorter / (both lengths)."""
        la, lb = self.group_chars[codes // self.n_groups], self.group_chars[codes % self.n_groups]
        allowed: npt.NDArray[np.bool_] = 200.0 * np.minimum(la, lb) >= self.cfg["threshold"] * (la + lb)
        return allowed

    def _verify(self, codes: I64, sentence_pairs: I64, mapper: Mapper | None) -> _Edges:
        """Score every candidate pair with rapidfuzz on the keys; keep the ones that match."""
        edges = _Edges()
        near_pairs: list[I64] = []
        n_near = n_contain = bounded = count_filtered = fact_rejected = 0
        # Pairs whose lengths rule the threshold out, and that share no
        # sentence, are not read or scored.
        before = len(codes)
        codes = codes[_shares(codes, sentence_pairs) | self._lengths_allow(codes)]
        self.stats["length_filtered"] = self.stats.get("length_filtered", 0) + before - len(codes)
        parts: deque[I64] = deque()

        # Slices of at most VERIFY_CHUNK pairs whose keys hold at most
        # VERIFY_CHARS characters between them, so that a slice's memory stays
        # bounded however long the paragraphs are.
        chars = np.cumsum(self.group_chars[codes // self.n_groups] + self.group_chars[codes % self.n_groups])
        cuts = [0]
        while cuts[-1] < len(codes):
            lo = cuts[-1]
            by_chars = int(np.searchsorted(chars, (chars[lo - 1] if lo else 0) + VERIFY_CHARS, side="right"))
            cuts.append(min(lo + VERIFY_CHUNK, max(by_chars, lo + 1)))

        def slices() -> Iterator[Slice]:
            for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
                part = codes[lo:hi]
                parts.append(part)
                yield self._slice(part, sentence_pairs, 1 if mapper else self.threads)

        for scored in (mapper or map)(score_slice, slices()):
            part = parts.popleft()
            a, b = part // self.n_groups, part % self.n_groups
            near = scored.scores >= self.cfg["threshold"]
            for x, y, s in zip(a[near].tolist(), b[near].tolist(), scored.scores[near].tolist(), strict=True):
                edges.near.setdefault(x, []).append((y, s))
                edges.near.setdefault(y, []).append((x, s))
            near_pairs.append(part[near])
            n_near += int(near.sum())
            bounded += scored.bounded
            count_filtered += scored.count_filtered
            fact_rejected += scored.fact_rejected
            for i, score, start, end in scored.contained:
                short, long_ = (int(a[i]), int(b[i])) if scored.short_is_a[i] else (int(b[i]), int(a[i]))
                edges.inside.setdefault(short, []).append((long_, score))
                edges.around.setdefault(long_, []).append((short, score, start, end))
                n_contain += 1
        self.near_codes = np.concatenate(near_pairs) if near_pairs else np.zeros(0, dtype=np.int64)
        self.stats["containment_bounded"] = self.stats.get("containment_bounded", 0) + bounded
        self.stats["count_filtered"] = self.stats.get("count_filtered", 0) + count_filtered
        self.stats["fact_rejected"] = self.stats.get("fact_rejected", 0) + fact_rejected
        self.stats.update(verified_near=n_near, verified_containment=n_contain)
        return edges

    def _slice(self, part: I64, sentence_pairs: I64, threads: int) -> Slice:
        """What scoring the pairs `part` needs, in arrays: where their keys are in the spill."""
        a, b = part // self.n_groups, part % self.n_groups
        need = _unique(np.concatenate((a, b)))
        rows = self.group_row[need]
        spilled = bool(self._spilled)
        return Slice(
            self._spill_path if spilled else "",
            self.key_offsets.array()[rows] if spilled else np.zeros(len(rows), dtype=np.int64),
            self.key_lengths.array()[rows] if spilled else np.zeros(len(rows), dtype=np.int64),
            self.char_counts.array()[rows],
            np.searchsorted(need, a),
            np.searchsorted(need, b),
            self.group_chars[a],
            self.group_chars[b],
            _shares(part, sentence_pairs),
            {
                k: self.cfg[k]
                for k in ("scorer", "threshold", "containment_threshold", "containment_min_chars", "fact_words")
            },
            threads,
        )

    # -- decide ---------------------------------------------------------------

    def _decide(self, order: I64, edges: _Edges) -> None:
        """Greedy in survivor order, repeated until the set of dropped documents is stable.

        A document the filter drops keeps nothing, so it cannot be the kept
        copy of anything; its paragraphs are then matched against the kept
        ones for the audit. A dropped document that no longer qualifies once
        the others are settled is reinstated for good, so the loop ends.
        """
        n_docs = len(self.doc_sizes)
        text_chars = self.text_chars.array()
        if self._excluded is not None and len(self._excluded):
            text_chars = text_chars.copy()
            text_chars[self._excluded] = 0
        dropped = np.zeros(n_docs, dtype=bool)
        protected = np.zeros(n_docs, dtype=bool)
        group_size = np.bincount(self.group_of[self.group_of >= 0], minlength=self.n_groups)
        linked = group_size > 1
        for table in (edges.near, edges.inside, edges.around):
            linked[list(table)] = True
        has_group = self.group_of >= 0
        busy = has_group.copy()
        busy[has_group] = linked[self.group_of[has_group]]
        walk = order[busy[order]].tolist()
        lists = (self.group_of.tolist(), self.doc_of.tolist(), self.group_chars.tolist(), self.repeats.array().tolist())
        rounds = 0
        while True:
            rounds += 1
            removed, extra = self._greedy(walk, dropped, edges, *lists)
            is_removed = np.zeros(self.n, dtype=bool)
            is_removed[list(removed)] = True
            dup = np.bincount(self.doc_of, weights=text_chars * is_removed, minlength=n_docs)
            kept = np.bincount(self.doc_of, weights=text_chars * ~is_removed, minlength=n_docs)
            verdicts = [self.verdict(int(k), int(d)) for k, d in zip(kept.tolist(), dup.tolist(), strict=True)]
            fresh = [d for d, v in enumerate(verdicts) if v and not dropped[d] and not protected[d]]
            if fresh:
                dropped[fresh] = True
                # Nothing changes for the others when the new drops kept nothing.
                if any(kept[d] > 0 for d in fresh):
                    continue
            stale = [d for d in np.flatnonzero(dropped).tolist() if not verdicts[d]]
            if not stale:
                break
            dropped[stale] = False
            protected[stale] = True
        self.stats.update(rounds=rounds, documents_dropped=int(dropped.sum()))
        doc_ids, pos_of, doc_of = self.doc_ids, self.pos_of, self.doc_of
        for p, (rule, target, score) in removed.items():
            coverage, parts = extra.get(p, (None, ()))
            self._decisions[p] = Decision(
                RULES[rule],
                doc_ids[doc_of[target]],
                int(pos_of[target]),
                round(score, 1),
                coverage,
                tuple((doc_ids[doc_of[t]], int(pos_of[t]), round(s, 1)) for t, s in parts),
            )
        for d in np.flatnonzero(dropped).tolist():
            verdict = verdicts[d]
            assert verdict is not None
            weight: dict[int, int] = {}
            for p in range(int(self.doc_start[d]), int(self.doc_start[d + 1])):
                if p in removed:
                    source = int(doc_of[removed[p][1]])
                    weight[source] = weight.get(source, 0) + int(text_chars[p])
            copied = min(weight, key=lambda s: (-weight[s], s)) if weight else None
            self._dropped[d] = (verdict, doc_ids[copied] if copied is not None else None)

    def _greedy(
        self,
        walk: list[int],
        dropped: npt.NDArray[np.bool_],
        edges: _Edges,
        group_of: list[int],
        doc_of: list[int],
        chars: list[int],
        repeats: list[int],
    ) -> tuple[dict[int, tuple[int, int, float]], dict[int, tuple[float, list[tuple[int, float]]]]]:
        """One pass in survivor order: keep a paragraph unless it matches a kept one.

        Among several kept matches the best score wins, then the stronger survivor.
        A block of several lines (a chorus, code) or a line of at least
        within_document_min_words words whose key is shorter than
        within_document_min_chars never goes as a copy of a paragraph of its
        own document: an article repeats those on purpose (a chorus quoted
        twice, a line of dialogue), up to within_document_max_copies times.
        Shorter labels, lines in title case (menu items and headlines in a
        page's header, sidebar and footer) and long paragraphs printed twice
        still go.
        """
        own_min = self.cfg["within_document_min_chars"]
        own_max = self.cfg["within_document_max_copies"]
        own_copies: dict[tuple[int, int], int] = {}
        contained_ratio = self.cfg["containment_min_ratio"]
        coverage_min = self.cfg["coverage"]
        is_dropped = dropped.tolist()
        kept_of = [-1] * self.n_groups
        removed: dict[int, tuple[int, int, float]] = {}
        extra: dict[int, tuple[float, list[tuple[int, float]]]] = {}
        near, inside, around = edges.near, edges.inside, edges.around
        for p in walk:
            g = group_of[p]
            d = doc_of[p]
            # -1 matches no document: copies in any document count
            own = d if repeats[p] == BLOCK or (repeats[p] == WORDS and chars[g] < own_min) else -1
            if own >= 0:
                # A line a page prints many times over is a label, not a chorus.
                copies = own_copies[g, d] = own_copies.get((g, d), 0) + 1
                if copies > own_max:
                    own = -1
            target = kept_of[g]
            if target >= 0 and doc_of[target] != own:
                removed[p] = (EXACT, target, 100.0)
                continue
            best: tuple[float, int] | None = None
            for h, score in near.get(g, ()):
                if (
                    kept_of[h] >= 0
                    and doc_of[kept_of[h]] != own
                    and (best is None or (score, -h) > (best[0], -best[1]))
                ):
                    best = (score, h)
            if best is not None:
                removed[p] = (NEAR, kept_of[best[1]], best[0])
                continue
            for h, score in inside.get(g, ()):
                if (
                    kept_of[h] >= 0
                    and doc_of[kept_of[h]] != own
                    and chars[g] >= contained_ratio * chars[h]
                    and (best is None or (score, -h) > (best[0], -best[1]))
                ):
                    best = (score, h)
            if best is not None:
                removed[p] = (CONTAINED, kept_of[best[1]], best[0])
                continue
            spans = [
                (start, end, score, kept_of[h])
                for h, score, start, end in around.get(g, ())
                if kept_of[h] >= 0 and doc_of[kept_of[h]] != own
            ]
            if spans:
                need = coverage_min * chars[g]
                whole = max(spans, key=lambda s: (s[1] - s[0], s[2], -s[3]))
                if whole[1] - whole[0] >= need:
                    removed[p] = (CONTAINS_KEPT, whole[3], whole[2])
                    extra[p] = (round((whole[1] - whole[0]) / chars[g], 3), [])
                    continue
                covered = _union_length([(s[0], s[1]) for s in spans])
                if covered >= need:
                    removed[p] = (MERGED, whole[3], whole[2])
                    parts = sorted({(s[3], s[2]) for s in spans})
                    extra[p] = (round(covered / chars[g], 3), parts)
                    continue
            if kept_of[g] < 0 and not is_dropped[d]:
                kept_of[g] = p
        return removed, extra

    # -- pass 2 ---------------------------------------------------------------

    def apply(self, doc: Document, ordinal: int | None = None) -> Document:
        """Remove the document's duplicate paragraphs; mark it dropped if resolve() dropped it.

        Documents come in the order they were added, or name their `ordinal`
        (the number of documents added before them).
        """
        if ordinal is None:
            ordinal = self._applied
            self._applied += 1
        return apply_plan(doc, self.plan(ordinal))

    def plan(self, ordinal: int) -> Plan:
        """What resolve() decided for the `ordinal`-th document added: small
        enough to send to the process that finishes the document."""
        start = int(self.doc_start[ordinal])
        decisions = {}
        for i in range(self.doc_sizes[ordinal]):
            decision = self._decisions.get(start + i)
            if decision is not None:
                decisions[i] = decision
        return Plan(decisions, self._dropped.get(ordinal))

    def linked(self, p: I64, q: I64) -> npt.NDArray[np.bool_]:
        """Whether paragraphs p[i] and q[i] have identical keys or a verified near-duplicate pair."""
        gp, gq = self.group_of[p], self.group_of[q]
        lo, hi = np.minimum(gp, gq), np.maximum(gp, gq)
        codes = lo * self.n_groups + hi
        at = np.searchsorted(self.near_codes, codes)
        found = (at < len(self.near_codes)) & (self.near_codes[np.minimum(at, len(self.near_codes) - 1)] == codes)
        same: npt.NDArray[np.bool_] = ((gp == gq) & (gp >= 0)) | found
        return same


# Spill files and folders are named "<SPILL_TAG>-<pid>-<use>-<random>", so that
# those a killed run leaves (SIGKILL gives no chance to clean up) are known
# and removed by the next run, once their process is gone.
SPILL_TAG = "corpusclean"


def spill_prefix(use: str) -> str:
    return f"{SPILL_TAG}-{os.getpid()}-{use}-"


def remove_stale_spills(folder: str) -> list[Path]:
    """Delete the spill files and folders that killed runs left in `folder`
    (the system's temporary folder when ""); return them."""
    removed = []
    for candidate in Path(folder or tempfile.gettempdir()).glob(f"{SPILL_TAG}-*-*-*"):
        pid = candidate.name.split("-")[1]
        if pid.isdigit() and not alive(int(pid)):
            with contextlib.suppress(OSError):
                if candidate.is_dir() and not candidate.is_symlink():
                    shutil.rmtree(candidate)
                else:
                    candidate.unlink()
                removed.append(candidate)
    return removed


# mapper(function, arguments): function(argument) for each argument, in order.
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
# Candidate pairs scored in one slice (one task for a worker process), and
# the most characters their keys may hold between them (counted per pair):
# the keys a slice reads are at most that many characters. At 100M, one long
# document's pairs were one slice that held its keys whole (and kept one of
# two workers busy); at 16M they take four.
VERIFY_CHUNK = 200_000
VERIFY_CHARS = 1 << 24
# Pairs whose character counts are compared at once in score_slice (64 bytes
# a key each: a slice's in one go took 40 MB).
REACH_CHUNK = 1 << 15


def _shares(codes: I64, sentence_pairs: I64) -> npt.NDArray[np.bool_]:
    """Whether each pair (code) shares a sentence; `sentence_pairs` is sorted."""
    if not len(sentence_pairs):
        return np.zeros(len(codes), dtype=bool)
    at = np.minimum(np.searchsorted(sentence_pairs, codes), len(sentence_pairs) - 1)
    found: npt.NDArray[np.bool_] = sentence_pairs[at] == codes
    return found


@dataclass
class Slice:
    """A slice of the candidate pairs with all that scoring them needs, so
    that any process can do it: the key spill's path, the offsets, lengths
    and character counts of the keys needed, and per pair the positions of
    its two keys among them, their lengths in characters and whether they
    share a sentence."""

    spill: str
    offsets: I64
    lengths: I64
    counts: npt.NDArray[np.uint8]
    a: I64
    b: I64
    la: npt.NDArray[Any]
    lb: npt.NDArray[Any]
    shares: npt.NDArray[np.bool_]
    cfg: dict[str, Any]
    threads: int


@dataclass
class Scored:
    """The scores of a slice's pairs (the scorer's; 0 below the threshold) and
    its containment matches: (pair, partial_ratio, start and end of the
    match in the longer key); how many pairs the character counts ruled out
    and how many containment checks the common-subsequence bound did."""

    scores: npt.NDArray[np.float64]
    contained: list[tuple[int, float, int, int]]
    short_is_a: npt.NDArray[np.bool_]
    bounded: int
    count_filtered: int
    fact_rejected: int = 0


def _keys(where: Slice, wanted: I64) -> list[str]:
    """The keys of the slice, read from the spill for the positions `wanted` only ("" elsewhere)."""
    keys = [""] * len(where.offsets)
    if not where.spill or not len(wanted):
        return keys
    # A read-only map of the spill: slicing it costs far less than a read() per key.
    with open(where.spill, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as spill:
        starts = where.offsets[wanted]
        for i, o, e in zip(wanted.tolist(), starts.tolist(), (starts + where.lengths[wanted]).tolist(), strict=True):
            keys[i] = spill[o:e].decode("utf-8")
    return keys


def score_slice(where: Slice) -> Scored:
    """Score a slice of candidate pairs: the scorer on every pair, then
    containment (partial_ratio) for the pairs that share a sentence and are
    not near-duplicates as wholes. Pure, so any process can do it."""
    cfg = where.cfg
    threshold, c_threshold, c_min = cfg["threshold"], cfg["containment_threshold"], cfg["containment_min_chars"]
    a, b, la, lb = where.a, where.b, where.la, where.lb
    # Pairs the character counts rule out score 0, as below the cutoff: their
    # keys are not read for it. Done here, in the workers, not in _verify in
    # the main process: gathering 64 counts per pair is work worth spreading;
    # REACH_CHUNK pairs at a time, so that the counts gathered stay a few MB.
    reach = np.flatnonzero(
        np.concatenate(
            [
                _ratio_may_reach(where.counts[a[i:j]], where.counts[b[i:j]], la[i:j], lb[i:j], threshold)
                for i, j in ((i, i + REACH_CHUNK) for i in range(0, len(a), REACH_CHUNK))
            ]
            or [np.zeros(0, dtype=bool)]
        )
    )
    # Lengths within 10% of each other are a plain edit, which the ratio
    # judges; containment needs a real length gap. partial_ratio is
    # costly, so only pairs that share a sentence are tried: a contained or
    # merged paragraph keeps whole sentences.
    short_len, long_len = np.minimum(la, lb), np.maximum(la, lb)
    may_contain = where.shares & (short_len >= c_min) & (short_len <= 0.9 * long_len)
    wanted = np.concatenate((a[reach], b[reach], a[may_contain], b[may_contain]))
    keys = _keys(where, _unique(wanted))
    ka = [keys[i] for i in a[reach].tolist()]
    kb = [keys[i] for i in b[reach].tolist()]
    scored = process.cpdist(ka, kb, scorer=SCORERS[cfg["scorer"]], score_cutoff=threshold, workers=where.threads)
    scores = np.zeros(len(a), dtype=scored.dtype)
    scores[reach] = scored
    near = scores >= threshold
    # A pair at the threshold whose facts disagree (other numbers, days) is
    # two items of one template, not a copy: it scores 0, as below the cutoff.
    words = fact_words(cfg)
    facts: dict[int, tuple[str, ...]] = {}

    def facts_of(i: int) -> tuple[str, ...]:
        found = facts.get(i)
        if found is None:
            found = facts[i] = key_facts(keys[i], words)
        return found

    near_at = np.flatnonzero(near)
    disagree = [
        j
        for j, x, y in zip(near_at.tolist(), a[near_at].tolist(), b[near_at].tolist(), strict=True)
        if not facts_agree(facts_of(x), facts_of(y))
    ]
    scores[disagree] = 0
    near[disagree] = False
    fact_rejected = len(disagree)
    short_is_a = la <= lb
    contained: list[tuple[int, float, int, int]] = []
    check = np.flatnonzero(~near & may_contain)
    count_filtered = len(a) - len(reach)
    if not len(check):
        return Scored(scores, contained, short_is_a, 0, count_filtered, fact_rejected)
    short_at = np.where(short_is_a[check], a[check], b[check]).tolist()
    long_at = np.where(short_is_a[check], b[check], a[check]).tolist()
    shorts, longs = [keys[i] for i in short_at], [keys[i] for i in long_at]
    # partial_ratio is about 50 times the cost of ratio, so an exact bound
    # goes first: a window of the long key that scores t with the short one
    # (length L) shares at least L * t / (2 - t) characters with it in order
    # (a common subsequence), and the whole long key shares at least as many,
    # which ratio measures: ratio = 200 * LCS / (L + M). Nine in ten pairs fail it.
    whole = process.cpdist(shorts, longs, scorer=fuzz.ratio, workers=where.threads)
    t = c_threshold / 100.0
    lcs = whole * (short_len[check] + long_len[check]) / 200.0
    bound = np.flatnonzero(lcs >= short_len[check] * t / (2.0 - t) - 1e-6)
    bounded = len(check) - len(bound)
    if not len(bound):
        return Scored(scores, contained, short_is_a, bounded, count_filtered, fact_rejected)
    check = check[bound]
    shorts = [shorts[i] for i in bound.tolist()]
    longs = [longs[i] for i in bound.tolist()]
    partial = process.cpdist(shorts, longs, scorer=fuzz.partial_ratio, score_cutoff=c_threshold, workers=where.threads)
    for j in np.flatnonzero(partial >= c_threshold).tolist():
        found = fuzz.partial_ratio_alignment(shorts[j], longs[j])
        assert found is not None
        # The part of the long key the short one matches must state the same
        # facts (the window widened to whole words, so no number is cut).
        start, end = _whole_words(longs[j], found.dest_start, found.dest_end)
        if not facts_agree(key_facts(shorts[j], words), key_facts(longs[j][start:end], words)):
            fact_rejected += 1
            continue
        contained.append((int(check[j]), float(partial[j]), found.dest_start, found.dest_end))
    return Scored(scores, contained, short_is_a, bounded, count_filtered, fact_rejected)


def _whole_words(key: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) of `key` widened to the word boundaries around it."""
    start = key.rfind(" ", 0, start) + 1 if start > 0 and key[start - 1] != " " else start
    if end < len(key) and key[end - 1] != " ":
        found = key.find(" ", end)
        end = len(key) if found < 0 else found
    return start, end


@dataclass(frozen=True)
class Plan:
    """One document's dedup decisions: by paragraph index, and whether it goes
    as a copy of another document (reason, the document it copies)."""

    decisions: dict[int, Decision]
    dropped: tuple[str, str | None] | None


def apply_plan(doc: Document, plan: Plan) -> Document:
    """Remove the paragraphs `plan` decided against, each with an audit entry."""
    kept: list[Paragraph] = []
    for i, paragraph in enumerate(doc.paragraphs):
        decision = plan.decisions.get(i)
        if decision is None:
            kept.append(paragraph)
            continue
        doc.removals.append(
            Removal(
                STAGE,
                decision.rule,
                paragraph.pos,
                paragraph.text,
                decision.kept_id,
                decision.kept_pos,
                decision.score,
                paragraph.end,
                decision.coverage,
                decision.parts,
            )
        )
        doc.count("paragraphs_deduplicated")
    doc.paragraphs = kept
    if plan.dropped is not None and not doc.dropped:  # an earlier stage's reason stands
        doc.dropped, copied = plan.dropped
        if copied is not None:
            doc.metadata["duplicate_of"] = copied
    return doc


def _union_length(spans: list[tuple[int, int]]) -> int:
    total = 0
    end = -1
    for lo, hi in sorted(spans):
        lo = max(lo, end)
        if hi > lo:
            total += hi - lo
            end = hi
    return total


def _cap_per_group(codes: I64, shared: I64, n_groups: int, cap: int) -> tuple[I64, int]:
    """Keep a candidate pair when it is among the `cap` best of either of its
    groups (most bands and sentences in common first, then the stronger
    survivor), so that verification costs at most about cap pairs per group
    whatever the input. Returns the kept codes (still sorted) and how many went.

    Only a pair whose groups both have more than `cap` pairs can go. The
    groups are ranked a slice of them at a time (about RANK_CHUNK pairs), so
    memory stays bounded when a small vocabulary makes millions of pairs.
    """
    n = np.int64(n_groups)
    a, b = codes // n, codes % n
    degree = np.bincount(a, minlength=n_groups) + np.bincount(b, minlength=n_groups)
    crowded = degree > cap
    keep = ~(crowded[a] & crowded[b])
    if keep.all():
        return codes, 0
    weak = np.int64(63) - np.minimum(shared, 63)
    # Slices of crowded groups [g0, g1) with about RANK_CHUNK pairs between them.
    crowded_ids = np.flatnonzero(crowded)
    load = np.cumsum(degree[crowded_ids])
    cuts = np.searchsorted(load, np.arange(RANK_CHUNK, int(load[-1]), RANK_CHUNK), side="right")
    bounds = [int(g) for g in crowded_ids[np.unique(cuts)]] if len(cuts) else []
    edges = [int(crowded_ids[0]), *bounds, int(crowded_ids[-1]) + 1]
    for g0, g1 in zip(edges[:-1], edges[1:], strict=True):
        if g1 <= g0:
            continue
        lo, hi = np.searchsorted(codes, (g0 * n, g1 * n)).tolist()
        as_low = np.arange(lo, hi)  # pairs whose lower group is in the slice (codes are sorted)
        as_low = as_low[crowded[a[as_low]]]
        as_high = np.flatnonzero((b >= g0) & (b < g1))
        as_high = as_high[crowded[b[as_high]]]
        pair = np.concatenate((as_low, as_high))
        end = np.concatenate((a[as_low], b[as_high]))
        other = np.concatenate((b[as_low], a[as_high]))
        # Rank each group's pairs by (-shared, other), packed in one int64 so
        # that a plain sort does it (n_groups up to about 3.8e8).
        order = np.argsort((end * 64 + weak[pair]) * n + other, kind="stable")
        end, pair = end[order], pair[order]
        start = np.flatnonzero(np.concatenate(([True], end[1:] != end[:-1])))
        rank = np.arange(len(end)) - np.repeat(start, np.diff(np.append(start, len(end))))
        keep[pair[(rank < cap) & crowded[end]]] = True
    kept = codes[keep]
    return kept, int(len(codes) - len(kept))


def _unique(values: I64) -> I64:
    """Sorted distinct values (np.unique's hash table is slower on big int64 arrays)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _bucket_pairs(keys: npt.NDArray[Any], items: I64, cap: int, n_groups: int) -> tuple[I64, int]:
    """Pairs of items that share a key, as codes low * n_groups + high.

    Items are group ids, so a lower one is a stronger survivor. A bucket of
    more than `cap` items (a common phrase, not a duplicate) pairs each item
    only with the `cap` strongest ones, which bounds the work per item.
    """
    if len(keys) < 2:
        return np.zeros(0, dtype=np.int64), 0
    if keys.dtype == np.uint32 and n_groups <= 2**32:
        # (key, item) packed in one uint64: a plain sort, several times faster than lexsort.
        packed = (keys.astype(np.uint64) << np.uint64(32)) | items.astype(np.uint64)
        packed.sort()
        sorted_keys = packed >> np.uint64(32)
        sorted_items = (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
    else:
        order = np.lexsort((items, keys))
        sorted_keys, sorted_items = keys[order], items[order]
    new = np.ones(len(sorted_keys), dtype=bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    index = np.arange(len(sorted_keys))
    bucket_start = np.maximum.accumulate(np.where(new, index, 0))
    offset = index - bucket_start
    sizes = np.diff(np.append(np.flatnonzero(new), len(sorted_keys)))
    capped = int((sizes > cap + 1).sum())
    at = np.flatnonzero(offset > 0)
    base, depth = bucket_start[at], offset[at]
    found: list[I64] = []
    for u in range(cap):
        keep = depth > u
        if not keep.any():
            break
        at, base, depth = at[keep], base[keep], depth[keep]
        low, high = sorted_items[base + u], sorted_items[at]
        distinct = low != high
        found.append(low[distinct] * n_groups + high[distinct])
    return (np.concatenate(found) if found else np.zeros(0, dtype=np.int64)), capped
