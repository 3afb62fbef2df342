"""Bytes to text: which encoding a file is in, and its decoding.

Part of the read stage (only read.py calls it). The order: a byte-order mark;
an encoding the user pinned; UTF-16/UTF-32 without a byte-order mark (from
where the NUL bytes fall); UTF-8; UTF-8 with a few stray bytes (read as
Windows-1252, as browsers and ftfy do); else the most plausible legacy
reading (plausibility.py scores them).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import ftfy.bad_codecs  # noqa: F401 (registers "sloppy-windows-1252")

from .plausibility import SCORE_CHARS, commonness, implausibility, looks_like_text


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
# The escape sequences that switch ISO-2022-JP (RFC 1468) into JIS X 0208.
ISO2022_JP = re.compile(rb"\x1b\$[@B]")
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
# How common each legacy encoding is on the web, most common first (the order
# of W3Techs' character-encoding usage survey, roughly; the rarest ones
# unordered): among equally plausible readings, the likelier code page wins.
WEB_USAGE = tuple(
    codecs.lookup(name).name
    for name in (
        "cp1252",
        "iso8859_1",
        "cp1251",
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "cp949",
        "gbk",
        "gb18030",
        "cp1250",
        "iso8859_2",
        "big5",
        "cp1256",
        "cp1254",
        "iso8859_9",
        "iso8859_15",
        "cp1253",
        "iso8859_7",
        "cp874",
        "cp1255",
        "iso8859_8",
        "koi8_r",
        "cp1257",
        "iso8859_13",
        "iso8859_5",
        "koi8_u",
        "cp866",
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
    if ISO2022_JP.search(data[:SNIFF_BYTES]):
        # Seven-bit Japanese: valid ASCII, so it must be recognised before UTF-8.
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(data.decode("iso2022_jp"), "iso2022_jp")
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


# Han, kana, Hangul and their punctuation.
_EAST_ASIAN = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _utf16_or_32(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 without a byte-order mark, from where the NUL bytes fall.

    In UTF-16 text most NUL bytes are the high byte of a character below
    U+0100 (ASCII spaces, digits, line breaks), so NULs fall mostly on odd
    offsets (little-endian) or on even ones (big-endian); in UTF-32 the top
    byte of every character is NUL. The reading must then decode
    strictly and look like text (see plausibility.looks_like_text).
    """
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 4]
    tries: list[str] = []
    if len(data) % 4 == 0:
        if not any(head[3::4]) and any(head[0::4]):
            tries.append("utf-32-le")
        if not any(head[0::4]) and any(head[3::4]):
            tries.append("utf-32-be")
    odd = even = 0
    if len(data) % 2 == 0:
        # A character whose low byte is 0 (U+4E00) puts a NUL on the other side.
        # The side with more NULs is tried first: ASCII read with the wrong
        # byte order is CJK ideographs, which would pass as text.
        # Where NULs fall on one side only, only that byte order is read: a
        # binary blob with a stray NUL must not pass as ideographs.
        odd, even = head[1::2].count(0), head[0::2].count(0)
        majority = ["utf-16-le"] if odd > even else ["utf-16-be"] if even > odd else ["utf-16-le", "utf-16-be"]
        tries += majority
    for encoding in tries:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return Decoded(text, encoding)
    if len(data) % 2 == 0 and odd != even and max(odd, even) <= 2:
        # Only a NUL or two pointed the way, and in CJK text a NUL can be the
        # low byte of U+4E00, U+5F00...: the other order is read too, and
        # must then be CJK or Hangul almost throughout.
        other = "utf-16-be" if odd > even else "utf-16-le"
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(other)
            core = text.strip()
            if core and len(_EAST_ASIAN.findall(core)) >= 0.9 * len(core) and looks_like_text(text):
                return Decoded(text, other)
    return None


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _legacy(data: bytes, preferred: Sequence[str]) -> Decoded | None:
    """The most plausible reading among charset detection's proposals and the
    common code pages; a preferred encoding wins a tie.

    Each distinct reading is ranked by implausibility plus charset_normalizer's
    mess ratio (in steps of TIE: a smaller difference is a tie), then by the
    commonness of its letters (in quarters), then by preference, then by
    how common the encoding is on the web (WEB_USAGE), then by its coherence (how well letter frequencies fit a language), then by
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
    best: tuple[tuple[int, int, int, int, float, int], str, str] | None = None
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
            min((WEB_USAGE.index(n) for n in names if n in WEB_USAGE), default=len(WEB_USAGE)),
            -round(fit, 2),
            order.index(encodings[0]),
        )
        if best is None or key < best[0]:
            best = (key, text, name)
    if best is None:
        return None
    return Decoded(best[1], best[2])
