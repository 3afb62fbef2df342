"""Find input files and turn their bytes into Documents.

Only this module touches input bytes. A file that cannot be read becomes a
Skip with a one-line reason; it never stops the run.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import json
import lzma
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .document import Document

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that produced no document, and why."""

    source: str
    reason: str
    detail: str

    def message(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read ('-' for stdin) and the name it is reported under."""

    path: str
    display: str


class InputError(ValueError):
    """A command-line path that does not exist: a usage error, raised before any work."""


def discover(paths: list[str], include_hidden: bool = False) -> Iterator[Source | Skip]:
    """Yield every input file below `paths`, folders walked in sorted order."""
    for given in paths:
        if given == "-":
            yield Source("-", "<stdin>")
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, include_hidden, set())
        elif path.exists() or path.is_symlink():
            yield _file_or_skip(path)
        else:
            raise InputError(f"{given}: no such file or directory")


def check_paths(paths: list[str]) -> None:
    """Fail before any work starts if a command-line path does not exist."""
    for given in paths:
        if given != "-" and not os.path.lexists(given):
            raise InputError(f"{given}: no such file or directory")


def _walk(folder: Path, include_hidden: bool, seen: set[tuple[int, int]]) -> Iterator[Source | Skip]:
    try:
        st = folder.stat()
    except OSError as exc:
        yield Skip(str(folder), "unreadable", f"cannot read folder: {exc.strerror}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Skip(str(folder), "symlink-loop", "symlink loop, folder already visited")
        return
    seen = seen | {key}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Skip(str(folder), "unreadable", f"cannot read folder: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith(".") and not include_hidden:
            continue
        path = Path(entry.path)
        if entry.is_dir():
            yield from _walk(path, include_hidden, seen)
        else:
            yield _file_or_skip(path)


def _file_or_skip(path: Path) -> Source | Skip:
    if path.is_symlink() and not path.exists():
        return Skip(str(path), "broken-symlink", "broken symlink")
    return Source(str(path), str(path))


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


def doc_id_for(display: str) -> str:
    """A document id from its file name, without folder and suffixes."""
    name = os.path.basename(display)
    fmt, compression = split_suffixes(name)
    if compression:
        name = name[: -len(compression)]
    if fmt:
        name = name[: -len(fmt)]
    return name or display


def _open_bytes(source: Source, compression: str) -> BinaryIO:
    raw: BinaryIO = sys.stdin.buffer if source.path == "-" else open(source.path, "rb")  # noqa: SIM115
    if compression == ".gz":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if compression == ".bz2":
        return bz2.BZ2File(raw)  # type: ignore[return-value]
    if compression == ".xz":
        return lzma.LZMAFile(raw)  # type: ignore[return-value]
    if compression == ".zst":
        try:
            import zstandard
        except ImportError:
            raise OSError(0, "reading .zst needs the 'zstandard' package (pip install zstandard)") from None
        return zstandard.ZstdDecompressor().stream_reader(raw)  # type: ignore[no-any-return]
    return raw


def read_bytes(source: Source, max_bytes: int) -> bytes:
    """All bytes of a source, decompressed; raises OSError or ValueError with a reason."""
    _, compression = split_suffixes(source.display)
    with _open_bytes(source, compression) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"larger than input.max_file_bytes ({max_bytes} bytes)")
    return data


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: UTF-8 (BOM honoured), UTF-16 with a BOM, else charset detection.

    Returns (text, encoding). Raises ValueError for binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("undecodable bytes: not UTF-8 and no text encoding fits")
    return str(best), best.encoding


def read_documents(source: Source, cfg: dict[str, Any]) -> Iterator[Document | Skip]:
    """Turn one input into its documents (one per file, one per JSONL line)."""
    fmt, _ = split_suffixes(source.display)
    try:
        data = read_bytes(source, cfg["max_file_bytes"])
    except PermissionError:
        yield Skip(source.display, "unreadable", "permission denied")
        return
    except (OSError, EOFError, lzma.LZMAError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield Skip(source.display, "unreadable", f"cannot read: {detail}")
        return
    except ValueError as exc:
        yield Skip(source.display, "too-large", str(exc))
        return
    if not data.strip():
        yield Skip(source.display, "empty", "empty file")
        return
    try:
        text, encoding = decode(data)
    except ValueError as exc:
        yield Skip(source.display, "binary", str(exc))
        return
    if fmt in JSONL_SUFFIXES:
        yield from _jsonl_documents(source, text, encoding, cfg)
    elif fmt in HTML_SUFFIXES:
        yield _html_document(source, text, encoding)
    else:
        yield _document(doc_id_for(source.display), source.display, text, encoding)


def _document(doc_id: str, source: str, text: str, encoding: str, **metadata: Any) -> Document:
    doc = Document(id=doc_id, source=source, raw=text, chars_in=len(text))
    doc.metadata.update(metadata)
    doc.metadata["encoding"] = encoding
    return doc


def _jsonl_documents(source: Source, text: str, encoding: str, cfg: dict[str, Any]) -> Iterator[Document | Skip]:
    text_field, id_field = cfg["jsonl_text_field"], cfg["jsonl_id_field"]
    base = doc_id_for(source.display)
    for number, line in enumerate(io.StringIO(text), 1):
        if not line.strip():
            continue
        where = f"{source.display}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, "malformed-jsonl", f"line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            yield Skip(where, "malformed-jsonl", f"line {number}: no string field '{text_field}'")
            continue
        doc_id = record.get(id_field)
        doc_id = str(doc_id) if doc_id is not None else f"{base}:{number}"
        yield _document(doc_id, where, record[text_field], encoding)


def _html_document(source: Source, html: str, encoding: str) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    doc_id = doc_id_for(source.display)
    if extracted is None:
        return _document(doc_id, source.display, "", encoding)
    found = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    meta = {k: found.get(k) for k in ("title", "author", "date", "url") if found.get(k)}
    return _document(doc_id, source.display, found.get("text") or "", encoding, **meta)
