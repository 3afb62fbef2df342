"""Bytes to text: which encoding a file is in, and its decoding.

Part of the read stage (only read.py calls it). The order: a byte-order mark;
an encoding the user pinned; UTF-16/UTF-32 without a byte-order mark (from
where the NUL bytes fall); UTF-8; UTF-8 with a few stray bytes (read as
Windows-1252, as browsers and ftfy do); else the legacy code page that
charset detection proposes, checked for plausibility.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ftfy.bad_codecs  # noqa: F401 (registers "sloppy-windows-1252")


class DecodeError(ValueError):
    """Bytes that are no text: `reason` is 'binary' or 'undecodable', `detail` one line."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, the encoding that produced it, and where bytes were repaired.

    `encoding` is Python's canonical codec name ("utf-8", "cp1250",
    "utf-16-le", "shift_jis"). `repaired` holds the offsets in `text` of the
    characters that stood for invalid UTF-8 bytes (one character per byte,
    read as Windows-1252).
    """

    text: str
    encoding: str
    repaired: tuple[int, ...] = ()


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 8192
# Control bytes that text never holds (tab, newlines, form feed and ESC aside).
# A file opening with more than BINARY_CONTROL_SHARE of them is binary.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
BINARY_CONTROL_SHARE = 0.05
# Invalid UTF-8 bytes, as Python's surrogateescape error handler leaves them.
ESCAPED = re.compile("[\udc80-\udcff]")
# A valid multi-byte UTF-8 sequence (RFC 3629's well-formed byte sequences,
# loosely: the decoder has the last word).
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# The stray bytes of a mostly-UTF-8 file are read as Windows-1252, the
# WHATWG's decoding for bytes that are not UTF-8 and ftfy's
# decode_inconsistent_utf8; its five undefined bytes become C1 controls.
STRAY_CODEC = "sloppy-windows-1252"
# ASCII text with stray bytes (`_stray_bytes`): at most 1 byte in 100 beyond
# ASCII, each alone. Accented Latin text has more (French about 2-4 in 100,
# Czech, Polish or Hungarian 6-10); text in any other script far more.
HIGH_BYTE = re.compile(rb"[\x80-\xff]")
HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")
STRAY_SHARE = 0.01
# The legacy encodings of the web (the WHATWG Encoding Standard's list, which
# browsers implement), with the Python codecs that are their exact or near
# twins (cp932 for Shift_JIS, cp949 for EUC-KR, cp936 for GBK, latin-1 for
# windows-1252's ISO name). Detection's other proposals (hp_roman8, cp775,
# mac_iceland) read Western text into look-alikes more often than they find
# a real file in them.
WEB_LEGACY = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp866",
        *(f"iso8859_{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        "koi8_r",
        "koi8_u",
        "mac_roman",
        "mac_cyrillic",
        "cp874",
        *(f"cp125{n}" for n in range(9)),
        "gbk",
        "cp936",
        "gb18030",
        "big5",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "shift_jis",
        "cp932",
        "euc_kr",
        "cp949",
    )
)
# The standard names of East Asian encodings, reported rather than their
# Microsoft supersets (cp932, cp949, cp936) when both read a file alike.
STANDARD_NAMES = frozenset(codecs.lookup(n).name for n in ("shift_jis", "euc_jp", "euc_kr", "gbk", "gb18030", "big5"))
# Every web encoding is tried beside charset detection's proposals (after
# them, in this order), so that a short file that detection gives up on, or
# proposes a non-web twin for (euc_jis_2004 for EUC-JP), still gets its right
# reading. Decoding is a C loop; only a SCORE_CHARS sample of each reading is scored.
COMMON_LEGACY = tuple(sorted(WEB_LEGACY))
# A candidate decoding messier than this (charset_normalizer's mess ratio,
# its own default threshold) is not text in that encoding.
MAX_MESS = 0.2
# Readings whose implausibility plus mess differ by less than this step tie
# (charset_normalizer's mess ratio moves by about 0.03 for one symbol after
# a digit, "5€"; a wrong code page for Czech or Hungarian text scores 0.1 to
# 0.5 above the right one on the test corpus).
TIE = 0.05
# Characters scored per candidate decoding: enough to judge, bounded cost.
SCORE_CHARS = 1 << 13

# The letters beyond ASCII that each language written in the Latin script
# uses (its standard orthography). A reading of a legacy file whose accented
# letters all belong to one of these alphabets is plausible; "fogaskerekû"
# (Hungarian read as cp1252) or "Braºov" (Romanian read as cp1252) are not.
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
    "àáâãèéêìíòóôõùúýăđĩũơư",  # Vietnamese (base letters)
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
CYRILLIC_VOWELS = re.compile("[аеёиоуыэюяіїєў]")
HEBREW_FINAL_INSIDE = re.compile("[ךםןףץ](?=[\u05d0-\u05ea])")
# Korean is written with a space between words (a word is a few syllables);
# a longer run of Hangul is Japanese or Chinese bytes read in a Korean code page.
LONG_HANGUL = re.compile(r"[\uac00-\ud7a3]{13,}")


def decode(
    data: bytes, preferred: Sequence[str] = ("cp1252",), pinned: str | None = None, pinned_by: str = "input.encoding"
) -> Decoded:
    """Decode a file's bytes (see the module docstring for the order).

    `preferred` are legacy encodings that win a tie with the most plausible
    reading (or decode the file to the same text); `pinned` is an encoding
    the user chose for this file (a Python codec name), used without
    detection; `pinned_by` names the config key that chose it. Raises
    DecodeError for binary or undecodable data.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if pinned is not None:
        name = codecs.lookup(pinned).name
        if name == "utf-8":
            return _utf8_repaired(data)
        if not name.startswith(("utf-16", "utf-32")) and looks_binary(data):
            raise DecodeError("binary", "binary file, not text (NUL or control bytes)")
        return _strict(data, name, f" (pinned by {pinned_by})")
    if looks_binary(data):
        # NUL and control bytes are also what UTF-16 and UTF-32 look like.
        wide = _utf16_or_32(data)
        if wide is not None:
            return wide
        raise DecodeError("binary", "binary file, not text (NUL or control bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _utf8_repaired(data)
    if _stray_bytes(data):
        return _stray_legacy(data, preferred)
    legacy = _legacy(data, preferred)
    if legacy is not None:
        return legacy
    # UTF-16 of CJK text without one ASCII character has no NUL byte at all.
    wide = _utf16_or_32(data)
    if wide is not None:
        return wide
    if sum(b >= 0x80 for b in data) <= 0.05 * len(data):
        # ASCII with a few bytes no code page reads plausibly: keep the text,
        # the few bytes read as Windows-1252 and counted as repaired.
        return _utf8_repaired(data)
    raise DecodeError("undecodable", "undecodable bytes: not UTF-8 and no text encoding fits")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the opening: not text in any 8-bit encoding."""
    head = data[:SNIFF_BYTES]
    return b"\x00" in head or len(CONTROL_BYTES.findall(head)) > BINARY_CONTROL_SHARE * len(head)


def check_codec(name: str) -> str:
    """The canonical name of a text codec Python knows; ValueError if it is none."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (a Python codec name such as cp1251 or shift_jis)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is not a text encoding")
    return info.name


def _strict(data: bytes, encoding: str, why: str = "") -> Decoded:
    try:
        return Decoded(data.decode(encoding), codecs.lookup(encoding).name)
    except UnicodeDecodeError as exc:
        raise DecodeError("undecodable", f"undecodable bytes: not valid {encoding} at byte {exc.start}{why}") from None


def _utf8_repaired(data: bytes) -> Decoded:
    """UTF-8 with each invalid byte read as its Windows-1252 character."""
    text = data.decode("utf-8", errors="surrogateescape")
    positions = tuple(m.start() for m in ESCAPED.finditer(text))
    if positions:
        text = ESCAPED.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode(STRAY_CODEC), text)
    return Decoded(text, "utf-8", positions)


def _mostly_utf8(data: bytes) -> bool:
    """More valid multi-byte UTF-8 sequences than invalid bytes: a UTF-8 file
    with a few stray bytes pasted in. A legacy code page file has almost no
    valid sequences (its accented letters are lone high bytes)."""
    valid = len(UTF8_SEQUENCE.findall(data))
    if not valid:
        return False
    text = data.decode("utf-8", errors="surrogateescape")
    return len(ESCAPED.findall(text)) <= valid


def _stray_bytes(data: bytes) -> bool:
    """ASCII text with a few stray bytes: at most STRAY_SHARE of the bytes are
    beyond ASCII and no two of them are adjacent. Text in a non-Latin script
    has its letters side by side; text with so few accents is no evidence
    for any code page but the preferred one."""
    high = HIGH_BYTE.findall(data)
    return len(high) <= STRAY_SHARE * len(data) and not HIGH_PAIR.search(data)


def _stray_legacy(data: bytes, preferred: Sequence[str]) -> Decoded:
    """The first preferred encoding that decodes the bytes, else Windows-1252
    with its undefined bytes as C1 controls (browsers' reading)."""
    for encoding in preferred:
        try:
            return Decoded(data.decode(encoding), codecs.lookup(encoding).name)
        except UnicodeDecodeError:
            continue
    return Decoded(data.decode(STRAY_CODEC), "cp1252")


def _utf16_or_32(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 without a byte-order mark, from where the NUL bytes fall.

    In UTF-16 text most NUL bytes are the high byte of a character below
    U+0100 (ASCII spaces, digits, line breaks), so NULs fall mostly on odd
    offsets (little-endian) or on even ones (big-endian); in UTF-32 the top
    byte of every character is NUL. The reading must then decode
    strictly and look like text (see `_plausible`).
    """
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 4]
    tries: list[str] = []
    if len(data) % 4 == 0:
        if not any(head[3::4]) and any(head[0::4]):
            tries.append("utf-32-le")
        if not any(head[0::4]) and any(head[3::4]):
            tries.append("utf-32-be")
    if len(data) % 2 == 0:
        # A character whose low byte is 0 (U+4E00) puts a NUL on the other side.
        # The side with more NULs is tried first: ASCII read with the wrong
        # byte order is CJK ideographs, which would pass as text.
        odd, even = head[1::2].count(0), head[0::2].count(0)
        tries += ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
    for encoding in tries:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return Decoded(text, encoding)
    return None


def _plausible(text: str) -> bool:
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
    symbols glued to a word; words of impossible shape (`_misshapen_words`); Hangul runs too long for a Korean word; rare characters (`_rare`).
    """
    sample = text[:SCORE_CHARS]
    high = [c for c in sample if ord(c) > 0x7F]
    if not high:
        return 0.0
    letters = Counter(_lower(c) for c in high if c.isalpha())
    penalty = sum(1 for c in high if _rare(c))
    penalty += _symbols_in_words(sample)
    penalty += _misshapen_words(sample)
    penalty += sum(len(run) for run in LONG_HANGUL.findall(sample))
    if letters:
        total = sum(letters.values())
        scripts: Counter[str] = Counter()
        for c, n in letters.items():
            scripts[_script(c)] += n
        script, in_script = scripts.most_common(1)[0]
        if script == "LATIN":
            fit = max(sum(n for c, n in letters.items() if c in alphabet) for alphabet in LATIN_ALPHABETS)
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


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


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


def _legacy(data: bytes, preferred: Sequence[str]) -> Decoded | None:
    """The most plausible reading among charset detection's proposals and the
    common code pages; a preferred encoding wins a tie.

    Each distinct reading is ranked by implausibility plus charset_normalizer's
    mess ratio (in steps of TIE: a smaller difference is a tie), then by the
    commonness of its letters (in quarters), then by preference, then by
    its coherence (how well letter frequencies fit a language), then by
    detection's own order (its best guess first). Readings that decode to
    the same text are one candidate, named by a preferred encoding if one of
    them is, else by a standard name (STANDARD_NAMES) if one of them has one.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    matches = from_bytes(data)
    order: list[str] = []
    coherence: dict[str, float] = {}
    mess: dict[str, float] = {}
    for match in matches:
        order.append(match.encoding)
        coherence[match.encoding] = match.coherence
        mess[match.encoding] = match.chaos
    for encoding in [*preferred, *COMMON_LEGACY]:
        if encoding not in order:
            order.append(encoding)
    readings: dict[str, list[str]] = {}  # text -> encodings that give it
    for encoding in order:
        if encoding not in preferred and _canonical(encoding) not in WEB_LEGACY:
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        readings.setdefault(text, []).append(encoding)
    preferred_names = [codecs.lookup(p).name for p in preferred]
    best: tuple[tuple[int, int, int, float, int], str, str] | None = None
    for text, encodings in readings.items():
        names = [codecs.lookup(e).name for e in encodings]
        chaos = min((mess[e] for e in encodings if e in mess), default=None)
        if chaos is None:
            chaos = mess_ratio(text[:SCORE_CHARS], maximum_threshold=1.0)
        if chaos > MAX_MESS:
            continue
        fit = max((coherence.get(e, 0.0) for e in encodings), default=0.0)
        rank = next((i for i, p in enumerate(preferred_names) if p in names), len(preferred_names))
        standard = [n for n in names if n in STANDARD_NAMES]
        name = preferred_names[rank] if rank < len(preferred_names) else (standard or names)[0]
        key = (
            int((implausibility(text) + chaos) / TIE),
            -round(commonness(text) * 4),
            rank,
            -round(fit, 2),
            order.index(encodings[0]),
        )
        if best is None or key < best[0]:
            best = (key, text, name)
    if best is None:
        return None
    return Decoded(best[1], best[2])
