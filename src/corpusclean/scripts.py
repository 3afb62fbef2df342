"""Script-aware measures of a line: how many words it holds and whether it
holds a sentence, for scripts written with and without spaces.

Heuristics elsewhere count words and look for sentence ends; done with
`str.split()` and a final ".", they call a paragraph of Japanese one word
and a table row of sentences no prose at all. These measures are shared so
that every heuristic counts the same way.

Beside them: `ends_sentence_mark` (a line ending on a full stop of a script
with its own), `mark_free` (Thai and Lao, which mark no sentence end),
`spaceless` (a line mostly in a script written without spaces),
`latin_chars` (a length in characters of Latin-script text holding as many
words, for thresholds tuned on English), and `width` and `join_wrapped`
(fixed-width columns, and hard-wrapped CJK lines joined without a space).
"""

from __future__ import annotations

import re
import unicodedata

# Scripts written without spaces between words: Han, Hiragana, Katakana
# (and the CJK punctuation-free ranges around them), Thai, Lao, Khmer,
# Myanmar and Tibetan. A run of these characters holds several words.
SPACELESS = re.compile(
    "[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff\u0f00-\u0fff"
    "\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
)
# Characters per word in those scripts: about 1.5-2 for Chinese and Japanese
# (mean word length in segmented corpora such as the Penn Chinese Treebank
# and BCCWJ), about 5-6 for Thai (BEST corpus). One word per two characters
# undercounts Thai, which errs on the side of calling its lines short; that
# only keeps text, since no rule removes a line for being long.
CHARS_PER_WORD = 2
# A sentence ends inside a line: a word of at least two lower-case letters
# or digits (not an initial or "U.S."), then ".", "!" or "?" (perhaps a
# closing quote or bracket), then a space or the end of the line; or a full
# stop of a script that has its own: the ideographic full stop and marks,
# the Devanagari danda, the Arabic question mark and full stop. Decoration
# that a table cell or a list item brings around its text is taken off
# first. Written with string methods rather than regexes: every paragraph
# of the corpus is tested (corpus repetition), and this is four times faster.
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # what \s matches (none above U+3000)
_DECORATION_LEAD = _SPACES + "|\u2022\u00b7*-\u2013\u2014>"
_DECORATION_TRAIL = _SPACES + "|"
_STOP = re.compile(r"[.!?]")
_SCRIPT_STOPS = ("\u3002", "\uff01", "\uff1f", "\u0964", "\u061f", "\u06d4")
_CLOSERS = "\"\u201d\u2019')]"


def word_count(text: str) -> int:
    """The number of words in `text`: runs of non-space characters, except
    that a run of a script written without spaces counts one word per
    `CHARS_PER_WORD` of its characters (at least one)."""
    count = 0
    for token in text.split():
        spaceless = len(SPACELESS.findall(token))
        if spaceless:
            count += max(1, round(spaceless / CHARS_PER_WORD)) + (1 if spaceless < len(token) else 0)
        else:
            count += 1
    return count


def _lower_letter(ch: str) -> bool:
    """A word character that is not a digit, "_" or an ASCII capital (the
    regex class [^\\W\\d_A-Z])."""
    return ch.isalnum() and not ch.isdecimal() and not "A" <= ch <= "Z"


def _sentence_end(core: str) -> bool:
    if any(stop in core for stop in _SCRIPT_STOPS):
        return True
    n = len(core)
    for found in _STOP.finditer(core):
        i = found.start()
        after_word = i >= 2 and _lower_letter(core[i - 2]) and _lower_letter(core[i - 1])
        if not (after_word or (i >= 1 and core[i - 1].isdecimal())):
            continue
        j = i + 1
        while j < n and core[j] in _CLOSERS:
            j += 1
        if j == n or core[j].isspace():
            return True
    return False


def holds_sentence(text: str, min_words: int) -> bool:
    """Whether the line holds prose: at least `min_words` words (by
    `word_count`) and a sentence end somewhere in it, once the decoration of
    a table cell or a list item ("| ... |", "• ...") is taken off.

    Unlike a test of the line's last character, this finds the sentences in
    a table row of cells, in a line that ends with a credit, and in scripts
    with their own full stop.
    """
    core = text.lstrip(_DECORATION_LEAD).rstrip(_DECORATION_TRAIL)
    words = len(core.split()) if core.isascii() or SPACELESS.search(core) is None else word_count(core)
    return words >= min_words and _sentence_end(core)


# A line of at least this many times `min_words` words reads as text even
# without a sentence end (a long unpunctuated paragraph, a transcript).
LONG_LINE_FACTOR = 4


def reads_as_text(text: str, min_words: int) -> bool:
    """Evidence that a line is text, not a headline or a link: it holds a
    sentence (`holds_sentence`: anywhere in it, in any script, inside table
    or list decoration), or it runs to `LONG_LINE_FACTOR` times `min_words`
    words.

    Document drops count these lines, so that a table of sentences, a list
    of items written as sentences or a page in Japanese is never taken for
    a list of headlines.
    """
    return holds_sentence(text, min_words) or word_count(text) >= LONG_LINE_FACTOR * min_words


# --- beyond word counts: sentence marks, case, lengths and wrapping ------------

# Han, Hiragana and Katakana (with half-width kana and the iteration marks):
# the scripts a hard wrap cuts anywhere.
CJK = "\u3005\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
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
_MARK_FREE_CHAR = re.compile("[\u0e00-\u0e7f\u0e80-\u0eff]")
# Characters of English text per word, with its space (mean word length about
# 4.7 letters in English news): what a Latin-script length threshold assumes.
LATIN_CHARS_PER_WORD = 6


def latin_chars(text: str) -> int:
    """The length of `text` in characters of Latin-script text that hold as
    many words: a character of a script written without spaces counts
    LATIN_CHARS_PER_WORD / CHARS_PER_WORD (3), any other 1. For length
    thresholds tuned on English (dedup's minimum length, short-line runs)."""
    if text.isascii():
        return len(text)
    return len(text) + len(SPACELESS.findall(text)) * (LATIN_CHARS_PER_WORD // CHARS_PER_WORD - 1)


def spaceless(text: str) -> bool:
    """Whether at least half of the letters of `text` are of a script written
    without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese, Tibetan)."""
    if text.isascii():
        return False
    found = len(SPACELESS.findall(text))
    return found > 0 and found * 2 >= sum(c.isalpha() for c in text)


def mark_free(text: str) -> bool:
    """Whether most letters of `text` are Thai or Lao, scripts that mark no
    sentence end (sentences are set off by a space)."""
    if text.isascii():
        return False
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and len(_MARK_FREE_CHAR.findall(text)) * 2 >= letters


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
