"""Script-aware measures of a line: how many words it holds and whether it
holds a sentence, for scripts written with and without spaces.

Heuristics elsewhere count words and look for sentence ends; done with
`str.split()` and a final ".", they call a paragraph of Japanese one word
and a table row of sentences no prose at all. These measures are shared so
that every heuristic counts the same way.
"""

from __future__ import annotations

import re

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
# the Devanagari danda, the Arabic question mark and full stop.
SENTENCE_END_INSIDE = re.compile(
    r"(?:[^\W\d_A-Z]{2}|\d)[.!?][\"\u201d\u2019')\]]*(?=\s|$)|[\u3002\uff01\uff1f\u0964\u061f\u06d4]"
)
# Decoration that a table cell or a list item brings around its text.
CELL_DECORATION = re.compile(r"^[\s|•·*\-\u2013\u2014>]+|[\s|]+$")


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


def holds_sentence(text: str, min_words: int) -> bool:
    """Whether the line holds prose: at least `min_words` words (by
    `word_count`) and a sentence end somewhere in it, once the decoration of
    a table cell or a list item ("| ... |", "• ...") is taken off.

    Unlike a test of the line's last character, this finds the sentences in
    a table row of cells, in a line that ends with a credit, and in scripts
    with their own full stop.
    """
    core = CELL_DECORATION.sub("", text)
    return word_count(core) >= min_words and SENTENCE_END_INSIDE.search(core) is not None


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
