"""Turn a document's header lines (title, byline, dateline) into metadata.

Only the first few lines are looked at, and only lines that look like a
headline, a name or a date on their own: a sentence that mentions a date
stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .document import Document, Removal

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
SENTENCE_END = (".", "!", ";", ",", ":")


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


def byline_pattern(max_words: int) -> re.Pattern[str]:
    name = r"[A-Z][\w'\u2019.-]*"
    particle = r"de|van|von|der|da|del|la|le|bin|al"
    return re.compile(rf"^(?:[Bb]y\s+)?(?P<name>{name}(?:\s+(?:{name}|{particle})){{1,{max_words - 1}}})$")


def looks_like_title(line: str, max_words: int) -> bool:
    words = line.split()
    return 0 < len(words) <= max_words and not line.endswith(SENTENCE_END) and any(c.isalpha() for c in line)


def extract_metadata(doc: Document, cfg: dict[str, Any]) -> Document:
    """Move the title, byline and date at the top of the document into metadata."""
    content = [line for line in doc.lines if line.text]
    if len(content) < 2:
        return doc
    taken: set[int] = set()
    head = content[: cfg["header_lines"]]
    first = head[0]
    # A title the input already gave (an HTML page's) is kept; the first line
    # is then taken only when it repeats that title.
    is_title = looks_like_title(first.text, cfg["title_max_words"]) and parse_date(first.text) is None
    if is_title and doc.title in (None, first.text):
        doc.title = first.text
        doc.removals.append(Removal(STAGE, "title", first.pos, first.text))
        taken.add(first.pos)
        head = head[1:]
    byline = byline_pattern(cfg["byline_max_words"])
    for line in head:
        date = parse_date(line.text)
        if date is not None and not doc.metadata.get("date"):
            doc.metadata["date"] = date
            doc.removals.append(Removal(STAGE, "date", line.pos, line.text))
            taken.add(line.pos)
            continue
        found = byline.match(line.text)
        if found and not doc.metadata.get("author") and not looks_like_heading_words(line.text):
            doc.metadata["author"] = found.group("name")
            doc.removals.append(Removal(STAGE, "byline", line.pos, line.text))
            taken.add(line.pos)
            continue
        # The header block ends at the first line that is neither.
        break
    doc.lines = [line for line in doc.lines if line.pos not in taken]
    return doc


def looks_like_heading_words(text: str) -> bool:
    """A capitalised line with words a name never has is a subhead, not a byline."""
    lowered = {w.lower().strip(".,'\u2019") for w in text.split()}
    return bool(lowered & {"the", "and", "of", "to", "in", "for", "on", "with", "is", "a", "at"})
