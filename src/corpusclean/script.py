"""Script-aware measures for the length, word-count and sentence tests of every stage.

English heuristics count words by spaces, find sentences by ".", "!" and "?"
and read headings by their capitals. Chinese and Japanese are written without
spaces, Thai, Lao, Khmer and Burmese put spaces between phrases rather than
words, Arabic, Persian, Hebrew, Hindi and most other scripts have no capital
letters, and many end sentences with marks of their own ("。", "؟", "۔", "।").
The helpers here give every stage one measure that holds across scripts:

- `text_units(text)`: words, where a run of a spaceless script counts as the
  number of words it holds on average: Chinese and Japanese words average
  about 1.5-1.7 characters (segmented corpora such as the PKU and Penn
  Chinese Treebank, and MeCab's segmentation of Japanese news), so a run of
  Han or kana counts one word per 1.5 characters; Thai, Lao, Khmer and
  Burmese words average about 4 characters with their combining vowels and
  tone marks (BEST 2010 Thai corpus), so those runs count one word per 4.
- `ends_sentence_mark(text)`: whether a line ends with a sentence mark of
  a script other than Latin.
- `latin_chars(text)`: a length in characters of Latin-script text that
  holds as many words, for character thresholds tuned on English.
- `spaceless(text)`: whether most of a line's letters are of a spaceless
  script, where the English title and byline heuristics do not fit.
- `mark_free(text)`: whether a line is mostly Thai or Lao, which mark no
  sentence end.
- `width(text)` and `join_wrapped(lines)`: columns of a fixed-width layout,
  and hard-wrapped lines joined back without a space inside CJK text.
- `cased(text)`: whether a line has letters with case at all; capitalisation
  tests mean nothing on the others.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Han (with extensions and compatibility ideographs), Hiragana, Katakana
# (with half-width forms and the prolonged sound mark): one word per
# CJK_CHARS_PER_WORD characters.
CJK = "\u3005\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
# Thai, Lao, Burmese, Khmer: spaces between phrases, not words.
SOUTHEAST = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
CJK_CHARS_PER_WORD = 1.5
SOUTHEAST_CHARS_PER_WORD = 4.0
_CJK_RUN = re.compile(f"[{CJK}]+")
_SOUTHEAST_RUN = re.compile(f"[{SOUTHEAST}]+")
_SPACELESS_RUN = re.compile(f"[{CJK}{SOUTHEAST}]+")
_SPACELESS_CHAR = re.compile(f"[{CJK}{SOUTHEAST}]")
# Han, kana and CJK punctuation ("、", "，"): no space between them when joining.
_CJK_CHAR = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uff65]")
# Sentence marks of scripts other than Latin (each stage keeps its own
# Latin set, tuned on English): CJK full stop and exclamation mark (full- and
# half-width); Urdu full stop; Devanagari danda and double danda; Armenian
# full stop; Ethiopic full stop; Burmese section mark; Khmer khan; Tibetan
# shad. Question marks (CJK and Arabic) are apart: a headline may be a question.
STATEMENT_MARKS = "\u3002\uff01\uff61\uff0e\u06d4\u0964\u0965\u0589\u1362\u104b\u17d4\u0f0d"
QUESTION_MARKS = "\uff1f\u061f"
# Closing quotes and brackets that may follow a sentence mark.
CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f\u3011\uff09"
_STATEMENT_END = re.compile(f"[{STATEMENT_MARKS}][{re.escape(CLOSERS)}]*$")
_QUESTION_END = re.compile(f"[{QUESTION_MARKS}][{re.escape(CLOSERS)}]*$")
_QUOTED_QUESTION_END = re.compile(f"[{QUESTION_MARKS}][{re.escape(CLOSERS)}]+$")


def text_units(text: str) -> int:
    """The number of words in `text`, counting runs of spaceless scripts by
    their average word length (see the module docstring); ASCII text is
    simply split on whitespace. Returns 0 for a blank line."""
    if text.isascii():
        return len(text.split())
    if not _SPACELESS_CHAR.search(text):
        return len(text.split())
    units = 0.0
    for run in _CJK_RUN.findall(text):
        units += math.ceil(len(run) / CJK_CHARS_PER_WORD)
    for run in _SOUTHEAST_RUN.findall(text):
        units += math.ceil(len(run) / SOUTHEAST_CHARS_PER_WORD)
    return int(units) + len(_SPACELESS_RUN.sub(" ", text).split())


# Characters of English text per word, with its space (mean word length about
# 4.7 letters in English news): what a Latin-script length threshold assumes.
LATIN_CHARS_PER_WORD = 6.0


def latin_chars(text: str) -> float:
    """The length of `text` in characters of Latin-script text that hold as
    many words: a Han or kana character counts 6 / 1.5 = 4, a Thai, Lao,
    Khmer or Burmese one 6 / 4 = 1.5, any other 1. For length thresholds
    tuned on English (dedup's minimum length)."""
    if text.isascii():
        return float(len(text))
    cjk = sum(len(run) for run in _CJK_RUN.findall(text))
    southeast = sum(len(run) for run in _SOUTHEAST_RUN.findall(text))
    return (
        len(text)
        + cjk * (LATIN_CHARS_PER_WORD / CJK_CHARS_PER_WORD - 1)
        + southeast * (LATIN_CHARS_PER_WORD / SOUTHEAST_CHARS_PER_WORD - 1)
    )


def spaceless(text: str) -> bool:
    """Whether at least half of the letters of `text` are of a script written
    without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese)."""
    if text.isascii():
        return False
    found = len(_SPACELESS_CHAR.findall(text))
    if not found:
        return False
    letters = sum(c.isalpha() for c in text)
    return found * 2 >= letters


_MARK_FREE_CHAR = re.compile("[\u0e00-\u0e7f\u0e80-\u0eff]")


def mark_free(text: str) -> bool:
    """Whether most letters of `text` are Thai or Lao, scripts that mark no
    sentence end (sentences are set off by a space)."""
    if text.isascii():
        return False
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and len(_MARK_FREE_CHAR.findall(text)) * 2 >= letters


def cased(text: str) -> bool:
    """Whether `text` has any letter with an upper- and lower-case form
    (Latin, Greek, Cyrillic, Armenian, ...); False for Arabic, Hebrew,
    Devanagari, CJK, Thai and other scripts without case."""
    return any(c.isupper() or (c.islower() and c.upper() != c) for c in text)


def ends_sentence_mark(text: str, question: bool = True) -> bool:
    """Whether `text` ends with a sentence mark of a script other than Latin,
    perhaps followed by closing quotes or brackets. With `question` false, a
    bare question mark does not count (a headline or teaser may ask), one
    inside closing quotes does. Latin marks are left to each caller."""
    if text.isascii():
        return False
    text = text.rstrip()
    if _STATEMENT_END.search(text):
        return True
    return (_QUESTION_END if question else _QUOTED_QUESTION_END).search(text) is not None


def width(text: str) -> int:
    """The columns `text` takes in a fixed-width layout: two for a wide or
    full-width character (East Asian Width W or F, Unicode UAX #11), one for
    any other."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a hard-wrapped paragraph: with a space, except
    between two Han or kana characters (Chinese and Japanese wrap anywhere,
    and a space there would be a character the text never had)."""
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        if joined and line and _CJK_CHAR.match(joined[-1]) and _CJK_CHAR.match(line[0]):
            joined += line
        else:
            joined += " " + line
    return joined
