"""How plausible a reading of bytes is as written text, in any script.

Used by decoding.py to choose among the readings of a legacy file, and to
accept UTF-16 without a byte-order mark: pure functions of a decoded string,
each scoring a sample of SCORE_CHARS characters.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Characters scored per candidate decoding: enough to judge, bounded cost.
SCORE_CHARS = 1 << 13

# The letters beyond ASCII that each language written in the Latin script
# uses (its standard orthography). A reading of a legacy file whose accented
# letters all belong to one of these alphabets is plausible; "fogaskerekû"
# (Hungarian read as cp1252) or "Braºov" (Romanian read as cp1252) are not.
VIETNAMESE = "àáâãèéêìíòóôõùúýăđĩũơư"  # base letters; tones are combining marks in cp1258
LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "éëïóöüèê",  # Dutch, Afrikaans
    "æøåéóôè",  # Danish, Norwegian
    "åäöé",  # Swedish
    "áðéíóúýþæö",  # Icelandic
    "äöåšž",  # Finnish
    "äöõüšž",  # Estonian
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "čćđšž",  # Slovene, Croatian, Bosnian, Serbian Latin
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian (comma and cedilla forms)
    "çğıöşüâîûi",  # Turkish ("İ" counts as "i")
    "çəğıöşüi",  # Azerbaijani
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "çë",  # Albanian
    "ċġħżàèìòù",  # Maltese
    VIETNAMESE,
)
# Scripts that several writing systems share a reading of: Japanese is Han
# and kana; Korean is Hangul with some Han.
SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "BOPOMOFO": "CJK", "IDEOGRAPHIC": "CJK"}
LETTER_RUN = re.compile(r"[^\W\d_]+")
# A character beyond ASCII that is a symbol or a number sign (Unicode
# categories S* and No), candidates for a symbol glued to a word.
NON_ASCII_SYMBOL = re.compile(r"[^\x00-\x7f\w\s]")
# Punctuation beyond ASCII that may stand right before a small letter.
WORD_PUNCTUATION = "¿¡·…‧"
# Combining marks of the scripts whose code pages are tried (generic
# diacritics, Cyrillic, Hebrew, Arabic, Devanagari, Thai).
NON_ASCII_MARK = re.compile(
    "[\u0300-\u036f\u0483-\u0487\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
)
CYRILLIC_VOWELS = re.compile("[аеёиоуыэюяіїєў]")
HEBREW_FINAL_INSIDE = re.compile("[ךםןףץ](?=[\u05d0-\u05ea])")
# Korean is written with a space between words (a word is a few syllables);
# a longer run of Hangul is Japanese or Chinese bytes read in a Korean code page.
LONG_HANGUL = re.compile(r"[\uac00-\ud7a3]{13,}")


def looks_like_text(text: str) -> bool:
    """Text, not numbers read as characters: almost no unassigned, private-use
    or control characters, and its letters from one or two scripts."""
    sample = text[:SCORE_CHARS]
    bad = sum(
        1
        for c in sample
        if unicodedata.category(c) in ("Cn", "Co", "Cs") or (unicodedata.category(c) == "Cc" and not c.isspace())
    )
    if bad > 0.01 * len(sample):
        return False
    scripts = Counter(_script(c) for c in sample if c.isalpha())
    return sum(n for _, n in scripts.most_common(2)) >= 0.9 * sum(scripts.values())


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC", "LATIN", "CJK")."""
    name = unicodedata.name(char, "UNKNOWN")
    first = name.split(" ", 1)[0]
    return SCRIPT_GROUPS.get(first, first)


@lru_cache(maxsize=4096)
def _rare(char: str) -> bool:
    """A character that only a wrong reading produces: unassigned, private
    use, a C1 control, the replacement character, a lone Hangul jamo, or a
    Hangul syllable or Han ideograph outside every national character set
    (GB 2312, Big5, JIS X 0208, KS X 1001), which the East Asian code pages
    yield when they read each other's bytes (and half-width katakana and
    supplementary-plane ideographs, which Japanese code pages make of Cyrillic
    or Greek bytes)."""
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs") or (category == "Cc" and not char.isspace()) or char == "\ufffd":
        return True
    code = ord(char)
    if 0x3130 <= code <= 0x318F or 0xF900 <= code <= 0xFAFF or 0xFF61 <= code <= 0xFF9F or code >= 0x20000:
        return True  # compatibility jamo and ideographs, half-width katakana, supplementary ideographs
    if 0xAC00 <= code <= 0xD7A3 or 0x4E00 <= code <= 0x9FFF:
        return not any(_encodable(char, codec) for codec in ("gb2312", "big5", "shift_jis", "euc_kr"))
    return False


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def implausibility(text: str) -> float:
    """How unlike written text a reading is, per non-ASCII character (0 is plausible).

    Counts, among the characters beyond ASCII: letters outside the one
    alphabet that fits them best (LATIN_ALPHABETS, or one non-Latin
    script); letters of another script inside a Latin word or standing
    alone in Latin text (stray bytes read in a Cyrillic or Greek code page);
    symbols glued to a word; capitals beyond the small letters; words of impossible shape (`_misshapen_words`); Hangul runs too long for a Korean word; rare characters (`_rare`).
    """
    sample = text[:SCORE_CHARS]
    high = [c for c in sample if ord(c) > 0x7F]
    if not high:
        return 0.0
    letters = Counter(_lower(c) for c in high if c.isalpha())
    penalty = sum(1 for c in high if _rare(c))
    penalty += _symbols_in_words(sample)
    penalty += _misshapen_words(sample)
    # Text is mostly in small letters; KOI8-R read as cp1251 (or the reverse)
    # swaps the case of every Cyrillic letter.
    # (A few capitals are names and sentence starts: "À la carte".)
    upper = sum(1 for c in high if c.isupper())
    penalty += max(0, upper - (len(high) - upper) - 2)
    penalty += _stray_marks(sample)
    penalty += sum(len(run) for run in LONG_HANGUL.findall(sample))
    if letters:
        total = sum(letters.values())
        scripts: Counter[str] = Counter()
        for c, n in letters.items():
            scripts[_script(c)] += n
        script, in_script = scripts.most_common(1)[0]
        if script == "LATIN":
            fit = max(
                sum(n for c, n in letters.items() if c in alphabet)
                for alphabet in LATIN_ALPHABETS
                # Vietnamese has most accented vowels: it fits only a text with its own letters.
                if alphabet != VIETNAMESE or any(c in letters for c in "ăđơư")
            )
            in_script = min(in_script, fit)
        penalty += total - in_script
        penalty += _foreign_letters(sample)
    return penalty / len(high)


def _symbols_in_words(sample: str) -> int:
    """Symbols glued to a word: between two letters, or before a small letter
    ("©kola" is "Škola" read in the wrong code page)."""
    count = 0
    for match in NON_ASCII_SYMBOL.finditer(sample):
        at = match.start()
        category = unicodedata.category(match.group())
        after = sample[at + 1 : at + 2]
        before = sample[at - 1 : at] if at else ""
        if category.startswith(("S", "No")):
            if after.isalpha() and (before.isalpha() or after.islower()):
                count += 1
            elif category == "Sc" and before.isalpha():
                count += 1  # a currency sign ends no word ("yađư₫" is Turkish read as cp1258)
        elif category == "Po" and match.group() not in WORD_PUNCTUATION and after.islower():
            count += 1  # "¶nieg" is "śnieg"; a pilcrow or section sign never opens a word
    return count


def _stray_marks(sample: str) -> int:
    """Combining marks of a script (a Hebrew point, an Arabic vowel sign, a
    Thai tone mark) that follow no letter of their script: a stray byte
    read in that script's code page."""
    count = 0
    for match in NON_ASCII_MARK.finditer(sample):
        script = _script(match.group())
        if script in ("COMBINING", "VARIATION", "ZERO"):
            continue  # marks that go on any letter
        at = match.start()
        before = sample[at - 1] if at else " "
        while at > 1 and unicodedata.category(before).startswith("M"):
            at -= 1
            before = sample[at - 1]
        if not before.isalpha() or _script(before) != script:
            count += 1
    return count


def _misshapen_words(sample: str) -> int:
    """Letters in word shapes no language writes: a capital beyond ASCII right
    after a small letter ("cafÕ"), a Cyrillic word of small letters without a
    vowel ("йщйбд": Hebrew read as cp1251), a Hebrew final letter inside a
    word (Cyrillic read as cp1255)."""
    count = 0
    for word in LETTER_RUN.findall(sample):
        if word.isascii():
            continue
        count += sum(1 for a, b in itertools.pairwise(word) if a.islower() and b.isupper() and not b.isascii())
        first = _script(word[0])
        if first == "CYRILLIC" and len(word) > 1 and word.islower() and not CYRILLIC_VOWELS.search(word):
            count += len(word)
        elif first == "HEBREW":
            count += len(HEBREW_FINAL_INSIDE.findall(word))
    return count


def _foreign_letters(sample: str) -> int:
    """Non-Latin letters inside a word with Latin letters ("cafй"), or alone
    as a one-letter word in a text whose letters are mostly Latin."""
    mixed = lone = latin = other = 0
    for word in LETTER_RUN.findall(sample):
        foreign = sum(1 for c in word if not c.isascii() and _script(c) != "LATIN")
        other += foreign
        latin += len(word) - foreign
        if foreign and foreign < len(word):
            mixed += foreign
        elif foreign == 1 and len(word) == 1:
            lone += 1
    return mixed + (lone if latin > 4 * other else 0)


@lru_cache(maxsize=1)
def _frequent_letters() -> frozenset[str]:
    from charset_normalizer.constant import FREQUENCIES

    # Romanian written with the cedilla forms of ș and ț (cp1250, ISO 8859-2) is Romanian too.
    return frozenset(c for letters in FREQUENCIES.values() for c in letters if not c.isascii()) | {"ş", "ţ"}


def _lower(letter: str) -> str:
    """A letter in small case; "İ" (whose small form is two characters) as "i"."""
    small = letter.lower()
    return small if len(small) == 1 else "i" if letter == "İ" else letter


def commonness(text: str) -> float:
    """The share of a reading's letters beyond ASCII that are among the most
    frequent letters of some language (charset_normalizer's FREQUENCIES, the
    26 commonest per language): "ğ ı ş" of Turkish are, the "ð ý þ" that
    cp1252 makes of the same bytes are not. 1.0 when there are none (CJK
    letters are not counted)."""
    # Han, kana and Hangul have thousands of letters: 26 tell nothing.
    letters = [_lower(c) for c in text[:SCORE_CHARS] if not c.isascii() and c.isalpha() and _script(c) != "CJK"]
    if not letters:
        return 1.0
    frequent = _frequent_letters()
    return sum(1 for c in letters if c in frequent or c.isascii()) / len(letters)
