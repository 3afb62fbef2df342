"""A one-line progress display for the whole run: reading, each dedup stage, writing.

Reading shows a bar of files, documents, MB/s and ETA; each dedup stage
(exact duplicates, candidate pairs, scoring, deciding) a spinner with its
elapsed time and, where it has one, its count; writing a bar of the
documents written. A thread redraws the line while a stage runs without
telling us how far it is, so the line never sits still or blank.

The CLI shows it only when stderr is a terminal and -q is not given; a CI log
or a redirected stderr stays free of carriage-return noise. Totals come from a
quick walk of the inputs before the run (sizes only, nothing is read), so the
ETA is bytes left over the bytes-per-second rate so far.

tqdm and rich were considered: each would redraw the same line, but the
bar's content (files by bytes, then stages that report no total) needs most
of this code either way, and neither is otherwise a dependency.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from typing import TextIO

from .read import Source, discover

# Redraw at most this often: drawing per document would cost more than the work
# on small files.
REDRAW_SECONDS = 0.2
BAR_WIDTH = 24
SPINNER = "|/-\\"


def input_size(path: str) -> int:
    """Bytes of an input file on disk; 0 for stdin or a file that has gone."""
    if not path or path == "-":
        return 0
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def survey(
    paths: list[str],
    include_hidden: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    outputs: Sequence[str] = (),
) -> tuple[int, int]:
    """The number of inputs and their total size in bytes (the same files the
    run will read: the run's `outputs` left out)."""
    files = total = 0
    for item in discover(paths, include_hidden, include, exclude, outputs):
        files += 1
        if isinstance(item, Source):
            total += input_size(item.path)
    return files, total


def format_eta(seconds: float) -> str:
    """h:mm:ss."""
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _bar(done: float) -> str:
    filled = int(done * BAR_WIDTH)
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:4.0%}"


class Progress:
    """Counts finished inputs, then the stages after reading, and redraws one
    status line on `stream`."""

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
        # The stage after reading: its label, the count so far, its total (0:
        # unknown, a spinner) and the count's unit.
        self.label = ""
        self.count = 0
        self.total = 0
        self.unit = ""
        self.stage_started = 0.0
        self.frame = 0
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.stopped = threading.Event()

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        """Start a stage after reading (`dedup: candidate pairs`, `writing`):
        a bar when `total` is known, else a spinner; the line is redrawn
        every REDRAW_SECONDS until the next stage or close()."""
        if not self.label:
            self.draw(time.monotonic())  # reading's final state
        with self.lock:
            self.label, self.count, self.total, self.unit = label, 0, total, unit
            self.stage_started = time.monotonic()
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, name="corpusclean-progress", daemon=True)
            self.ticker.start()
        self.draw(time.monotonic())

    def step(self, n: int = 1) -> None:
        """`n` more of the current stage's unit are done."""
        self.count += n

    def _tick(self) -> None:
        while not self.stopped.wait(REDRAW_SECONDS):
            self.draw(time.monotonic())

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
        if self.label:
            return self._stage_line(now)
        elapsed = max(now - self.started, 1e-9)
        rate = self.bytes / elapsed
        done = min(self.bytes / self.total_bytes, 1.0) if self.total_bytes else self.files / max(self.total_files, 1)
        eta = format_eta((self.total_bytes - self.bytes) / rate) if rate > 0 and self.total_bytes else "-:--:--"
        return (
            f"{_bar(done)}  reading {self.files:,}/{self.total_files:,} files  {self.documents:,} documents  "
            f"{rate / 1e6:,.1f} MB/s  ETA {eta}"
        )

    def _stage_line(self, now: float) -> str:
        elapsed = format_eta(now - self.stage_started)
        if self.total:
            done = min(self.count / self.total, 1.0)
            return f"{_bar(done)}  {self.label} {self.count:,}/{self.total:,} {self.unit}  {elapsed}"
        self.frame += 1
        count = f"  {self.count:,} {self.unit}" if self.unit else ""
        return f"{SPINNER[self.frame % len(SPINNER)]} {self.label}{count}  {elapsed}"

    def draw(self, now: float) -> None:
        with self.lock:
            text = self.line(now)
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def message(self, text: str) -> None:
        """Print a line above the bar (a skipped file) without tearing it."""
        with self.lock:
            self.stream.write("\r" + text.ljust(self.width) + "\n")
        self.draw(time.monotonic())

    def close(self) -> None:
        """Stop redrawing, draw the final state and clear the line for the summary."""
        self.stopped.set()
        if self.ticker is not None:
            self.ticker.join()
        self.draw(time.monotonic())
        with self.lock:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
