"""A one-line progress bar for long runs: files, documents, MB/s and ETA.

The CLI shows it only when stderr is a terminal and -q is not given; a CI log
or a redirected stderr stays free of carriage-return noise. Totals come from a
quick walk of the inputs before the run (sizes only, nothing is read), so the
ETA is bytes left over the bytes-per-second rate so far.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

from .read import Source, discover

# Redraw at most this often: drawing per document would cost more than the work
# on small files.
REDRAW_SECONDS = 0.2
BAR_WIDTH = 24


def input_size(path: str) -> int:
    """Bytes of an input file on disk; 0 for stdin or a file that has gone."""
    if not path or path == "-":
        return 0
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def survey(paths: list[str], include_hidden: bool = False) -> tuple[int, int]:
    """The number of inputs and their total size in bytes."""
    files = total = 0
    for item in discover(paths, include_hidden):
        files += 1
        if isinstance(item, Source):
            total += input_size(item.path)
    return files, total


def format_eta(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts finished inputs and redraws one status line on `stream`."""

    def __init__(self, stream: TextIO, total_files: int, total_bytes: int) -> None:
        self.stream = stream
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.files = 0
        self.documents = 0
        self.bytes = 0
        self.started = time.monotonic()
        self.drawn = 0.0
        self.width = 0

    def advance(self, nbytes: int, documents: int) -> None:
        """One input of `nbytes` is done, giving `documents` documents (or a skip)."""
        self.files += 1
        self.documents += documents
        self.bytes += nbytes
        now = time.monotonic()
        if now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self.draw(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.bytes / elapsed
        done = min(self.bytes / self.total_bytes, 1.0) if self.total_bytes else self.files / max(self.total_files, 1)
        filled = int(done * BAR_WIDTH)
        eta = format_eta((self.total_bytes - self.bytes) / rate) if rate > 0 and self.total_bytes else "-:--:--"
        return (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:4.0%}  "
            f"{self.files:,}/{self.total_files:,} files  {self.documents:,} docs  "
            f"{rate / 1e6:.1f} MB/s  ETA {eta}"
        )

    def draw(self, now: float) -> None:
        text = self.line(now)
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def message(self, text: str) -> None:
        """Print a line above the bar (a skipped file) without tearing it."""
        self.stream.write("\r" + text.ljust(self.width) + "\n")
        self.draw(time.monotonic())

    def close(self) -> None:
        """Draw the final state and clear the line for the summary."""
        self.draw(time.monotonic())
        self.stream.write("\r" + " " * self.width + "\r")
        self.stream.flush()
