"""Write JSONL atomically: a temporary file beside the target, renamed into place.

Only this module knows the output format. `-` writes to stdout. A suffix of
.gz, .bz2 or .xz compresses the output.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .document import Document


def document_record(doc: Document) -> dict[str, Any]:
    """The output record of a cleaned document."""
    metadata = {k: doc.metadata.get(k) for k in ("outlet", "url", "author", "date", "revisions")}
    metadata.update({k: v for k, v in sorted(doc.metadata.items()) if k not in metadata})
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "text": doc.text,
        "metadata": metadata,
        "stats": {
            "chars_in": doc.chars_in,
            "chars_out": len(doc.text),
            "lines_removed": len({r.pos for r in doc.removals if r.stage != "dedup"}),
            "paragraphs_deduplicated": doc.counters.get("paragraphs_deduplicated", 0),
            # News-diff rows only one version holds (deleted or inserted), kept.
            "paragraphs_single_version": sum(p.single_version for p in doc.paragraphs),
        },
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def _compressed(raw: IO[bytes], path: str) -> IO[bytes]:
    if path.endswith(".gz"):
        # mtime=0 keeps the compressed bytes identical from run to run.
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)  # type: ignore[return-value]
    if path.endswith(".bz2"):
        return bz2.BZ2File(raw, "wb")
    if path.endswith(".xz"):
        return lzma.LZMAFile(raw, "wb")
    return raw


class OutputError(OSError):
    """An output file that cannot be written; the message names it."""


@contextmanager
def atomic_writer(path: str) -> Iterator[IO[str]]:
    """A text stream whose content replaces `path` only when the block succeeds."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write output: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write output: {exc.strerror}") from None
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            _compressed(raw, path) as stream,
            io.TextIOWrapper(stream, encoding="utf-8", newline="\n") as text,
        ):
            yield text
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
