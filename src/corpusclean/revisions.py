"""Undo doubled text: news-diff pages and text a scraper printed twice.

A news-diff page shows two versions of an article side by side, one row per
paragraph, so flattened it holds each paragraph twice ("P.P."), as its old
version followed by its new one, or once (a paragraph only one version has).
We keep the newest version and send the other copy to the audit. Outside
such pages only unmistakable doubling is undone: a long line that is two
copies of itself, lines or paragraphs repeated right after themselves, a
whole document repeated. Every search here is linear in the text's length.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from .config import HeaderPattern
from .document import Document, Line, Removal

STAGE = "revisions"
# Characters that may stand between the two copies of a doubled line.
SEPARATOR_CHARS = " |/-\u2013\u2014\u2022\u00b7"
MAX_SEPARATOR = 3
# How many characters of a row's start (and end) are looked for again to
# find where the second version begins; each probe costs one linear scan.
PROBE_CHARS = 12
# Probes start at the first few word starts (and end at the last few word
# ends), so that an edit in a row's first or last word still leaves a probe.
PROBE_WORDS = 3
# At most this many split points are scored per row, so a row costs a fixed
# number of rapidfuzz calls whatever its length.
MAX_SPLIT_CANDIDATES = 24
# A split point comes from a probe found again around the row's middle: the
# old version holds between these fractions of the row (two versions at
# least 60% similar cannot differ more in length).
BALANCE = (0.25, 0.75)
# Where the two versions are glued without a space ("...the council.The ferry"):
# closing punctuation straight before a character that starts a text, or a
# lower-case letter straight before a capital.
GLUE = re.compile(
    r"(?<=[.!?:;\"'\u201d\u2019)\]])(?=[^\s.,;:!?\"'\u201d\u2019)\]])|(?<=[a-z])(?=[A-Z\"\u201c\u2018(\[])"
)
# Word boundaries a headline may be split at: "OLD TITLE NEW TITLE".
TITLE_BOUNDARY = re.compile(r"(?<=\S) +(?=[A-Z0-9\"'\u201c\u2018(\[])")
# Rows longer than this are not real paragraphs; they are compared on their
# first and last FUZZY_WINDOW characters, which keeps each comparison at a
# fixed cost (rapidfuzz's ratio is quadratic in length divided by 64).
FUZZY_WINDOW = 2000
# The diff markup of an edited row leaves odd spaces around changed words:
# runs of spaces, a space before punctuation (not before an ellipsis) or
# after an opening bracket.
RUN_OF_SPACES = re.compile(r" {2,}")
SPACE_BEFORE_PUNCTUATION = re.compile(r" +(?=[,;:!?)\]]|\.(?!\.))|(?<=[(\[]) +")
# Header rows are short; longer rows are never tried against the patterns,
# which keeps a user's pattern from costing more than linear time on them.
MAX_HEADER_CHARS = 1000
# The header's interval says which column is newer.
EARLIER = re.compile(r"\bearlier\b")


def undouble_exact(text: str) -> int | None:
    """If `text` is two identical copies with an optional short separator,
    return where the second copy starts. Linear in the line's length."""
    n = len(text)
    for sep in range(MAX_SEPARATOR + 1):
        if (n - sep) % 2 or n - sep < 2:
            continue
        half = (n - sep) // 2
        if text[half : half + sep].strip(SEPARATOR_CHARS) == "" and text[:half] == text[half + sep :]:
            return half + sep
    return None


def similarity(a: str, b: str) -> float:
    """rapidfuzz ratio of two versions; long ones are compared on their ends only."""
    if len(a) + len(b) <= 4 * FUZZY_WINDOW:
        return fuzz.ratio(a, b)
    balance = 200 * min(len(a), len(b)) / (len(a) + len(b))
    ends = (fuzz.ratio(a[:FUZZY_WINDOW], b[:FUZZY_WINDOW]) + fuzz.ratio(a[-FUZZY_WINDOW:], b[-FUZZY_WINDOW:])) / 2
    return min(balance, ends)


def _word_starts(text: str, count: int) -> list[int]:
    starts = [0]
    for found in re.finditer(r"\s+", text[: 40 * count]):
        if len(starts) == count:
            break
        starts.append(found.end())
    return starts


def _word_ends(text: str, count: int) -> list[int]:
    n = len(text)
    ends = [n]
    tail = text[-40 * count :]
    for found in reversed(list(re.finditer(r"\s+", tail))):
        if len(ends) == count:
            break
        ends.append(n - len(tail) + found.start())
    return ends


def _nearest(positions: Iterable[int], centre: int, count: int) -> list[int]:
    return heapq.nsmallest(count, positions, key=lambda k: (abs(k - centre), k))


def split_candidates(text: str, title: bool = False) -> list[tuple[int, bool]]:
    """Places where a row's second version may begin, at most MAX_SPLIT_CANDIDATES,
    each with whether a probe found it exactly.

    An old version and its edit share most of their words, so a few characters
    at the start of the row (or at its end) are found again where the second
    version starts (or where the first ends). A probe that starts after the
    first word gives an approximate place, refined to the nearest points where
    two texts can be glued. Each probe is one linear scan.
    """
    n = len(text)
    probe = min(PROBE_CHARS, n // 4)
    lo, hi = int(n * BALANCE[0]), int(n * BALANCE[1]) + 1
    exact: list[int] = []
    approximate: list[int] = []
    if probe >= 4:
        for offset in _word_starts(text, PROBE_WORDS):
            head = text[offset : offset + probe]
            if len(head) < probe:
                break
            found = text.find(head, max(offset + 1, lo + offset), hi + offset + probe)
            while found != -1 and len(exact) + len(approximate) < MAX_SPLIT_CANDIDATES:
                (exact if offset == 0 else approximate).append(found - offset)
                found = text.find(head, found + 1, hi + offset + probe)
        for end in _word_ends(text, PROBE_WORDS):
            tail = text[end - probe : end]
            if end - probe < 0:
                break
            back = n - end
            found = text.find(tail, max(0, lo - back - probe), min(end - 1, hi - back))
            while found != -1 and len(exact) + len(approximate) < MAX_SPLIT_CANDIDATES:
                (exact if back == 0 else approximate).append(found + probe + back)
                found = text.find(tail, found + 1, min(end - 1, hi - back))
    glue = [m.end() for m in GLUE.finditer(text, lo, hi)]
    if title:
        glue = sorted({*glue, *(m.end() for m in TITLE_BOUNDARY.finditer(text, lo, hi))})
    # A probe found after the first word only says roughly where the second
    # version starts; the exact place is one of the glue points nearby.
    candidates = set(exact)
    for centre in approximate:
        candidates.update(_nearest(glue, centre, 2))
    candidates.update(_nearest(glue, n // 2, 8))
    ordered = sorted(k for k in candidates if 0 < k < n)
    if len(ordered) > MAX_SPLIT_CANDIDATES:
        # Exact probe hits first, then the points nearest the middle.
        ordered = sorted(ordered, key=lambda k: (k not in exact, abs(k - n // 2), k))[:MAX_SPLIT_CANDIDATES]
    hits = set(exact)
    return [(k, k in hits) for k in sorted(ordered)]


def split_edited(text: str, min_similarity: float, title: bool = False) -> tuple[int, float] | None:
    """Where an edited row's second version starts, and how similar the two are.

    Scores at most MAX_SPLIT_CANDIDATES split points with rapidfuzz and keeps
    the best one at or above `min_similarity`; None when the row is one text.
    """
    best: tuple[bool, float, bool, bool, int] | None = None
    for k, exact in split_candidates(text, title):
        first, second = text[:k].strip(), text[k:].strip()
        if not first or not second or not BALANCE[0] <= len(first) / (len(first) + len(second)) <= BALANCE[1]:
            continue
        # A version that begins with a capital has a successor that does too:
        # a split before a lower-case word cuts a sentence, not a row.
        if first[0].isupper() and second[0].islower():
            continue
        score = similarity(first, second)
        # Two versions of a paragraph end alike ("ferry." and "ferry."), so a
        # split that leaves both ending in the same character beats a higher
        # score: "X.The X." is "X." then "The X.", not "X.The" then "X.".
        # Headlines end in any word, so titles skip this. On a tie ("T W T":
        # "T W" then "T", or "T" then "W T"), versions that begin with the same
        # word win, as edits more often touch a text's end than its start;
        # then a place where the row's own start or end was found again.
        same_end = not title and first[-1] == second[-1]
        starts_alike = first.split(None, 1)[0] == second.split(None, 1)[0]
        key = (same_end, score, starts_alike, exact)
        if score >= min_similarity and (best is None or key > best[:4]):
            best = (*key, k)
    return None if best is None else (best[4], best[1])


def split_extended(text: str, min_similarity: float, min_chars: int) -> tuple[int, float] | None:
    """Where the second version of a row starts when one version extends the
    other (a sentence grown into two: "...rises to £2.The fare rises to £2.40
    from May, the operator said."), and how alike the shared part is.

    split_edited misses these rows: the two versions differ in length too
    much for their ratio (or BALANCE) to pass. Here the shorter version must
    be, within `min_similarity` (rapidfuzz ratio, 0-100), the start of the
    longer one (trailing punctuation aside: "£2." begins "£2.40") or its end,
    at least `min_chars` long, and the two must be glued with no space
    between, as the news-diff page flattens them: two sentences of one
    paragraph that begin alike are set apart by a space and never split.
    The places tried are where the row's first (or last) PROBE_CHARS
    characters recur, at most MAX_SPLIT_CANDIDATES of them: a fixed number of
    rapidfuzz calls per row. None when no place qualifies.
    """
    n = len(text)
    if n < 2 * min_chars or n < 2 * PROBE_CHARS:
        return None
    places: list[int] = []
    head, tail = text[:PROBE_CHARS], text[-PROBE_CHARS:]
    found = text.find(head, 1)
    while found != -1 and len(places) < MAX_SPLIT_CANDIDATES:
        places.append(found)  # both versions begin alike: the second begins here
        found = text.find(head, found + 1)
    found = text.find(tail, 0, n - 1)
    while found != -1 and len(places) < 2 * MAX_SPLIT_CANDIDATES:
        places.append(found + PROBE_CHARS)  # both end alike: the first ends here
        found = text.find(tail, found + 1, n - 1)
    best: tuple[float, int] | None = None
    for k in sorted(set(places)):
        if not 0 < k < n or text[k - 1].isspace() or text[k].isspace():
            continue
        first, second = text[:k], text[k:]
        shorter, longer = (first, second) if len(first) < len(second) else (second, first)
        if len(shorter) < min_chars or len(shorter) == len(longer):
            continue
        core = shorter.rstrip(".,;:!?")
        score = max(fuzz.ratio(core, longer[: len(core)]), fuzz.ratio(shorter, longer[-len(shorter) :]))
        if score >= min_similarity and (best is None or score > best[0]):
            best = (score, k)
    return None if best is None else (best[1], best[0])


def tidy_edited(text: str) -> str:
    """The kept version of an edited row without the diff markup's odd spaces."""
    return SPACE_BEFORE_PUNCTUATION.sub("", RUN_OF_SPACES.sub(" ", text)).strip()


def match_header(line: str, patterns: tuple[HeaderPattern, ...]) -> tuple[str, dict[str, str]] | None:
    """The name and named groups of the header pattern `line` matches, if any."""
    if len(line) > MAX_HEADER_CHARS:
        return None
    for pattern in patterns:
        found = pattern.regex.match(line.strip())
        if found:
            return pattern.name, {k: v for k, v in found.groupdict().items() if v}
    return None


def is_news_diff(doc: Document, patterns: tuple[HeaderPattern, ...]) -> bool:
    """A news-diff page opens with the first header pattern (the source line)."""
    first = next((line.text for line in doc.lines if line.text.strip()), "")
    return bool(patterns) and patterns[0].regex.match(first.strip()) is not None


def _shape(token: str) -> str:
    """A token's shape: runs of digits and of letters folded ("May" ~ "June")."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "0", token))


def split_timestamps(text: str) -> tuple[str, str] | None:
    """Two timestamps of the same format, side by side, as (left, right)."""
    tokens = text.split()
    half = len(tokens) // 2
    if not tokens or len(tokens) % 2 or [_shape(t) for t in tokens[:half]] != [_shape(t) for t in tokens[half:]]:
        return None
    return " ".join(tokens[:half]), " ".join(tokens[half:])


def header_metadata(values: dict[str, str]) -> tuple[dict[str, Any], bool]:
    """Metadata from a header row's named groups, and whether it says the
    right-hand column is the older one."""
    meta: dict[str, Any] = {}
    reversed_columns = False
    for key, value in values.items():
        if key == "interval":
            reversed_columns = EARLIER.search(value) is not None
        elif key == "timestamps":
            pair = split_timestamps(value)
            if pair is not None:
                meta["timestamp_old"], meta["timestamp_new"] = pair
        elif key in ("revisions", "version_old", "version_new"):
            meta[key] = int(value)
        else:
            meta[key] = value.strip() or None
    return meta, reversed_columns


def unwrap_news_diff(doc: Document, cfg: dict[str, Any], patterns: tuple[HeaderPattern, ...]) -> None:
    """Header rows to metadata; each table row to its newest version.

    Two passes: the header (which may follow the title row) says which column
    is newer before any row is cut.
    """
    meta: dict[str, Any] = {}
    headers: set[int] = set()
    right_is_older = False
    for index, line in enumerate(doc.lines):
        header = match_header(line.text, patterns) if line.text else None
        if header is None:
            continue
        name, values = header
        found, earlier = header_metadata(values)
        meta.update(found)
        right_is_older = right_is_older or earlier
        headers.add(index)
        doc.removals.append(Removal("metadata", f"news-diff-{name}", line.pos, line.text))
    if meta.get("version_old", 0) > meta.get("version_new", 0):
        right_is_older = True
    if right_is_older:
        # Metadata speaks of the older and the newer version, whatever the column order.
        for old, new in (("version_old", "version_new"), ("timestamp_old", "timestamp_new")):
            if old in meta and new in meta:
                meta[old], meta[new] = meta[new], meta[old]
    kept: list[Line] = []
    first_row = True
    for index, line in enumerate(doc.lines):
        if index in headers:
            continue
        if not line.text:
            kept.append(line)
            continue
        kept.append(unwrap_row(doc, line, cfg, right_is_older, first_row))
        first_row = False
    doc.lines = kept
    meta.setdefault("first_seen", None)
    doc.metadata.update(meta)
    doc.metadata["news_diff"] = True


def unwrap_row(doc: Document, line: Line, cfg: dict[str, Any], right_is_older: bool, title: bool) -> Line:
    """One table row to the newest version of its paragraph."""
    text = line.text
    split = undouble_exact(text)
    if split is not None:
        doc.removals.append(Removal(STAGE, "unchanged-copy", line.pos, text[split:]))
        return Line(line.pos, text[:split].rstrip(SEPARATOR_CHARS))
    edited = split_edited(text, cfg["edit_similarity"], title)
    if edited is None and not title:
        # A headline's versions meet at a space, so an extended one cannot be told from a headline.
        edited = split_extended(text, cfg["extend_similarity"], cfg["extend_min_chars"])
    if edited is not None:
        k, score = edited
        older, newer = (text[k:], text[:k]) if right_is_older else (text[:k], text[k:])
        doc.removals.append(Removal(STAGE, "superseded", line.pos, older.strip(), score=round(score, 1)))
        doc.count("revisions.edited")
        return Line(line.pos, tidy_edited(newer))
    # A paragraph only one version has: deleted or inserted, flattened text
    # cannot tell which, and losing new text is worse than keeping old text.
    doc.count("revisions.single-version")
    return Line(line.pos, text, single_version=True)


def _content(doc: Document) -> list[Line]:
    return [line for line in doc.lines if line.text]


def undo_repeated_document(doc: Document, cfg: dict[str, Any]) -> None:
    """A document that is its own text two or more times in a row (A B C A B C) keeps one copy.

    The smallest period of the sequence of lines comes from the prefix
    function (as in Knuth-Morris-Pratt), linear in the number of lines.
    """
    content = _content(doc)
    m = len(content)
    if m < 4:
        return
    texts = [line.text for line in content]
    prefix = [0] * m
    for i in range(1, m):
        j = prefix[i - 1]
        while j and texts[i] != texts[j]:
            j = prefix[j - 1]
        prefix[i] = j + (texts[i] == texts[j])
    period = m - prefix[-1]
    # A period of one line is a line repeated, which undo_repeated_lines handles.
    if period < 2 or period == m or m % period or sum(map(len, texts[:period])) < cfg["min_doubled_chars"]:
        return
    cut = content[period].pos
    for line in content[period:]:
        doc.remove(STAGE, "repeated-document", line)
    doc.lines = [line for line in doc.lines if line.pos < cut]


def undo_doubled_lines(doc: Document, cfg: dict[str, Any]) -> None:
    """A long line printed twice within itself keeps one copy."""
    for line in doc.lines:
        split = undouble_exact(line.text) if line.text else None
        if split is not None and split >= cfg["min_doubled_chars"]:
            doc.removals.append(Removal(STAGE, "doubled-line", line.pos, line.text[split:]))
            line.text = line.text[:split].rstrip(SEPARATOR_CHARS)


def _verse_runs(content: list[Line], max_chars: int, min_lines: int) -> list[int]:
    """For each line, the number of the verse it is in, or -1: a verse is a
    run of at least `min_lines` lines on consecutive line numbers (no blank
    line between), none longer than `max_chars` characters."""
    runs = [-1] * len(content)
    start = 0
    for i in range(1, len(content) + 1):
        ends = (
            i == len(content)
            or content[i].pos != content[i - 1].pos + 1
            or len(content[i].text.strip()) > max_chars
            or len(content[i - 1].text.strip()) > max_chars
        )
        if ends:
            if i - start >= min_lines and all(len(line.text.strip()) <= max_chars for line in content[start:i]):
                runs[start:i] = [start] * (i - start)
            start = i
    return runs


def undo_repeated_lines(doc: Document, cfg: dict[str, Any]) -> None:
    """Lines and paragraphs repeated right after themselves (a caption printed
    twice or four times) keep their first copy; blank lines between copies
    do not matter. Runs of up to `repeat_max_lines` lines are compared, so
    the cost is linear in the number of lines. A repeat inside a verse (a
    run of short lines with no blank line, holding lines other than the
    repeat: a chorus line sung twice) is what the text says and stays."""
    if not cfg["collapse_consecutive"]:
        return
    content = _content(doc)
    texts = [line.text for line in content]
    verse = _verse_runs(content, cfg["verse_max_chars"], cfg["verse_min_lines"])
    span = Counter(verse)  # lines per verse
    removed: set[int] = set()
    i = 0
    while i < len(content):
        step = 1
        for period in range(1, cfg["repeat_max_lines"] + 1):
            if i + 2 * period > len(texts):
                break  # no room for a second copy, at this period or a longer one
            if texts[i] != texts[i + period]:
                continue  # the cheap test first: a copy would begin with this line
            unit = texts[i : i + period]
            if sum(map(len, unit)) < cfg["consecutive_min_chars"]:
                continue
            j = i + period
            while texts[j : j + period] == unit:
                j += period
            if j > i + period and verse[i] >= 0 and verse[i] == verse[j - 1] and span[verse[i]] > j - i:
                # Inside a verse (a chorus line sung twice), with lines of its own around the repeat.
                step = j - i
                break
            removed.update(content[k].pos for k in range(i + period, j))
            if j > i + period:
                # A line printed twice in a row may be a name caption under a photo,
                # which the boilerplate stage looks at.
                if period == 1:
                    content[i].doubled = True
                step = j - i
                break
        i += step
    for line in content:
        if line.pos in removed:
            doc.remove(STAGE, "consecutive-duplicate", line)
    doc.lines = [line for line in doc.lines if line.pos not in removed]


def unwrap_revisions(doc: Document, cfg: dict[str, Any], patterns: tuple[HeaderPattern, ...]) -> Document:
    """Undo every kind of doubling in `doc`, each undoing recorded for the audit."""
    if cfg["news_diff"] and is_news_diff(doc, patterns):
        unwrap_news_diff(doc, cfg, patterns)
    else:
        undo_repeated_document(doc, cfg)
    undo_doubled_lines(doc, cfg)
    undo_repeated_lines(doc, cfg)
    return doc
