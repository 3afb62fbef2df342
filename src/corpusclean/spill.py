"""Spill files: what a process writes to the run's folder rather than hold it
or send it through the pool's pipes.

Each process appends to a file of its own in the folder (no locks): the
documents parked between the two passes, a long document's output and audit
lines (Parcel: raw bytes, copied to the output a chunk at a time), the parts
of its sketch and a large pass-1 result (Pickled: written as they are
pickled, read back as they are unpickled). Any process reads them back; the
pipeline removes the folder at the end of the run. No process then holds a
long document's record, sketch or pickle whole, and none receives one
through a pipe (which holds it twice: its pickle and its objects).
"""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from .document import Document
from .write import copy_encoded

# Open files, kept per process for the run: this process's own file (to
# append), and those it reads.
_writing: dict[str, Any] = {}
_reading: dict[str, Any] = {}


@dataclass(frozen=True)
class Parcel:
    """Bytes a process wrote to its spill file: where they are."""

    path: str
    offset: int
    size: int


@dataclass(frozen=True)
class Pickled:
    """An object pickled to a spill file: any process can load() it."""

    parcel: Parcel

    def load(self) -> Any:
        return unpark(self.parcel.path, self.parcel.offset, self.parcel.size)


def _own_file(folder: str) -> tuple[str, Any]:
    """This process's spill file in `folder`: its path, and the file open to append."""
    path = os.path.join(folder, f"{os.getpid()}.pickles")
    file = _writing.get(path)
    if file is None:
        file = _writing[path] = open(path, "ab")  # noqa: SIM115 (closed by close())
    return path, file


def park(folder: str, docs: list[Document]) -> list[tuple[str, int, int]]:
    """Pickle `docs` straight into this process's spill file (in 64 KiB
    frames: no bytes object as large as a long document); return where each is."""
    path, file = _own_file(folder)
    where = []
    for doc in docs:
        offset = file.tell()
        pickle.dump(doc, file, protocol=pickle.HIGHEST_PROTOCOL)
        where.append((path, offset, file.tell() - offset))
    file.flush()  # another process reads them in pass 2
    return where


def unpark(path: str, offset: int, size: int) -> Any:
    """The object pickled at `offset` (a parked document, a Pickled value),
    unpickled from the file as it is read."""
    file = _reading.get(path)
    if file is None:
        file = _reading[path] = open(path, "rb")  # noqa: SIM115 (closed by close())
    file.seek(offset)
    return pickle.load(file)


def store(folder: str, value: Any) -> Pickled:
    """Pickle `value` into this process's spill file in `folder`, as park() does."""
    path, file = _own_file(folder)
    offset = file.tell()
    pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    file.flush()
    return Pickled(Parcel(path, offset, file.tell() - offset))


def spill_bytes(folder: str, pieces: Iterable[bytes]) -> Parcel:
    """Append `pieces` to this process's spill file in `folder`; return where they are."""
    path, file = _own_file(folder)
    offset = file.tell()
    for piece in pieces:
        file.write(piece)
    file.flush()  # the main process copies them
    return Parcel(path, offset, file.tell() - offset)


def write_lines(out: IO[str], lines: list[str | Parcel]) -> None:
    """Write output lines in order: strings, and Parcels copied from their
    spill file a chunk at a time (write.copy_encoded)."""
    for line in lines:
        if isinstance(line, str):
            out.write(line)
        else:
            with open(line.path, "rb") as file:
                file.seek(line.offset)
                copy_encoded(file, line.size, out)


def close(folder: str) -> None:
    """Close this process's spill files in `folder`."""
    for files in (_writing, _reading):
        for path in [p for p in files if os.path.dirname(p) == folder]:
            files.pop(path).close()


class Parked:
    """Where every parked document is, in input order (three integers each)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.path_ids: dict[str, int] = {}
        self.files, self.offsets, self.sizes = array("l"), array("q"), array("q")

    def extend(self, parked: list[tuple[str, int, int]]) -> None:
        for path, offset, size in parked:
            file = self.path_ids.get(path)
            if file is None:
                file = self.path_ids[path] = len(self.paths)
                self.paths.append(path)
            self.files.append(file)
            self.offsets.append(offset)
            self.sizes.append(size)

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int) -> tuple[str, int, int]:
        return self.paths[self.files[i]], self.offsets[i], self.sizes[i]
