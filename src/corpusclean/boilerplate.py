"""Strip boilerplate by the rules in config.yaml, each removal named.

A rule matches one stripped line (optionally only among the first or last
lines), as it is or without the bullets and brackets around it. Its scope
says how much goes with it: the line, a run of short non-sentence lines
around it (an advert block), a block between two hits (a consent banner
matched phrase by phrase), everything to the end, or the whole document (a
404 page, a crawl notice: dropped as filter.non-article with the evidence).
Its action removes the line, strips only the matched spans (a span rule:
chrome glued into a paragraph, each span audited with its character
offsets; the rules then run again on what is left), or moves the line into
a metadata field. A doubled short line (a name caption printed twice) goes
too, and an opt-in profile of generic C4/RefinedWeb line heuristics can run
beside the rules.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import Rule
from .document import Document, Line, Removal
from .rulescreen import bare, screen
from .scripts import ends_sentence_mark, latin_chars, mark_free, reads_as_text, word_count

STAGE = "boilerplate"
# A comment's byline or row of buttons is short: a longer line is the comment.
COMMENT_MARK_MAX_CHARS = 100
SENTENCE_END = (".", "!", "?", '."', ".\u201d", '?"', "?\u201d", '!"', "!\u201d", ".'", ".\u2019")
# Prose ends like a statement; a line ending in a bare "?" is as often a
# headline or a teaser ("Is the heatwave over?") as a sentence.
PROSE_END = tuple(end for end in SENTENCE_END if end != "?")
# The headline is looked for among this many first non-blank lines (below
# skip links, crumbs and section labels).
HEADLINE_SEARCH = 10
# A line of a headline list has at least this many words; at least half the
# lines of a document dropped as one must.
HEADLINE_MIN_WORDS = 4
# A headline list's evidence shows this many of its lines.
EVIDENCE_LINES = 3
# The reason a document that is not an article is dropped under.
NON_ARTICLE = "filter.non-article"


# --- the generic heuristics (opt-in) ---------------------------------------

# RefinedWeb's counter lines ("3 likes", "1.2K shares"), as dclm reproduces them.
COUNTER = re.compile(
    r"^\W*\d(?:,|\.|\d)*(?:K|k|M|m|B|b)?\s+(?:likes?|shares?|comments?|retweets?|reposts?|quotes?|bookmarks?"
    r"|upvotes?|downvotes?|downloads?|views?|followers?|reactions?)\W*$"
)
JAVASCRIPT = re.compile(r"\bjavascript\b", re.IGNORECASE)
# C4's policy strings, with the additions NeMo Curator makes.
POLICY = re.compile(
    r"terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies|privacy overview"
    r"|privacy (?:&|and) cookies policy",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heuristic:
    """A generic line test with its audit name and the examples `rules test` runs."""

    name: str
    fires: Callable[[str, dict[str, Any]], bool]
    remove_examples: tuple[str, ...]
    keep_examples: tuple[str, ...]


def _uppercase(text: str, cfg: dict[str, Any]) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < cfg["uppercase_min_letters"]:
        return False
    return sum(c.isupper() for c in letters) / len(letters) > float(cfg["uppercase_max_fraction"])


HEURISTICS = (
    Heuristic(
        "heuristic-counter",
        lambda text, cfg: COUNTER.match(text) is not None,
        ("3 likes", "1.2K shares", "245 comments"),
        ("3 likes were enough to put the post on the front page, she said.",),
    ),
    Heuristic(
        "heuristic-uppercase",
        _uppercase,
        ("BREAKING NEWS FROM THE COURT", "CLICK HERE TO READ MORE"),
        ("The NHS and the BBC were both named in the report.",),
    ),
    Heuristic(
        "heuristic-no-letters",
        lambda text, cfg: not any(c.isalpha() for c in text),
        ("12:45", "* * *", "2,345 | 17"),
        ("In 2016 the figure was 12.",),
    ),
    Heuristic(
        "heuristic-javascript",
        lambda text, cfg: JAVASCRIPT.search(text) is not None,
        ("Please enable JavaScript to view the comments.", "JavaScript is disabled in your browser."),
        ("The developers rewrote the app in a single weekend.",),
    ),
    Heuristic(
        "heuristic-policy",
        lambda text, cfg: POLICY.search(text) is not None,
        ("Read our privacy policy.", "This site uses cookies to give you the best experience."),
        ("The minister defended the policy in the Commons on Tuesday.",),
    ),
    Heuristic(
        "heuristic-one-word",
        lambda text, cfg: word_count(text) == 1,
        ("Menu", "Advertisement"),
        ("He said no.",),
    ),
)
HEURISTIC_NAMES = tuple(h.name for h in HEURISTICS)


def active_heuristics(cfg: dict[str, Any]) -> tuple[Heuristic, ...]:
    """The heuristics the config switches on (none unless heuristics.enabled);
    `heuristic-no-letters` is switched by the key `no_letters`."""
    section = cfg["heuristics"]
    if not section["enabled"]:
        return ()
    return tuple(h for h in HEURISTICS if section[h.name.removeprefix("heuristic-").replace("-", "_")])


# --- matching ----------------------------------------------------------------


def rule_matches(rule: Rule, text: str) -> bool:
    """Whether `rule` fires on this line (stripped, or its `bare` form), ignoring its position."""
    text = text.strip()
    return bool(text) and _fires_at(rule, text, 0, 1)


def _matches_stripped(rule: Rule, text: str) -> bool:
    return (rule.max_chars is None or len(text) <= rule.max_chars) and rule.regex.search(text) is not None


def in_position(rule: Rule, rank: int, count: int) -> bool:
    """Whether the `rank`-th of `count` non-blank lines (0-based) is where `rule` looks."""
    if rule.within_first is None and rule.within_last is None:
        return True
    first = rule.within_first is not None and rank < rule.within_first
    last = rule.within_last is not None and rank >= count - rule.within_last
    return first or last


def strip_span(rule: Rule, text: str) -> tuple[str, str]:
    """(kept text, removed spans joined by a space) for a rule whose action is
    strip: every non-overlapping match of the rule goes."""
    kept, spans = _cut(text, list(range(len(text))), _hits(rule, text))
    return kept, " ".join(span for _, _, span in spans)


# A line's spans are stripped at most this many times over (one rule's
# matches at a time, then the rules run again on what is left).
MAX_STRIPS = 8


def _hits(rule: Rule, text: str) -> list[tuple[int, int]]:
    """The [start, end) of each non-blank match of `rule` in `text`."""
    return [m.span() for m in rule.regex.finditer(text) if m.group(0).strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` without the white space at either end, as offsets."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut(text: str, origin: list[int], hits: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Take the `hits` out of `text`; `origin` maps each character of `text`
    to its offset in the input line and is updated in place for the kept text.

    Returns the kept text (the pieces between the hits, stripped, joined by
    one space) and each span as (start, end, text), its offsets those of its
    first and last non-blank character in the input line.
    """
    spans: list[tuple[int, int, str]] = []
    pieces: list[tuple[int, int]] = []
    previous = 0
    for start, end in hits:
        start, end = _trim(text, start, end)
        if start == end:
            continue
        spans.append((origin[start], origin[end - 1] + 1, text[start:end]))
        pieces.append((previous, start))
        previous = end
    pieces.append((previous, len(text)))
    chars: list[str] = []
    mapped: list[int] = []
    for start, end in pieces:
        start, end = _trim(text, start, end)
        if start == end:
            continue
        if chars:
            chars.append(" ")
            mapped.append(origin[start])
        chars.append(text[start:end])
        mapped.extend(origin[start:end])
    origin[:] = mapped
    return "".join(chars), spans


def metadata_value(rule: Rule, text: str) -> str:
    """The value a metadata rule moves: its named group "value", else the whole line."""
    found = rule.regex.search(text)
    if found is not None and "value" in rule.regex.groupindex and found.group("value"):
        return found.group("value").strip()
    return text.strip()


def is_prose(text: str, min_words: int) -> bool:
    """A line that reads as a sentence of text, not a label, headline or link.

    Words are counted across scripts (scripts.word_count) and sentence marks
    of every script count ("。", "।", "۔"). Thai and Lao mark no sentence end
    at all: a line mostly in them is prose at twice `min_words` words, as
    headlines and labels are short."""
    if text.isascii():
        return len(text.split()) >= min_words and text.rstrip().endswith(PROSE_END)
    units = word_count(text)
    if units < min_words:
        return False
    if text.rstrip().endswith(PROSE_END) or ends_sentence_mark(text, question=False):
        return True
    return mark_free(text) and units >= 2 * min_words


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_END) or ends_sentence_mark(text)


def _is_run_line(text: str, max_chars: int) -> bool:
    """A short line that does not end like a sentence; the length is in
    Latin-script characters holding as many words (scripts.latin_chars)."""
    size = len(text) if text.isascii() else latin_chars(text)
    return size <= max_chars and not _ends_sentence(text)


def _is_doubled_caption(line: Line, max_words: int) -> bool:
    if not line.doubled:  # most lines: no need to count words
        return False
    return 0 < word_count(line.text) <= max_words and not _ends_sentence(line.text)


@dataclass
class _Pass:
    """A document's lines as the passes read them, and their decisions."""

    texts: list[str]  # each line stripped
    content: list[int]  # indices of the non-blank lines
    possible: list[list[Rule]]  # per non-blank line: the rules that can fire on it
    fate: dict[int, str] = field(default_factory=dict)  # index -> rule name that removes the line
    # index -> (kept text, spans as (rule name, start, end, text)): spans
    # stripped from inside the line; the kept text goes too if the line is in fate
    stripped: dict[int, tuple[str, list[tuple[str, int, int, str]]]] = field(default_factory=dict)
    moved: dict[int, Rule] = field(default_factory=dict)  # index -> metadata rule
    run_hits: list[int] = field(default_factory=list)
    block_hits: list[int] = field(default_factory=list)
    to_end_hits: list[int] = field(default_factory=list)
    comment_hits: list[int] = field(default_factory=list)
    doc_hits: dict[int, Rule] = field(default_factory=dict)
    _prose: dict[int, bool] = field(default_factory=dict)

    def prose(self, index: int, min_words: int) -> bool:
        """is_prose of a line, worked out once."""
        found = self._prose.get(index)
        if found is None:
            found = self._prose[index] = is_prose(self.texts[index], min_words)
        return found


def _fires_at(rule: Rule, text: str, rank: int, count: int) -> bool:
    """Whether `rule` fires on the stripped, non-blank line `text`, the `rank`-th
    of `count`: on the line as it is or, but for a span rule (whose offsets are
    the line's), on its `bare` form (without bullets, brackets and arrows)."""
    return _fires_raw(rule, text, rank, count) or _fires_bare(rule, text, rank, count)


def _fires_raw(rule: Rule, text: str, rank: int, count: int) -> bool:
    return in_position(rule, rank, count) and _matches_stripped(rule, text)


def _fires_bare(rule: Rule, text: str, rank: int, count: int) -> bool:
    if rule.action == "strip" or not in_position(rule, rank, count):
        return False
    plain = bare(text)
    return plain is not text and _matches_stripped(rule, plain)


def _first_rule(possible: list[Rule], text: str, rank: int, count: int) -> Rule | None:
    """The first rule that fires on the line as it is; else the first that
    fires on its bare form (decoration only ever widens a rule)."""
    for fires in (_fires_raw, _fires_bare):
        for r in possible:  # most lines: none, or a few rules that do not fire
            if r.scope != "document" and fires(r, text, rank, count):
                return r
    return None


def _match_lines(lines: list[Line], found: _Pass, cfg: dict[str, Any], protected: int, rules: tuple[Rule, ...]) -> None:
    texts, content = found.texts, found.content
    count = len(content)
    heuristics = active_heuristics(cfg)
    max_words = cfg["doubled_caption_max_words"]
    for rank, index in enumerate(content):
        if index in found.fate:
            continue
        text = texts[index]
        possible = found.possible[rank]
        # A document rule looks at every line, also one that another rule
        # removes: a share form's "Email this article to a friend" goes as a
        # line from an article, and is evidence on a page of nothing else.
        doc_rule = next((r for r in possible if r.scope == "document" and _fires_at(r, text, rank, count)), None)
        if doc_rule is not None:
            found.doc_hits[index] = doc_rule
        if index != protected and _is_doubled_caption(lines[index], max_words):
            found.fate[index] = "doubled-caption"
            continue
        rule = _first_rule(possible, text, rank, count)
        if rule is not None and index == protected and rule.spare_headline:
            continue
        # Span rules: strip each one's matches, then let the rules run again
        # on what is left (the caption after a stripped player notice).
        spans: list[tuple[str, int, int, str]] = []
        origin: list[int] = []
        stripped_by = ""
        for _ in range(MAX_STRIPS):
            if rule is None or rule.action != "strip":
                break
            if not origin:
                offset = len(lines[index].text) - len(lines[index].text.lstrip())
                origin = list(range(offset, offset + len(text)))
            text, cut = _cut(text, origin, _hits(rule, text))
            spans.extend((rule.name, start, end, span) for start, end, span in cut)
            stripped_by = rule.name
            if not text:
                rule = None
                if len(spans) == 1:
                    spans = []  # the whole line was the span: it goes as a line
                break
            possible = screen(rules).candidates(text)
            rule = _first_rule(possible, text, rank, count)
        if spans:
            found.stripped[index] = (text, spans)
        if not text:
            found.fate[index] = stripped_by
            continue
        if rule is not None and rule.action == "strip":
            rule = None  # MAX_STRIPS reached: the rest stays
        if rule is None:
            heuristic = next((h for h in heuristics if h.fires(text, cfg["heuristics"])), None) if heuristics else None
            if heuristic is not None:
                found.fate[index] = heuristic.name
            continue
        found.fate[index] = rule.name
        if rule.action == "metadata":
            found.moved[index] = rule
        elif rule.scope == "to-end":
            found.to_end_hits.append(index)
        elif rule.scope == "comments":
            found.comment_hits.append(index)
        elif rule.scope == "run":
            found.run_hits.append(index)
        elif rule.scope == "block":
            found.block_hits.append(index)


def _extend_runs(found: _Pass, cfg: dict[str, Any], protected: int) -> None:
    """Widen each run hit into its block of short lines.

    Backwards the block takes up to `run_max_lines` short lines (a product
    name, bullets); forwards it reaches only as far as the last run hit that
    follows through short lines, so a subhead after an advert stays.
    """
    texts = found.texts
    max_chars, max_lines = cfg["run_max_chars"], cfg["run_max_lines"]
    hits = set(found.run_hits)

    def joinable(i: int) -> bool:
        return i != protected and i not in found.doc_hits and _is_run_line(texts[i], max_chars)

    for hit in found.run_hits:
        name = found.fate[hit]
        taken, i = 0, hit - 1
        while i >= 0 and taken < max_lines and (not texts[i] or joinable(i)):
            if texts[i]:
                found.fate.setdefault(i, name)
                taken += 1
            i -= 1
        between: list[int] = []
        i = hit + 1
        while i < len(texts) and (not texts[i] or i in hits or joinable(i)):
            if i in hits:
                for j in between:
                    found.fate.setdefault(j, name)
                between = []
            elif texts[i]:
                between.append(i)
            i += 1


# A line next to a consent block that is at most this many words, no
# sentence, and holds one of BUTTON_WORDS is one of its buttons ("Got it",
# "No, thanks", "More options", "View cookies"), as GOV.UK's, OneTrust's and
# Quantcast's banners label them.
BUTTON_MAX_WORDS = 4
BUTTON_WORDS = re.compile(
    r"\b(?:cookies?|consent|privacy|accept|reject|decline|agree|settings|preferences|options|choices|ok|okay"
    r"|got it|learn more|more info(?:rmation)?|no,? thanks|dismiss|close|continue|manage|partners|vendors)\b",
    re.IGNORECASE,
)
# At most this many such lines are taken on each side of a block.
BUTTON_MAX_LINES = 2


def _extend_blocks(found: _Pass, rules: tuple[Rule, ...], cfg: dict[str, Any]) -> None:
    """A block rule's hits (a consent banner matched phrase by phrase) go as
    one block: every line between two hits of rules of one category at most
    `block_max_gap` non-blank lines apart goes, sentences included (the
    banner's own explanations), and so do up to BUTTON_MAX_LINES short
    button-like lines right before and after the block (short lines that
    hold one of BUTTON_WORDS). A line inside a banner, or one of its buttons,
    is no headline even if it is the first line no rule removes: the caller
    then looks for the headline again."""
    if not found.block_hits:
        return
    category = {r.name: r.category for r in rules}
    max_gap = cfg["block_max_gap"]
    content, texts = found.content, found.texts
    rank_of = {index: rank for rank, index in enumerate(content)}
    hits = sorted(found.block_hits)

    def button(i: int) -> bool:  # its words say it is a banner's: a headline never is one
        text = texts[i]
        short = word_count(text) <= BUTTON_MAX_WORDS and not text.endswith(SENTENCE_END)
        return short and i not in found.doc_hits and BUTTON_WORDS.search(text) is not None

    for a, b in zip(hits, hits[1:], strict=False):
        name = found.fate[a]
        if category.get(name) != category.get(found.fate[b]) or rank_of[b] - rank_of[a] - 1 > max_gap:
            continue
        for i in content[rank_of[a] + 1 : rank_of[b]]:
            if i not in found.doc_hits:  # inside a banner: not a headline, even if it came first
                found.fate.setdefault(i, name)
    for hit in hits:
        name = found.fate[hit]
        for step in (-1, 1):
            rank = rank_of[hit] + step
            for _ in range(BUTTON_MAX_LINES):
                if not 0 <= rank < len(content):
                    break
                i = content[rank]
                if i in found.fate:
                    if found.fate[i] != name:
                        break
                elif button(i):
                    found.fate[i] = name
                else:
                    break
                rank += step


def _extend_to_end(found: _Pass, cfg: dict[str, Any]) -> None:
    """A to-end marker takes everything after it, unless prose follows that no
    rule removes: then the marker sat mid-article and goes alone."""
    min_words = cfg["prose_min_words"]
    for hit in found.to_end_hits:
        after = [i for i in range(hit + 1, len(found.texts)) if found.texts[i]]
        if any(i not in found.fate and found.prose(i, min_words) for i in after):
            continue
        for i in after:
            found.fate.setdefault(i, found.fate[hit])


@functools.lru_cache(maxsize=8)
def comment_marks(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """The config's comment_marks patterns as one case-insensitive regex (None for none)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_comment_mark(text: str, marks: re.Pattern[str], min_words: int) -> bool:
    """Whether the stripped line is what a commenting system prints with each
    comment (its byline and time, its buttons): a line of at most
    COMMENT_MARK_MAX_CHARS characters, not prose, that a `marks` pattern finds."""
    return len(text) <= COMMENT_MARK_MAX_CHARS and not is_prose(text, min_words) and marks.search(text) is not None


def _extend_comments(found: _Pass, cfg: dict[str, Any]) -> None:
    """A comment heading (scope comments) takes everything after it when the
    page's reader comments follow: at least comment_min_marks comment marks
    after it, the first within comment_mark_window non-blank lines and each
    within comment_max_gap of the one before, and a prose line no rule
    removes before it. The first heading that qualifies
    opens the section. The method is the structure of the comment systems
    (WordPress, Blogger, Disqus, Drupal) as their visible text flattens it:
    a heading with the count, then per comment a byline with its time and a
    row of buttons; the thresholds were chosen on the dev sets (README)."""
    if not found.comment_hits:
        return
    marks = comment_marks(tuple(cfg["comment_marks"]))
    if marks is None:
        return
    min_words = cfg["prose_min_words"]
    for hit in found.comment_hits:
        if not any(i < hit and i not in found.fate and found.prose(i, min_words) for i in found.content):
            continue
        after = [i for i in found.content if i > hit]
        marked = [k for k, i in enumerate(after) if is_comment_mark(found.texts[i], marks, min_words)]
        if len(marked) < cfg["comment_min_marks"] or marked[0] >= cfg["comment_mark_window"]:
            continue
        # Comments come one after another, each with its mark: a long stretch
        # without one is the article (the heading was a comment count above it).
        if any(b - a > cfg["comment_max_gap"] for a, b in itertools.pairwise(marked)):
            continue
        for i in after:
            found.fate.setdefault(i, found.fate[hit])
        return


def _fill_gaps(found: _Pass, rules: tuple[Rule, ...], cfg: dict[str, Any], protected: int) -> None:
    """Take a short gap of label-like lines left between two removed lines.

    A gap goes when the lines on both sides were removed by rules of one
    category (the teaser between "Sponsored content" and "In partnership
    with ..."), or when it sits below the last line of prose, where a short
    line between a sign-up prompt and a copyright footer is the outlet's
    name, not a subhead (a subhead has prose after it).
    """
    max_lines = cfg["fill_gaps_max_lines"]
    if not max_lines or not found.fate:
        return  # a gap needs a removed line on each side
    category = {r.name: r.category for r in rules}
    min_words, run_max_chars = cfg["prose_min_words"], cfg["run_max_chars"]
    content, texts = found.content, found.texts
    last_prose = next((i for i in reversed(content) if i not in found.fate and found.prose(i, min_words)), None)
    open_gap: list[int] = []
    before: int | None = None
    filled: list[int] = []
    for i in content:
        if i in found.fate:
            if before is not None and open_gap and len(open_gap) <= max_lines:
                same = category.get(found.fate[before]) is not None and (
                    category.get(found.fate[before]) == category.get(found.fate[i])
                )
                below = last_prose is not None and open_gap[0] > last_prose
                if same or below:
                    filled.extend(open_gap)
            before, open_gap = i, []
            continue
        if before is None:
            continue
        gap_line = (
            i != protected
            and i not in found.doc_hits
            and i not in found.stripped
            and _is_run_line(texts[i], run_max_chars)
        )
        if gap_line:
            open_gap.append(i)
        else:
            before, open_gap = None, []
    for i in filled:
        found.fate[i] = "between-boilerplate"


def _headline(found: _Pass) -> int:
    """The index of the headline's place: the first non-blank line that no rule
    (other than those that spare a headline) removes; -1 if none is found."""
    count = len(found.content)
    for rank, index in enumerate(found.content[:HEADLINE_SEARCH]):
        text = found.texts[index]
        strict = (r for r in found.possible[rank] if r.scope != "document" and not r.spare_headline)
        if not any(_fires_at(r, text, rank, count) for r in strict):
            return index
    return -1


def _document_verdict(found: _Pass, lines: list[Line], cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The evidence that this document is not an article, if there is any:
    {"rule": name, "lines": [{"line": pos, "text": ...}, ...]}.

    A document goes only on evidence that it is not an article: a document
    rule's line (a 404 notice, a crawl notice, a consent wall) with at most
    the rule's `max_prose_lines` lines of text beside it (the evidence is the
    lines the rule matched), or a list of at least `headline_list_min_lines`
    lines none of which reads as text (`reads_as_text`) and half of which
    are phrases of `HEADLINE_MIN_WORDS` words or more (the evidence is the
    rule "headline-list" and the first lines of the list). Short, tabular or
    list-like lines alone are no evidence, and a page whose lines that read
    as text hold `substantial_prose_words` words is never dropped (an article
    of two long paragraphs under a "Please enable JavaScript to view the
    comments" notice).
    """
    min_words = cfg["prose_min_words"]
    rest = [i for i in found.content if i not in found.fate and i not in found.doc_hits]
    text_lines = [i for i in rest if reads_as_text(found.texts[i], min_words)]
    prose = len(text_lines)
    if sum(word_count(found.texts[i]) for i in text_lines) >= cfg["substantial_prose_words"]:
        return None  # a substantial run of prose: an article whatever else the page holds
    for rule in dict.fromkeys(found.doc_hits.values()):
        if prose <= rule.max_prose_lines:
            matched = [i for i, r in found.doc_hits.items() if r is rule]
            return {"rule": rule.name, "lines": [{"line": lines[i].pos, "text": found.texts[i]} for i in matched]}
    min_lines = cfg["headline_list_min_lines"]
    if min_lines and not found.doc_hits and len(rest) >= min_lines and prose == 0:
        # Headlines are phrases of words: a timetable, a table of figures or
        # a list of names is not a list of headlines.
        headlines = sum(word_count(found.texts[i]) >= HEADLINE_MIN_WORDS for i in rest)
        if 2 * headlines >= len(rest):
            shown = rest[:EVIDENCE_LINES]
            return {"rule": "headline-list", "lines": [{"line": lines[i].pos, "text": found.texts[i]} for i in shown]}
    return None


# Per rule set and language, the rules that run: a rule without `languages`
# everywhere, one with them only on documents identified as one of them.
# Languages that no rule names share one tuple, so the rule screens (built
# per tuple) stay few.
_BY_LANGUAGE: dict[tuple[int, str | None], tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}


def rules_for(rules: tuple[Rule, ...], language: str | None) -> tuple[Rule, ...]:
    """The rules of `rules` that run on a document in `language` (None: undetermined)."""
    entry = _BY_LANGUAGE.get((id(rules), language))
    if entry is None or entry[0] is not rules:
        named = {lang for r in rules if r.languages is not None for lang in r.languages}
        if language is not None and language not in named:
            chosen = rules_for(rules, None)  # no rule names it: the general set
        else:
            chosen = tuple(r for r in rules if r.languages is None or language in r.languages)
            if len(chosen) == len(rules):
                chosen = rules
        if len(_BY_LANGUAGE) >= 256:
            _BY_LANGUAGE.clear()
        entry = _BY_LANGUAGE[(id(rules), language)] = (rules, chosen)
    return entry[1]


def strip_boilerplate(doc: Document, rules: tuple[Rule, ...], cfg: dict[str, Any]) -> Document:
    """Remove every line (or span) a rule fires on; record each under the rule's
    name. Only the rules for the document's `metadata.language` run (rules_for)."""
    rules = rules_for(rules, doc.metadata.get("language"))
    lines = doc.lines
    texts = [line.text.strip() for line in lines]
    content = [i for i, text in enumerate(texts) if text]
    found = _Pass(texts, content, screen(rules).lines([texts[i] for i in content]))
    # The first line no rule removes is the headline's place: a doubled
    # headline, a run reaching back from an advert or a gap between removed
    # lines must not take it, nor a rule that spares headlines.
    protected = _headline(found)
    _match_lines(lines, found, cfg, protected, rules)
    _extend_runs(found, cfg, protected)
    _extend_blocks(found, rules, cfg)
    if protected in found.fate:  # it was a line inside a consent banner: the headline comes after
        protected = next((i for i in found.content if i not in found.fate), -1)
    _extend_to_end(found, cfg)
    _extend_comments(found, cfg)
    _fill_gaps(found, rules, cfg, protected)
    evidence = _document_verdict(found, lines, cfg)
    if evidence is not None:
        doc.dropped = NON_ARTICLE
        doc.evidence = evidence
        stage, name = NON_ARTICLE.split(".")
        for i, line in enumerate(lines):
            if i in found.fate:
                _record(doc, found, i, line)
            elif texts[i]:
                doc.removals.append(Removal(stage, name, line.pos, line.text, evidence=evidence))
        doc.lines = []
        return doc
    if not found.fate and not found.stripped:
        return doc  # nothing removed (found.moved is part of found.fate)
    kept_lines: list[Line] = []
    for index, line in enumerate(lines):
        if index in found.moved:
            rule = found.moved[index]
            assert rule.field is not None
            values = doc.metadata.setdefault(rule.field, [])
            kept = found.stripped[index][0] if index in found.stripped else line.text
            value = metadata_value(rule, kept)
            if value not in values:  # a credit printed twice is one credit
                values.append(value)
            _record_spans(doc, found, index, line)
            doc.removals.append(Removal("metadata", rule.name, line.pos, kept))
        elif index in found.fate:
            _record(doc, found, index, line)
        elif index in found.stripped:
            _record_spans(doc, found, index, line)
            kept_lines.append(Line(line.pos, found.stripped[index][0], line.doubled))
        else:
            kept_lines.append(line)
    doc.lines = kept_lines
    return doc


def _record_spans(doc: Document, found: _Pass, index: int, line: Line) -> None:
    """Audit the spans stripped from inside a line, with their offsets."""
    if index in found.stripped:
        for name, start, end, span in found.stripped[index][1]:
            doc.removals.append(Removal(STAGE, name, line.pos, span, span=(start, end)))


def _record(doc: Document, found: _Pass, index: int, line: Line) -> None:
    """Audit a removed line: its stripped spans, then what was left of it."""
    if index in found.stripped:
        _record_spans(doc, found, index, line)
        rest = found.stripped[index][0]
        if rest:
            doc.removals.append(Removal(STAGE, found.fate[index], line.pos, rest))
    elif found.texts[index]:
        doc.remove(STAGE, found.fate[index], line)


# --- examples as tests ---------------------------------------------------------


@dataclass(frozen=True)
class ExampleFailure:
    """One example a rule got wrong: `kind` is "remove", "keep" or "coverage"."""

    rule: str
    kind: str
    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.kind} {self.text!r}: {self.detail}"


def _fires(rule: Rule, text: str) -> bool:
    if not rule_matches(rule, text):
        return False
    return rule.action != "strip" or bool(strip_span(rule, text.strip())[1])


def _run_together(rule: Rule, other: Rule) -> bool:
    """Whether `other` runs on documents `rule` runs on: a rule for all
    languages meets the other rules for all; a rule for some languages meets
    those and the rules for any of its languages."""
    if other.languages is None:
        return True
    return rule.languages is not None and bool(rule.languages & other.languages)


def run_examples(rules: Iterable[Rule], cfg: dict[str, Any]) -> list[ExampleFailure]:
    """Check every rule against its examples; return the misses.

    A remove example must fire its own rule; a keep example (a sentence that
    merely shares words with the boilerplate) must fire no rule of the pack
    that runs beside it (a German rule's keep example meets the rules for all
    languages and the German ones).
    A rule needs at least two remove examples and one keep example. The
    heuristics' own examples run too, with the thresholds of `cfg` (the
    boilerplate section).
    """
    rules = tuple(rules)
    failures: list[ExampleFailure] = []
    for rule in rules:
        if len(rule.remove_examples) < 2 or not rule.keep_examples:
            failures.append(
                ExampleFailure(rule.name, "coverage", "", "needs at least two remove examples and one keep example")
            )
        for text in rule.remove_examples:
            if not _fires(rule, text):
                failures.append(ExampleFailure(rule.name, "remove", text, "the rule does not fire"))
        for text in rule.keep_examples:
            culprits = [other.name for other in rules if _run_together(rule, other) and _fires(other, text)]
            if culprits:
                failures.append(ExampleFailure(rule.name, "keep", text, f"removed by {', '.join(culprits)}"))
    thresholds = cfg["heuristics"]
    for heuristic in HEURISTICS:
        for text in heuristic.remove_examples:
            if not heuristic.fires(text, thresholds):
                failures.append(ExampleFailure(heuristic.name, "remove", text, "the heuristic does not fire"))
        for text in heuristic.keep_examples:
            if heuristic.fires(text, thresholds):
                failures.append(ExampleFailure(heuristic.name, "keep", text, "the heuristic fires"))
    return failures
