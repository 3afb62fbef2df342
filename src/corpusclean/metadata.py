"""Turn a document's header lines (title, section label, byline, dateline) into metadata.

Only the first few lines are looked at, and only lines that are a headline,
a name or a date on their own: a sentence that mentions a date stays text.

The title is the first line that reads as a headline: not a body sentence
(no sentence mark at its end, whatever the script; not broken off before a
continuation that starts in lower case; not ending on a dash, a bracket or a
function word), not a consent banner's heading, not a date or a byline, and
at most `title_max_words` words (counted across scripts, scripts.word_count).
One- or two-word lines above a longer headline are section labels ("Politik",
"Press release"): they go to `metadata.section`. In scripts written without
spaces (Chinese, Japanese, Thai) a first sentence and a headline look alike,
so the first line is taken only on evidence: a date or byline below it, or a
next line that ends with a sentence mark while the first has none; otherwise
the text is left as it is.

Bylines are read with the document's language: "By", "Von", "Par", "Por",
"Di", "Door" ... (config `metadata.byline_prefixes`), several names joined
by commas and "and", "und", "et", "y", "e", "en" ...; a name is kept whole
and as written (capitals stay capitals). Dates go to ISO 8601: English lines
by a fast pattern, other lines, once they look like a date (a day, a month
word and a year, or a numeric date), by dateparser in the document's language
and English, absolute dates only (never "yesterday").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from .document import Document, Line, Removal
from .scripts import ends_sentence_mark, spaceless, word_count

STAGE = "metadata"
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:\s*(?:,|at|-|\u2013|\|)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:am|pm)?(?:\s*[A-Z]{2,5}|\s*[+-]\d{2}:?\d{2}|Z)?)?"
DATE_LINE = re.compile(
    r"^(?:published|updated|posted|last updated|first published)?:?\s*(?:on\s+)?"
    + _WEEKDAY
    + r"(?:"
    + r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?:T\S*)?"
    + rf"|(?P<day>\d{{1,2}}){_ORD}\s+{_MONTH}\s+(?P<year>\d{{4}})"
    + r"|(?P<month2>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + rf")\.?\s+(?P<day2>\d{{1,2}}){_ORD},?\s+(?P<year2>\d{{4}})"
    + r")"
    + _TIME
    + r"\s*$",
    re.IGNORECASE,
)
# A title never ends like this (a question mark may end a headline).
SENTENCE_END = (".", "!", ";", ",", ":")
# Closing quotes and brackets looked through at a line's end ('... "The Reader."').
CLOSERS = "\"'\u201d\u2019\u00bb)]"
# A line broken off mid-sentence ends on a dash, an open bracket, a slash, or
# an English function word no headline ends on.
BROKEN_END = re.compile(r"(?:[-\u2013\u2014(/\[]|\b(?:the|a|an|and|or|of|to|for|with|at|by|from|that))$", re.IGNORECASE)
# A headline starts with a letter, a digit or an opening quote or bracket.
HEADLINE_START = re.compile(r"^[\w\"'\u201c\u2018\u00ab\u00bf\u00a1(\[\u300c\u300e\u3010]")
# A date inside a header line: ISO, numeric (day and month in the locale's
# order), day-month-year ("4. März 2024", "4 de marzo de 2024"),
# month-day-year ("March 9, 2017"), or CJK year-month-day. The month word is
# checked by dateparser, whose locales know the month names.
DATE_CORE = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<numeric>\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b)"
    r"|(?P<dmy>\b\d{1,2}(?:st|nd|rd|th|er|e|\u00ba|\u00b0)?\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+|del\s+)?\d{4}\b)"
    r"|(?P<mdy>\b[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b)"
    r"|(?P<cjk>\d{4}\s*[\u5e74\ub144]\s*\d{1,2}\s*[\u6708\uc6d4]\s*\d{1,2}\s*[\u65e5\uc77c]?)"
)
# A time beside the date ("14:30 Uhr", "7:10 p.m. ET", "14h30").
TIME = re.compile(r"\b\d{1,2}(?:[:.h]\d{2}){1,2}\b(?:\s*(?:[ap]\.?m\.?))?", re.IGNORECASE)
# At most this many other words (a label such as "Published", "Aktualisiert
# am", a time zone) stand beside the date on a date line; longer lines are
# headlines or sentences that mention a date.
DATE_OTHER_WORDS = 4
# A sentence that mentions a date ends with "!" or with "." after a word or
# number, not after an abbreviation ("p.m.", "Uhr.").
SENTENCE_AFTER_DATE = re.compile(r"(?:!|(?<![.\s])(?<!\b[ap]\.m)(?<!\b\w)(?<!\b\w\w)(?<!\b\w\w\w)\.)$", re.IGNORECASE)
DATE_MAX_CHARS = 80
# Separators stripped from the ends of what stands beside a date.
SEPARATORS = " ,;|\u00b7\u2022\u2013\u2014-"
# dateparser: absolute dates with day, month and year, nothing relative and
# no part filled in from today (the output must not depend on the day of the run).
DATEPARSER_SETTINGS = {
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
}
# At most this many lines of a consent banner at the top are passed over.
BANNER_MAX_LINES = 12
# Name particles written in lower case inside a name ("Ursula von der Leyen").
PARTICLES = frozenset(
    [
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "del",
        "della",
        "di",
        "do",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "bin",
        "al",
        "ter",
        "ten",
        "zu",
        "y",
    ]
)
NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'\u2019.-]*|[^\W\d_]\.)$")
# Words a name never has, in English: a capitalised line holding them is a
# subhead ("In The Chamber"), not a byline.
HEADING_WORDS = frozenset({"the", "and", "of", "to", "in", "for", "on", "with", "is", "a", "at"})


def parse_date(line: str) -> str | None:
    """The ISO 8601 date of a line that is only a date (and maybe a time)."""
    found = DATE_LINE.match(line.strip())
    if not found:
        return None
    g = found.groupdict()
    try:
        if g["iy"]:
            value = dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["day"]:
            value = dt.date(int(g["year"]), MONTHS[g["month"].lower()], int(g["day"]))
        else:
            value = dt.date(int(g["year2"]), MONTHS[g["month2"].lower()], int(g["day2"]))
    except ValueError:
        return None
    return value.isoformat()


def find_date(line: str, languages: tuple[str, ...]) -> str | None:
    """The ISO 8601 date of a header line that is a date, perhaps with a
    label and a time ("Published 14 May 2024", "04.03.2024, 14:30 Uhr",
    "4 de marzo de 2024"), read in `languages` (the document's language first,
    then English); None for any other line. English lines take the fast
    pattern (parse_date); dateparser is called only on the date inside a
    short line that looks like one, and its answers are cached."""
    found = split_date(line, languages)
    return found[0] if found is not None else None


def split_date(line: str, languages: tuple[str, ...]) -> tuple[str, str] | None:
    """(ISO date, the rest of the line without the date and times) of a
    header line that is a date (see find_date), or None."""
    found = parse_date(line)
    if found is not None:
        return found, ""
    text = line.strip()
    if len(text) > DATE_MAX_CHARS or not any(c.isdigit() for c in text):
        return None
    core = DATE_CORE.search(text)
    if core is None:
        return None
    rest = TIME.sub(" ", text[: core.start()] + " " + text[core.end() :])
    words = [w for w in re.split(r"[\s,|\u2013\u2014-]+", rest) if any(c.isalnum() for c in w)]
    if len(words) > DATE_OTHER_WORDS or SENTENCE_AFTER_DATE.search(text) or ends_sentence_mark(text):
        return None
    if core.group("numeric"):
        # Digits alone do not tell the language: read them in the document's
        # own (its locale's order of day and month). In English the order is
        # the outlet's: 03/04/2024 is left alone unless one part exceeds 12.
        if languages[0] == "en":
            day, month = (int(x) for x in re.split(r"[./-]", core.group("numeric"))[:2])
            if day <= 12 and month <= 12 and day != month:
                return None
        languages = languages[:1]
    iso = _dateparser(core.group(0), languages)
    return (iso, " ".join(rest.split())) if iso is not None else None


def dateline_author(rest: str, language: str | None, cfg: dict[str, Any]) -> str | None:
    """The author named beside a date ("July 18, 2012 By James Doe",
    "By Ana Lima, 28 May 2010"): `rest` is the date line without its date;
    only a byline with its prefix counts."""
    prefixed = _prefix_search(_prefixes(language, cfg))
    found = prefixed.search(rest)
    if found is None:
        return None
    return parse_byline(found.group(0).strip(SEPARATORS), language, cfg, bare=False)


@lru_cache(maxsize=64)
def _prefix_search(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+\S.*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _dateparser(text: str, languages: tuple[str, ...]) -> str | None:
    import dateparser

    try:
        found = dateparser.parse(text, languages=list(languages), settings=DATEPARSER_SETTINGS)
    except (ValueError, OverflowError):
        found = None
    if found is None and len(languages) > 1:  # a language dateparser does not know
        return _dateparser(text, languages[1:]) if languages[0] not in _known_languages() else None
    return found.date().isoformat() if found is not None else None


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    from dateparser.languages.loader import default_loader

    return frozenset(default_loader.get_locale_map())


def date_languages(language: str | None) -> tuple[str, ...]:
    """The languages a document's dates are read in: its own, then English."""
    if language is None or language == "en" or language not in _known_languages():
        return ("en",)
    return (language, "en")


def _strip_end(text: str) -> str:
    return text.rstrip().rstrip(CLOSERS)


def ends_like_sentence(text: str) -> bool:
    """Whether a line ends as a sentence or clause does, in any script
    (looking through closing quotes and brackets)."""
    return _strip_end(text).endswith(SENTENCE_END) or ends_sentence_mark(text, question=False)


def headline_like(text: str, max_words: int) -> bool:
    """Whether one line could be a headline by itself: 1 to `max_words` words,
    letters, a headline's start, not ending like a sentence or a line broken
    off mid-sentence."""
    return (
        0 < word_count(text) <= max_words
        and any(c.isalpha() for c in text)
        and HEADLINE_START.match(text) is not None
        and not ends_like_sentence(text)
        and BROKEN_END.search(_strip_end(text)) is None
    )


@lru_cache(maxsize=64)
def _byline_regex(prefixes: tuple[str, ...], conjunctions: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    prefix = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    joiner = "|".join(re.escape(c) for c in sorted(conjunctions, key=len, reverse=True))
    return (
        re.compile(rf"^(?:{prefix})\s*:?\s+(?P<names>\S.*?)[.;]?$", re.IGNORECASE),
        re.compile(rf"\s*,\s*(?:(?:{joiner})\s+)?|\s+(?:{joiner})\s+", re.IGNORECASE),
    )


def _name(words: list[str], max_words: int) -> bool:
    """Whether `words` make one person's name: 1 to `max_words` words, each
    capitalised (or in capitals) or a lower-case particle, the first capitalised."""
    if not 0 < len(words) <= max_words or words[0] in PARTICLES:
        return False
    return all(w in PARTICLES or (NAME_WORD.match(w) is not None and w[0].isupper()) for w in words)


def _prefixes(language: str | None, cfg: dict[str, Any]) -> tuple[str, ...]:
    """The byline prefixes for a language: its own and English; every
    language's when it is undetermined."""
    by_language: dict[str, list[str]] = cfg["byline_prefixes"]
    if language is None:
        return tuple(p for ps in by_language.values() for p in ps)
    return tuple(by_language.get("en", []) + by_language.get(language, []))


def parse_byline(text: str, language: str | None, cfg: dict[str, Any], bare: bool = True) -> str | None:
    """The author(s) of a byline line, as written without its prefix
    ("By ABBEY NORTH, OWEN BYRD and LINA SHAW" -> "ABBEY NORTH, OWEN BYRD
    and LINA SHAW"; "Von Karla Weiß" -> "Karla Weiß"),
    or None. With a prefix of the document's language (or English; any
    language's when the language is undetermined) the line may name several
    people; without one it must be a single name of 2 to `byline_max_words`
    capitalised words in a cased script, not all in capitals (a label such
    as "NEWS RELEASE"), with no word a subhead has (and `bare` true)."""
    prefixes = _prefixes(language, cfg)
    max_words = cfg["byline_max_words"]
    text = text.strip()
    if prefixes:
        prefixed, joiner = _byline_regex(prefixes, tuple(cfg["byline_conjunctions"]))
        found = prefixed.match(text)
        if found is not None:
            names = found.group("names").strip()
            parts = joiner.split(names)
            if 0 < len(parts) <= cfg["byline_max_names"] and all(_name(p.split(), max_words) for p in parts):
                return names
            return None
    words = text.split()
    if (
        bare
        and 2 <= len(words) <= max_words
        and _name(words, max_words)
        and not text.isupper()
        and not looks_like_heading_words(text)
    ):
        return text
    return None


def looks_like_heading_words(text: str) -> bool:
    """A capitalised line with words a name never has is a subhead, not a byline."""
    lowered = {w.lower().strip(".,'\u2019") for w in text.split()}
    return bool(lowered & HEADING_WORDS)


@lru_cache(maxsize=8)
def _banner(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# A time with no date ("1 day ago", "Updated 2 hours ago"): never a headline.
RELATIVE_TIME = re.compile(
    r"^(?:[\w ]{0,20}\s)?\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)(?:,?\s+\d+\s+\w+)?\s+ago$",
    re.IGNORECASE,
)
# English body sentences carry the copula and articles that headlinese drops
# ("The Wii is the most highly-rated console of 2007" against "Judge sets
# example in handing out four-year sentence").
COPULA = re.compile(r"\b(?:is|are|was|were|has been|have been|had been)\b", re.IGNORECASE)
ARTICLE = re.compile(r"\b(?:the|a|an)\b", re.IGNORECASE)
BODY_SENTENCE_MIN_WORDS = 8


def body_sentence_en(text: str) -> bool:
    """Whether an English line without a full stop still reads as a body
    sentence: at least BODY_SENTENCE_MIN_WORDS words, in sentence case (not
    Title Case), with a copula and an article."""
    words = text.split()
    if len(words) < BODY_SENTENCE_MIN_WORDS:
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if long_words and sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 3:
        return False  # Title Case: a headline
    return COPULA.search(text) is not None and ARTICLE.search(text) is not None


def _byline_start(text: str, language: str | None, cfg: dict[str, Any]) -> bool:
    """Whether a line opens with an English byline prefix and a capitalised
    word ("By JAMES DOE, AP Business Writer Fri Dec 28"): never a headline,
    even when the rest is not a clean list of names. Other languages'
    prefixes are also prepositions that open headlines ("Von Kohle zu Wind")."""
    english = tuple(cfg["byline_prefixes"].get("en", []))
    if not english:
        return False
    prefixed, _ = _byline_regex(english, tuple(cfg["byline_conjunctions"]))
    found = prefixed.match(text)
    return found is not None and found.group("names")[:1].isupper()


def _headline_evidence(
    below: list[Line], languages: tuple[str, ...], language: str | None, cfg: dict[str, Any]
) -> bool:
    """Evidence that a line of a script written without spaces, with no
    sentence mark of its own, is a headline: a date or byline below it, or a
    next line that ends with a sentence mark (the text below punctuates its
    sentences, the line above does not)."""
    if any(find_date(n.text, languages) or parse_byline(n.text, language, cfg) for n in below):
        return True
    return bool(below) and ends_sentence_mark(below[0].text, question=False)


def find_title(head: list[Line], language: str | None, cfg: dict[str, Any]) -> tuple[int | None, list[int]]:
    """(index in `head` of the title or None, indices of the section labels above it).

    The title is looked for among the first `title_search_lines` lines: a
    consent banner's heading, a dateline and a relative time are passed
    over (left for the header scan or the rules), and so is one short label
    right above a longer headline (it becomes the section). A short first
    line with nothing longer right below stays the title, as a one-word
    headline.
    """
    max_words, label_words = cfg["title_max_words"], cfg["section_label_max_words"]
    banner = _banner(cfg["banner_pattern"])
    languages = date_languages(language)
    labels: list[int] = []
    for i, line in enumerate(head[: cfg["title_search_lines"]]):
        text = line.text.strip()
        if banner.search(text) or find_date(text, languages) is not None or RELATIVE_TIME.search(text):
            continue  # a banner is left; a dateline is read below
        if not headline_like(text, max_words) or parse_byline(text, language, cfg, bare=False) is not None:
            break
        if _byline_start(text, language, cfg) or (language in (None, "en") and body_sentence_en(text)):
            break
        following = head[i + 1].text.strip() if i + 1 < len(head) else ""
        if following[:1].islower() and ends_like_sentence(following) and not _byline_start(following, language, cfg):
            break  # broken off before the rest of its sentence: a fragment
        if spaceless(text) and not _headline_evidence(head[i + 1 : i + 3], languages, language, cfg):
            break  # a first sentence or a headline: without evidence below, leave it
        # One short label right above a longer headline is the section; a
        # stack of short lines is a menu, and the first of it stays the title.
        candidate = head[i + 1].text.strip() if i + 1 < len(head) else ""
        if (
            not labels
            and word_count(text) <= label_words
            and word_count(candidate) > label_words
            and headline_like(candidate, max_words)
            and find_date(candidate, languages) is None
            and parse_byline(candidate, language, cfg, bare=False) is None
            and not _byline_start(candidate, language, cfg)
            and not banner.search(candidate)
        ):
            labels.append(i)
            continue
        return i, labels
    return None, []


def extract_metadata(doc: Document, cfg: dict[str, Any]) -> Document:
    """Move the title, section label, byline and date at the top of the
    document into metadata (`doc.title`, `metadata.section`, `.author`,
    `.date`), each recorded as a removal (metadata.title, ...).

    The header is the first `header_lines` non-blank lines; below the title
    it is read up to the first line that is body text (ending like a
    sentence, or longer than a headline): lines that are neither a byline nor
    a date in between are passed over and stay text ("From: the ministry").
    """
    content = [line for line in doc.lines if line.text.strip()]
    if len(content) < 2:
        return doc
    language = doc.metadata.get("language")
    languages = date_languages(language)
    taken: set[int] = set()
    # A consent banner the rules left at the top is passed over (and left).
    banner = _banner(cfg["banner_pattern"])
    skip = 0
    while skip < len(content) - 1 and skip < BANNER_MAX_LINES and banner.search(content[skip].text):
        skip += 1
    head = content[skip : skip + cfg["header_lines"]]
    title_at, labels = find_title(head, language, cfg)
    # A title the input already gave (an HTML page's) is kept; the first line
    # is then taken only when it repeats that title.
    if title_at is not None and doc.title in (None, head[title_at].text.strip()):
        line = head[title_at]
        doc.title = line.text.strip()
        if labels:
            doc.metadata["section"] = " / ".join(head[i].text.strip() for i in labels)
            for i in labels:
                doc.removals.append(Removal(STAGE, "section", head[i].pos, head[i].text))
                taken.add(head[i].pos)
        doc.removals.append(Removal(STAGE, "title", line.pos, line.text))
        taken.add(line.pos)
    passed_over = False
    # Datelines above the title (read over by find_title) are read here too.
    for i, line in enumerate(head):
        text = line.text.strip()
        if line.pos in taken:
            continue
        dated = split_date(text, languages)
        if dated is not None:
            if not doc.metadata.get("date"):
                doc.metadata["date"] = dated[0]
                rule = "date"
                author = dateline_author(dated[1], language, cfg) if dated[1] else None
                if author is not None and not doc.metadata.get("author"):
                    doc.metadata["author"] = author
                    rule = "byline-date"
                doc.removals.append(Removal(STAGE, rule, line.pos, line.text))
                taken.add(line.pos)
            continue
        # Without a title above, or below a line passed over, only a byline
        # with its prefix ("By ...") counts: a bare name there is as likely a
        # menu item ("Local Events") or a Title Case headline.
        author = parse_byline(text, language, cfg, bare=title_at is not None and not passed_over)
        if author is not None:
            if not doc.metadata.get("author"):
                doc.metadata["author"] = author
                doc.removals.append(Removal(STAGE, "byline", line.pos, line.text))
                taken.add(line.pos)
            continue
        if ends_like_sentence(text) or word_count(text) > cfg["title_max_words"]:
            break  # the body begins
        passed_over = passed_over or title_at is None or i > title_at
    if taken:
        doc.lines = [line for line in doc.lines if line.pos not in taken]
    return doc
