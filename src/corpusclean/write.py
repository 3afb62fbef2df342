"""Write JSONL atomically: a temporary file beside the target, renamed into place.

Only this module knows the output format. `-` writes to stdout. A suffix of
.gz, .bz2, .xz or .zst compresses the output.
"""

from __future__ import annotations

import bz2
import codecs
import glob
import gzip
import io
import json
import lzma
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import zstandard

from .document import Document


def record_metadata(doc: Document) -> dict[str, Any]:
    """The output record's metadata: the usual fields first, then the rest by name."""
    metadata = {k: doc.metadata.get(k) for k in ("outlet", "url", "author", "date", "revisions")}
    metadata.update({k: v for k, v in sorted(doc.metadata.items()) if k not in metadata})
    return metadata


def document_record(doc: Document) -> dict[str, Any]:
    """The output record of a cleaned document."""
    text = doc.text
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "text": text,
        "metadata": record_metadata(doc),
        "stats": _stats(doc, len(text)),
    }


def _stats(doc: Document, chars_out: int) -> dict[str, Any]:
    return {
        "chars_in": doc.chars_in,
        "chars_out": chars_out,
        "lines_removed": len({r.pos for r in doc.removals if r.stage != "dedup"}),
        "paragraphs_deduplicated": doc.counters.get("paragraphs_deduplicated", 0),
        # News-diff rows only one version holds (deleted or inserted), kept.
        "paragraphs_single_version": sum(p.single_version for p in doc.paragraphs),
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


# The output's encoding: a lone surrogate becomes its \\udXXX escape, which
# inside a JSON string is valid JSON (see atomic_writer).
ENCODING, ERRORS = "utf-8", "backslashreplace"
# Text gathered before it is escaped and encoded in one call (record_bytes),
# and bytes copied at a time (copy_encoded).
PIECE_CHARS = 1 << 20
CHUNK = 1 << 20


def record_bytes(doc: Document) -> Iterator[bytes]:
    """The bytes the output file gets for `doc`'s record (dumps(document_record(doc))
    encoded as atomic_writer encodes it), in pieces of about PIECE_CHARS
    characters: the text is escaped a run of paragraphs at a time and never
    built whole, so a long document's record costs a piece, not its size.

    JSON escapes a string character by character, so the escaped pieces
    joined are the escaped text; and dumps() writes a dict's items in order,
    so the record is its items before "text", the text, and the items after.
    """
    head = dumps({"id": doc.id, "source": doc.source, "title": doc.title})
    tail = dumps({"metadata": record_metadata(doc), "stats": _stats(doc, doc.text_chars)})
    yield (head[:-2] + ', "text": "').encode(ENCODING, ERRORS)
    gathered: list[str] = []
    size = 0
    for piece in doc.text_pieces():
        gathered.append(piece)
        size += len(piece)
        if size >= PIECE_CHARS:
            yield _escaped("".join(gathered))
            gathered, size = [], 0
    if gathered:
        yield _escaped("".join(gathered))
    yield ('", ' + tail[1:]).encode(ENCODING, ERRORS)


def _escaped(text: str) -> bytes:
    """`text` as it stands inside a JSON string of the output, encoded."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode(ENCODING, ERRORS)


def copy_encoded(source: IO[bytes], size: int, out: IO[str]) -> None:
    """Write `size` bytes of output (as record_bytes gives them) from `source`
    to the text stream `out`, a CHUNK at a time. They are decoded and
    encoded again by `out`, which gives back the same bytes: a stream that
    compresses is then never flushed mid-stream, so its bytes are those of
    writing the record as one string."""
    decoder = codecs.getincrementaldecoder(ENCODING)()
    while size > 0:
        chunk = source.read(min(CHUNK, size))
        if not chunk:
            raise OSError(f"{getattr(source, 'name', 'spill')}: ends {size:,} bytes early")
        size -= len(chunk)
        out.write(decoder.decode(chunk, final=size <= 0))


def _compressed(raw: IO[bytes], path: str) -> IO[bytes]:
    """A compressing layer over `raw` chosen by suffix; closing it leaves `raw` open."""
    if path.endswith(".gz"):
        # mtime=0 keeps the compressed bytes identical from run to run.
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)  # type: ignore[return-value]
    if path.endswith(".bz2"):
        return bz2.BZ2File(raw, "wb")
    if path.endswith(".xz"):
        return lzma.LZMAFile(raw, "wb")
    if path.endswith(".zst"):
        writer: IO[bytes] = zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
        return writer
    return raw


class OutputError(OSError):
    """An output file that cannot be written; the message names it."""


# Temporary files are named ".<target>.<TEMP_TAG>-<pid>.<random>.tmp" beside
# the target, so that one left by a killed run (SIGKILL leaves no chance to
# clean up) is recognisable and removed by the next run that writes the same
# target, once its process is gone.
TEMP_TAG = "corpusclean"


class _TempFile(io.FileIO):
    """The temporary file; a failed write (a full disk) names the target."""

    def __init__(self, fd: int, target: str) -> None:
        super().__init__(fd, "wb")
        self.target = target

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            raise _error(self.target, exc) from None


def _error(path: str, exc: OSError) -> OutputError:
    if isinstance(exc, OutputError):
        return exc
    return OutputError(f"{path}: cannot write output: {(exc.strerror or str(exc)).lower()}")


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete temporary files of `target` left by runs that were killed; return them."""
    removed = []
    folder = target.parent
    for candidate in folder.glob(f".{glob.escape(target.name)}.{TEMP_TAG}-*.tmp"):
        pid = candidate.name[len(target.name) + len(TEMP_TAG) + 3 :].split(".", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            with suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def alive(pid: int) -> bool:
    """Whether process `pid` exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _mode_for(target: Path) -> int:
    """The mode a plain open() would give: the old file's, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_output(path: str | None) -> None:
    """Fail before any work if `path` cannot be an output file (None and '-' pass)."""
    if path is None or path == "-":
        return
    target = Path(path)
    if not target.parent.is_dir():
        raise OutputError(f"{path}: cannot write output: folder {target.parent} does not exist")
    if target.is_dir():
        raise OutputError(f"{path}: cannot write output: it is a folder")


class OutputConflict(ValueError):
    """Outputs that would overwrite each other or an input: a usage error, found before any work."""


def _same(a: str, b: str) -> bool:
    """Whether two paths name one file: the same resolved path (links count), or one inode (hard links)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs(outputs: dict[str, str | None], inputs: Sequence[str]) -> list[str]:
    """Refuse outputs that would clobber each other or an input; return notes.

    `outputs` maps an option's name (`-o`, `--audit`, `--report`) to its
    path or None. At most one may be '-' (stdout): two streams in one pipe
    cannot be told apart. No two may be the same file, and none may be an
    input file, compared as resolved paths and inodes, so links count.
    An output inside an input folder is fine (the walk leaves it out): the
    note returned says so. Raises OutputConflict with a one-line message.
    """
    given = [(option, path) for option, path in outputs.items() if path is not None]
    stdout = [option for option, path in given if path == "-"]
    if len(stdout) > 1:
        raise OutputConflict(f"{' and '.join(stdout)} are both '-': stdout can take only one of them")
    files = [(option, path) for option, path in given if path != "-"]
    for i, (option, path) in enumerate(files):
        for other, other_path in files[:i]:
            if _same(path, other_path):
                raise OutputConflict(f"{other} and {option} name the same file ({_shown(path)})")
    notes = []
    for option, path in files:
        for source in inputs:
            if source == "-" or not os.path.lexists(source):
                continue
            if os.path.isdir(source):
                folder = os.path.realpath(source)
                if os.path.realpath(path).startswith(folder.rstrip(os.sep) + os.sep):
                    notes.append(
                        f"{_shown(path)} ({option}) is inside the input folder {_shown(source)}; the walk leaves it out"
                    )
            elif _same(path, source):
                raise OutputConflict(f"{option} {_shown(path)} is also an input: it would be overwritten")
    return notes


def _shown(path: str) -> str:
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


@contextmanager
def atomic_writer(path: str) -> Iterator[IO[str]]:
    """A text stream whose content replaces `path` only when the block succeeds.

    The bytes go to a temporary file beside the target, which is flushed to
    disk and renamed over the target at the end: a reader sees the old file
    or the new one, never a part. On any exception (Ctrl-C and SIGTERM
    included) the temporary file is removed and the target left as it was.
    """
    if path == "-":
        # Over stdout's bytes: UTF-8 whatever the locale, and a lone surrogate
        # (a JSON record's "\\ud800") written as its \\udXXX escape, which in a
        # JSON string is valid JSON (the output stays valid UTF-8).
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream put in place of stdout (a notebook)
            yield sys.stdout
            return
        out = io.TextIOWrapper(buffer, encoding=ENCODING, errors=ERRORS, newline="\n")
        try:
            yield out
            out.flush()
        finally:
            with suppress(OSError, ValueError):  # a closed pipe: the run ends anyway
                out.detach()  # leaves stdout open
        return
    check_output(path)
    target = Path(path)
    folder = target.parent
    remove_stale_temps(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{TEMP_TAG}-{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _error(path, exc) from None
    raw = _TempFile(fd, path)

    def discard() -> None:
        with suppress(OSError):
            raw.close()
        with suppress(OSError):
            os.unlink(tmp)

    try:
        os.chmod(tmp, _mode_for(target))
        buffered = io.BufferedWriter(raw, 1 << 16)
        stream = _compressed(buffered, path)
        # A lone surrogate becomes its \\udXXX escape: valid JSON inside a string.
        text = io.TextIOWrapper(stream, encoding=ENCODING, errors=ERRORS, newline="\n")
        yield text
    except BaseException:
        discard()
        raise
    try:
        text.flush()
        text.detach()
        if stream is not buffered:
            stream.close()  # writes the end of the compressed stream
        buffered.flush()
        os.fsync(raw.fileno())
        raw.close()
        os.replace(tmp, target)
    except BaseException as exc:
        discard()
        if isinstance(exc, OSError):
            raise _error(path, exc) from None
        raise
