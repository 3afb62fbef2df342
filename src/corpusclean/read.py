"""Find input files and turn their bytes into Documents.

Only this module touches input bytes. Formats and compression are taken from
the file name and checked against the content (magic bytes, an HTML or JSONL
opening), so a file whose suffix lies is still read right. A file that cannot
be used becomes a Skip with a one-line reason; it never stops the run.
"""

from __future__ import annotations

import bisect
import bz2
import contextlib
import errno
import fnmatch
import gzip
import io
import itertools
import json
import lzma
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from . import decoding
from .decoding import looks_binary  # noqa: F401 (part of this module's interface)
from .document import Document
from .extract import extract_html

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")
COMPRESSION_NAMES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}
# The magic bytes that open each compressed format. bzip2's is long enough
# ("BZh" + block size + the block magic) that no text file starts with it.
MAGIC = (
    (re.compile(rb"\x1f\x8b\x08"), ".gz"),
    (re.compile(rb"BZh[1-9]1AY&SY"), ".bz2"),
    (re.compile(rb"\xfd7zXZ\x00"), ".xz"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), ".zst"),
)
MAGIC_LEN = 10
# Bytes are read and decompressed this many at a time, so that a file is never
# pulled into memory beyond the configured limits.
CHUNK = 1 << 20
# An HTML page opens with a doctype or an <html>/<head>/<body> tag, perhaps
# after an XML declaration and comments.
HTML_OPENING = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
ANY_TAG = re.compile(r"<[a-zA-Z!/]")
LINE_BREAK = re.compile(r"\r\n?|\n")
SNIFF_BYTES = 8192
# A .jsonl file is read as text only when none of its first lines is a JSON object.
JSONL_SNIFF_LINES = 20
# Encodings that win a tie with charset detection's best reading (the
# default of input.legacy_encodings).
PREFERRED_LEGACY = ("cp1252",)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that produced no document, and why (`reason` is a stable id).
    `unit` says what was skipped: a file, a folder, or a record of a JSONL file."""

    source: str
    reason: str
    detail: str
    unit: str = "file"

    def message(self) -> str:
        return f"{_one_line(self.source)}: {_one_line(self.detail)}"


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read ('-' for stdin), the name it is reported under, and the
    id of its document ('' for one taken from the name: doc_id_for).

    `path` is the name as the OS gives it (undecodable bytes as surrogate
    escapes, so that it opens); `display` and `doc_id` are printable and valid
    UTF-8, bytes that are not UTF-8 written as \\xNN escapes (shown_path).
    """

    path: str
    display: str
    doc_id: str = ""

    @property
    def id(self) -> str:
        return self.doc_id or doc_id_for(self.display)


class InputError(ValueError):
    """A command-line path that does not exist: a usage error, raised before any work."""


class SkipFile(Exception):
    """Reading a file failed in a way that skips it; carries the Skip's reason and detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name) escaped, so a message stays one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file name as written in the output and in messages: valid UTF-8, its
    bytes that are not UTF-8 as \\xNN escapes (`caf\\xe9.txt`), as Python's
    backslashreplace writes them. On POSIX a name is bytes; os.fsencode gives
    them back from the surrogate escapes the OS layer decoded them to."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def check_paths(paths: Sequence[str]) -> None:
    """Fail before any work starts if a command-line path does not exist."""
    for given in paths:
        if given != "-" and not os.path.lexists(given):
            raise InputError(f"{_one_line(shown_path(given))}: no such file or directory")


def unique_ids(items: Iterable[Source | Skip], on_rename: Callable[[str], None]) -> Iterator[Source | Skip]:
    """The inputs with ids made unique in input order: an id met before gets
    the suffix `~2`, `~3`, ... (the first free one), and `on_rename` hears a
    one-line warning naming both files. Input order is sorted, so the suffix
    is the same from run to run."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Source) and item.path != "-":
            doc_id = item.id
            if doc_id in seen:
                n = 2
                while f"{doc_id}~{n}" in seen:
                    n += 1
                renamed = f"{doc_id}~{n}"
                on_rename(
                    f"id {doc_id!r} of {item.display} is also that of {seen[doc_id]}; it is written as {renamed!r}"
                )
                doc_id = renamed
                item = Source(item.path, item.display, doc_id)
            seen[doc_id] = item.display
        yield item


def discover(
    paths: Sequence[str] | str | os.PathLike[str],
    include_hidden: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    outputs: Sequence[str] = (),
) -> Iterator[Source | Skip]:
    """Yield every input below `paths`, folders walked recursively in sorted order.

    `include`/`exclude` are glob patterns for what a folder walk finds: a
    pattern with a '/' is matched against the path below the folder given,
    one without against the name. Files named on the command line are always
    read. Files of `outputs` (this run's output files, and their temporary
    files) are left out of the walk. A document's id is its path below the
    folder given, without the format suffixes (`a/story` for
    `folder/a/story.txt.gz`); a file named on its own has its name for id.
    """
    leave_out = _Outputs(outputs)
    for given in as_paths(paths):
        if given == "-":
            yield Source("-", "<stdin>")
            continue
        path = Path(given)
        if path.is_dir():
            keep = _Filter(include_hidden, tuple(include), tuple(exclude))
            yield from _walk(path, path, keep, frozenset(), leave_out)
        elif os.path.lexists(path):
            yield _file_or_skip(path, walking=False)
        else:
            raise InputError(f"{_one_line(shown_path(given))}: no such file or directory")


def as_paths(paths: Sequence[str] | str | os.PathLike[str]) -> list[str]:
    """A single path (str or Path) or a list of them, as a list of str."""
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


class _Outputs:
    """This run's output files, to be left out of a folder walk: compared as
    resolved paths (links count), with the temporary files written beside
    them (`.<name>.corpusclean-*.tmp`)."""

    def __init__(self, outputs: Sequence[str]) -> None:
        self.real = {os.path.realpath(p) for p in outputs if p and p != "-"}
        self.names = {os.path.basename(p) for p in self.real}

    def __contains__(self, path: str) -> bool:
        if not self.real:
            return False
        name = os.path.basename(path)
        temp = name.startswith(".") and name.endswith(".tmp") and ".corpusclean-" in name
        if name not in self.names and not temp and not os.path.islink(path):
            return False  # the common case: no realpath (a few system calls) needed
        real = os.path.realpath(path)
        if real in self.real:
            return True
        return temp and any(
            real.startswith(os.path.join(os.path.dirname(o), f".{os.path.basename(o)}.corpusclean-")) for o in self.real
        )


@dataclass(frozen=True, slots=True)
class _Filter:
    include_hidden: bool
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def _matches(self, patterns: tuple[str, ...], relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(relative if "/" in p else name, p.strip("/")) for p in patterns)

    def wanted(self, relative: str, is_dir: bool) -> bool:
        if relative.rsplit("/", 1)[-1].startswith(".") and not self.include_hidden:
            return False
        if self._matches(self.exclude, relative):
            return False
        # Include patterns choose files; every folder is walked to find them.
        return is_dir or not self.include or self._matches(self.include, relative)


def _walk(
    root: Path, folder: Path, keep: _Filter, ancestors: frozenset[tuple[int, int]], outputs: _Outputs
) -> Iterator[Source | Skip]:
    try:
        st = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _os_skip(str(folder), exc, "folder")
        return
    key = (st.st_dev, st.st_ino)
    if key in ancestors:
        yield Skip(
            shown_path(folder), "symlink-loop", "symlink loop: the folder contains itself, not walked again", "folder"
        )
        return
    ancestors = ancestors | {key}
    for entry in entries:
        path = Path(entry.path)
        relative = path.relative_to(root).as_posix()
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not keep.wanted(relative, is_dir):
            continue
        if is_dir:
            yield from _walk(root, path, keep, ancestors, outputs)
        elif entry.path not in outputs:
            yield _file_or_skip(path, walking=True, relative=relative)


def _file_or_skip(path: Path, walking: bool, relative: str | None = None) -> Source | Skip:
    """The Source of a file (its id from `relative`, the path below the folder
    given, else from its name), or the Skip that says why it cannot be read."""
    try:
        st = path.stat()
    except OSError as exc:
        return _os_skip(str(path), exc, "file")
    display = shown_path(path)
    # A fifo, socket or device met in a folder would block or never end; one
    # named on the command line (a process substitution) is read.
    if walking and not stat.S_ISREG(st.st_mode):
        return Skip(display, "not-a-file", "not a regular file (a fifo, socket or device)")
    return Source(str(path), display, doc_id_for(shown_path(relative or path.name), keep_folders=True))


def _os_skip(path: str, exc: OSError, what: str) -> Skip:
    display = shown_path(path)
    if exc.errno == errno.ELOOP:
        return Skip(display, "symlink-loop", "symlink loop: the link never reaches a file", what)
    if exc.errno == errno.ENOENT and os.path.islink(path):
        target = shown_path(os.readlink(path))
        return Skip(display, "broken-symlink", f"broken symlink to {target} (it does not exist)", what)
    if isinstance(exc, PermissionError):
        return Skip(display, "unreadable", f"cannot read {what}: permission denied", what)
    return Skip(display, "unreadable", f"cannot read {what}: {exc.strerror or exc}", what)


def split_suffixes(name: str) -> tuple[str, str]:
    """Return (format suffix, compression suffix) of a file name, lowercased."""
    lower = name.lower()
    compression = ""
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            compression = suffix
            lower = lower[: -len(suffix)]
            break
    return os.path.splitext(lower)[1], compression


def doc_id_for(display: str, keep_folders: bool = False) -> str:
    """A document id from its file name without the format and compression
    suffixes (`story` for `story.txt.gz`); with `keep_folders`, `display` is
    the path below the folder given and its folders stay (`a/story`)."""
    folder, name = os.path.split(display) if keep_folders else ("", os.path.basename(display))
    fmt, compression = split_suffixes(name)
    if compression:
        name = name[: -len(compression)]
    if fmt:
        name = name[: -len(fmt)]
    if not name:
        return display
    return f"{folder}/{name}" if folder else name


class _Prefixed(io.RawIOBase):
    """A stream that replays the bytes already read to sniff it, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


class _ZstdReader(io.RawIOBase):
    """zstd frames one after another, decompressed a bounded piece at a time.

    zstandard's own stream reader returns a cut-off frame as if it ended, so
    this one feeds the decompressor small pieces (a zstd block of 128 KiB can
    be stored in a few bytes, so 1 KiB in is at most ~32 MiB out) and calls a
    frame that never ends an error.
    """

    INPUT = 1024

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._decompressor = zstandard.ZstdDecompressor().decompressobj()
        self._in_frame = False
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            data = self._raw.read(self.INPUT)
            if not data:
                if self._in_frame:
                    raise zstandard.ZstdError("the last frame is cut off")
                return 0
            self._pending = memoryview(self._feed(data))
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, data: bytes) -> bytes:
        out = []
        while data:
            self._in_frame = True
            out.append(self._decompressor.decompress(data))
            data = b""
            if self._decompressor.eof:
                data = self._decompressor.unused_data
                self._decompressor = zstandard.ZstdDecompressor().decompressobj()
                self._in_frame = False
        return b"".join(out)


def sniff_compression(head: bytes) -> str:
    """The compression suffix the opening bytes announce, or ''."""
    return next((suffix for magic, suffix in MAGIC if magic.match(head)), "")


def _decompressing(raw: BinaryIO, compression: str) -> BinaryIO:
    """A reader whose read(n) returns at most n decompressed bytes (bounded memory)."""
    if compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if compression == ".bz2":
        return bz2.BZ2File(raw)  # type: ignore[return-value]
    if compression == ".xz":
        return lzma.LZMAFile(raw)  # type: ignore[return-value]
    if compression == ".zst":
        return io.BufferedReader(_ZstdReader(raw), CHUNK)
    return raw


def open_compressed(path: str) -> Iterator[str]:
    """The lines of a UTF-8 file this tool wrote (an output or audit file),
    decompressed by its magic bytes; for `corpusclean report`. Raises OSError."""
    with open(path, "rb") as raw:
        stream = _decompressing(raw, sniff_compression(raw.peek(8)[:8]))
        yield from io.TextIOWrapper(stream, encoding="utf-8", newline="\n")


def read_bytes(source: Source, cfg: dict[str, Any]) -> tuple[bytes, str]:
    """All bytes of a source, decompressed, and the compression found ('' if none).

    Compression is recognised by its magic bytes whatever the suffix says.
    Raises SkipFile for a file too large, a decompression beyond the limit,
    or corrupt compressed data; OSError for a file that cannot be read.
    """
    max_file, max_expanded = cfg["max_file_bytes"], cfg["max_decompressed_bytes"]
    stdin = source.path == "-"
    # stdin belongs to the process: read, never closed.
    with contextlib.nullcontext(sys.stdin.buffer) if stdin else open(source.path, "rb") as raw:
        head = raw.read(MAGIC_LEN)
        compression = sniff_compression(head)
        if not compression and not stdin:
            size = os.fstat(raw.fileno()).st_size
            if size > max_file:
                raise SkipFile("too-large", f"file is {size:,} bytes, over input.max_file_bytes ({max_file:,})")
            if size < CHUNK:  # a small plain file in one read (a chunk-sized buffer per file costs more)
                data = head + raw.read()
                if len(data) > max_file:  # it grew since
                    raise SkipFile("too-large", f"larger than input.max_file_bytes ({max_file:,} bytes)")
                return data, compression
        stream = _decompressing(io.BufferedReader(_Prefixed(head, raw)), compression)
        limit = max_expanded if compression else max_file
        # Gathered in one growing buffer, whose bytes getvalue() hands over
        # without a copy: a list of chunks joined at the end held the file twice.
        gathered = io.BytesIO()
        total = 0
        try:
            while chunk := stream.read(min(CHUNK, limit + 1 - total)):
                gathered.write(chunk)
                total += len(chunk)
                if total > limit:
                    break
        except (EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError, gzip.BadGzipFile) as exc:
            kind = COMPRESSION_NAMES[compression]
            raise SkipFile("corrupt-compressed", f"corrupt or truncated {kind} data ({_describe(exc)})") from None
        except OSError as exc:
            if compression and not isinstance(exc, PermissionError):
                kind = COMPRESSION_NAMES[compression]
                raise SkipFile("corrupt-compressed", f"corrupt or truncated {kind} data ({_describe(exc)})") from None
            raise
    if total > limit:
        if compression:
            raise SkipFile(
                "decompression-limit",
                f"expands beyond input.max_decompressed_bytes ({limit:,} bytes) when decompressed; not read further",
            )
        raise SkipFile("too-large", f"larger than input.max_file_bytes ({limit:,} bytes)")
    return gathered.getvalue(), compression


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def decode(data: bytes, preferred: Sequence[str] = PREFERRED_LEGACY) -> tuple[str, str]:
    """Bytes to (text, encoding): see decoding.decode. Raises SkipFile for binary or undecodable data."""
    try:
        found = decoding.decode(data, preferred)
    except decoding.DecodeError as exc:
        raise SkipFile(exc.reason, exc.detail) from None
    return found.text, found.encoding


def pinned_encoding(display: str, cfg: dict[str, Any]) -> tuple[str | None, str]:
    """The encoding the user pinned for a file, and the config key that pinned it.

    `input.encodings` maps glob patterns to encodings (the first match wins;
    a pattern with a '/' is matched against the end of the path, one without
    against the name); `input.encoding` pins every other file.
    """
    name = display.rsplit("/", 1)[-1]
    for pattern, encoding in (cfg.get("encodings") or {}).items():
        if "/" in pattern:
            if fnmatch.fnmatchcase(display, pattern) or fnmatch.fnmatchcase(display, "*/" + pattern.lstrip("/")):
                return encoding, f"input.encodings[{pattern!r}]"
        elif fnmatch.fnmatchcase(name, pattern):
            return encoding, f"input.encodings[{pattern!r}]"
    return cfg.get("encoding"), "input.encoding"


def _decode_source(source: Source, data: bytes, cfg: dict[str, Any]) -> decoding.Decoded:
    pinned, key = pinned_encoding(source.display, cfg)
    try:
        return decoding.decode(data, cfg["legacy_encodings"], pinned, key)
    except decoding.DecodeError as exc:
        raise SkipFile(exc.reason, exc.detail) from None


def read_documents(source: Source, cfg: dict[str, Any]) -> Iterator[Document | Skip]:
    """Turn one input into its documents (one per file, one per JSONL line)."""
    fmt, _ = split_suffixes(source.display)
    try:
        data, compression = read_bytes(source, cfg)
        if not data:
            raise SkipFile("empty", "empty file")
        decoded = _decode_source(source, data, cfg)
        del data  # the text holds it now: the bytes go before the stages run
        text, encoding, repaired = decoded.text, decoded.encoding, decoded.repaired
        del decoded
        if not text.strip():
            raise SkipFile("empty", "empty file (only whitespace)")
    except SkipFile as exc:
        yield Skip(source.display, exc.reason, exc.detail)
        return
    except OSError as exc:
        yield _os_skip(source.display, exc, "file")
        return
    fmt = sniff_format(fmt, text, cfg["jsonl_text_field"])
    if fmt == "jsonl":
        yield from _jsonl_documents(source, text, encoding, cfg, _repaired_per_line(text, repaired))
        return
    try:
        if fmt == "html":
            doc = _html_document(source, text, encoding, cfg["html"])
        else:
            doc = _document(source.id, source.display, text, encoding)
        _check_lines(doc.raw, cfg["max_line_chars"])
        _count_repairs(doc, len(repaired))
    except SkipFile as exc:
        yield Skip(source.display, exc.reason, exc.detail)
        return
    # The document is cleaned while this generator waits at the yield: it
    # keeps no reference of its own to the text (the document's is released
    # once normalise has cut it into lines).
    del text
    yield doc


def sniff_format(suffix: str, text: str, text_field: str) -> str:
    """'text', 'html' or 'jsonl': the suffix's format unless the content says otherwise."""
    head = text[:SNIFF_BYTES]
    if suffix in JSONL_SUFFIXES:
        lines = [line for line in text[: 1 << 20].splitlines()[: JSONL_SNIFF_LINES * 4] if line.strip()]
        return "jsonl" if any(_json_object(line) is not None for line in lines[:JSONL_SNIFF_LINES]) else "text"
    if suffix in HTML_SUFFIXES:
        return "html" if ANY_TAG.search(text[: 1 << 16]) else "text"
    if HTML_OPENING.match(head):
        return "html"
    first = next((line for line in head.splitlines() if line.strip()), "")
    record = _json_object(first)
    if record is not None and isinstance(record.get(text_field), str):
        return "jsonl"
    return "text"


def _json_object(line: str) -> dict[str, Any] | None:
    if not line.lstrip().startswith("{"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _check_lines(text: str, max_chars: int) -> None:
    """Refuse a text with a line longer than `max_chars` (a minified blob, a dump)."""
    if len(text) <= max_chars:
        return  # the common case: no line can be that long
    start = 0
    for number, found in enumerate(itertools.chain(LINE_BREAK.finditer(text), [None]), 1):
        end = found.start() if found is not None else len(text)
        if end - start > max_chars:
            raise SkipFile(
                "line-too-long",
                f"line {number} has {end - start:,} characters, over input.max_line_chars ({max_chars:,})",
            )
        if found is not None:
            start = found.end()


def _document(doc_id: str, source: str, text: str, encoding: str, **metadata: Any) -> Document:
    doc = Document(id=doc_id, source=source, raw=text, chars_in=len(text))
    doc.metadata.update(metadata)
    doc.metadata["encoding"] = encoding
    doc.count(f"read.encoding.{encoding}")
    return doc


def _count_repairs(doc: Document, repaired: int) -> None:
    """Invalid UTF-8 bytes read as Windows-1252: counted, and named in the metadata."""
    if repaired:
        doc.metadata["encoding_repaired_bytes"] = repaired
        doc.count("read.repaired_bytes", repaired)


def _repaired_per_line(text: str, repaired: Sequence[int]) -> dict[int, int]:
    """Repaired characters per line number (lines as universal newlines count them)."""
    if not repaired:
        return {}
    breaks = [m.end() for m in LINE_BREAK.finditer(text)]
    counts: dict[int, int] = {}
    for offset in repaired:
        number = bisect.bisect_right(breaks, offset) + 1
        counts[number] = counts.get(number, 0) + 1
    return counts


def _jsonl_documents(
    source: Source, text: str, encoding: str, cfg: dict[str, Any], repaired: dict[int, int]
) -> Iterator[Document | Skip]:
    """One document per line; a bad line is skipped with its number, the good ones kept."""
    text_field, id_field, max_chars = cfg["jsonl_text_field"], cfg["jsonl_id_field"], cfg["max_line_chars"]
    base = source.id
    for number, line in enumerate(io.StringIO(text, newline=None), 1):
        if not line.strip():
            continue
        where = f"{source.display}:{number}"
        line = line.rstrip("\r\n")
        if len(line) > max_chars:
            yield Skip(where, "line-too-long", f"{len(line):,} characters, over input.max_line_chars ({max_chars:,})")
            continue
        try:
            record = _without_lone_surrogates(json.loads(line))
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                detail = f"at column {exc.colno}: {re.sub(r' at$', '', exc.msg)}"
            else:
                detail = f"({exc})"
            yield Skip(where, "malformed-jsonl", f"not valid JSON {detail}")
            continue
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            yield Skip(where, "malformed-jsonl", f"no string field '{text_field}' (input.jsonl_text_field)")
            continue
        doc_id = record.get(id_field)
        doc_id = str(doc_id) if doc_id is not None and doc_id != "" else f"{base}:{number}"
        body = record[text_field]
        try:
            _check_lines(body, max_chars)
        except SkipFile as exc:
            yield Skip(where, exc.reason, f"field '{text_field}': {exc.detail}")
            continue
        doc = _document(doc_id, where, body, encoding)
        _count_repairs(doc, repaired.get(number, 0))
        # A record that carries a title or metadata (this tool's own output,
        # read again) keeps them.
        if isinstance(record.get("title"), str) and record["title"]:
            doc.title = record["title"]
        if isinstance(record.get("metadata"), dict):
            for key, value in record["metadata"].items():
                if value is not None and key not in doc.metadata:
                    doc.metadata[str(key)] = value
        yield doc


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """A parsed JSON value with each lone surrogate (JSON's "\\ud800", half
    a pair, which no UTF-8 text can hold) replaced by U+FFFD, as a UTF-8
    decoder replaces a bad byte: the output stays valid UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    return value


def _html_document(source: Source, html: str, encoding: str, cfg: dict[str, Any]) -> Document:
    """The page's main text (see extract.py); its title, author, date and URL as
    metadata, and the visible text extraction left out in the audit."""
    found = extract_html(html, cfg)
    if not found.text.strip():
        raise SkipFile("no-text", "HTML page with no main text that trafilatura could find, and no visible text")
    doc = _document(source.id, source.display, found.text, encoding, **found.metadata)
    doc.title = found.title
    doc.metadata["extraction"] = found.method
    doc.removals.extend(found.removals)
    doc.count("html_visible_chars", found.visible_chars)
    return doc
