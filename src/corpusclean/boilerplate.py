"""Strip boilerplate lines by the rules in config.yaml, each removal named.

A rule matches one stripped line. Its scope says how much goes with it: the
line, a run of short non-sentence lines around it (an advert block), or
everything to the end of the document. A doubled short line (a name caption
printed twice) goes too.
"""

from __future__ import annotations

from typing import Any

from .config import Rule
from .document import Document, Line, Removal

STAGE = "boilerplate"
SENTENCE_END = (".", "!", "?", '."', ".\u201d", '?"', "?\u201d", '!"', "!\u201d")


def rule_matches(rule: Rule, text: str) -> bool:
    """Whether `rule` fires on this line (stripped)."""
    text = text.strip()
    if not text or (rule.max_chars is not None and len(text) > rule.max_chars):
        return False
    return rule.regex.search(text) is not None


def strip_span(rule: Rule, text: str) -> tuple[str, str]:
    """(kept text, removed span) for a rule whose action is strip."""
    found = rule.regex.search(text)
    if found is None:
        return text, ""
    kept = (text[: found.start()] + " " + text[found.end() :]).strip()
    return kept, found.group(0)


def _is_run_line(text: str, max_chars: int) -> bool:
    return len(text) <= max_chars and not text.rstrip().endswith(SENTENCE_END)


def _extend_run(lines: list[Line], start: int, max_chars: int) -> tuple[int, int]:
    """Indices [lo, hi] of the run of short lines around lines[start], across blank lines."""
    lo = start
    i = start - 1
    while i >= 0 and (not lines[i].text or _is_run_line(lines[i].text, max_chars)):
        if lines[i].text:
            lo = i
        i -= 1
    hi = start
    i = start + 1
    while i < len(lines) and (not lines[i].text or _is_run_line(lines[i].text, max_chars)):
        if lines[i].text:
            hi = i
        i += 1
    return lo, hi


def _is_doubled_caption(line: Line, max_words: int) -> bool:
    words = line.text.split()
    return line.doubled and 0 < len(words) <= max_words and not line.text.endswith(SENTENCE_END)


def strip_boilerplate(doc: Document, rules: tuple[Rule, ...], cfg: dict[str, Any]) -> Document:
    """Remove every line (or span) a rule fires on; record each under the rule's name."""
    lines = doc.lines
    fate: dict[int, str] = {}  # index in `lines` -> rule name that removes it
    stripped: dict[int, Line] = {}
    for index, line in enumerate(lines):
        if not line.text or index in fate:
            continue
        if _is_doubled_caption(line, cfg["doubled_caption_max_words"]):
            fate[index] = "doubled-caption"
            continue
        for rule in rules:
            if not rule_matches(rule, line.text):
                continue
            if rule.action == "strip":
                kept, span = strip_span(rule, line.text)
                doc.removals.append(Removal(STAGE, rule.name, line.pos, span))
                if kept:
                    stripped[index] = Line(line.pos, kept)
                else:
                    fate[index] = rule.name
                break
            if rule.scope == "line":
                fate[index] = rule.name
            elif rule.scope == "to-end":
                for j in range(index, len(lines)):
                    fate.setdefault(j, rule.name)
            else:
                lo, hi = _extend_run(lines, index, cfg["run_max_chars"])
                for j in range(lo, hi + 1):
                    fate.setdefault(j, rule.name)
            break
    kept_lines: list[Line] = []
    for index, line in enumerate(lines):
        if index in fate:
            if line.text:
                doc.remove(STAGE, fate[index], line)
        else:
            kept_lines.append(stripped.get(index, line))
    doc.lines = kept_lines
    return doc
