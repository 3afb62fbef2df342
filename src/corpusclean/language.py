"""Identify each document's language, after normalising and before any rule runs.

The language chooses the boilerplate rules that apply (a rule may name its
languages), the words a byline or a date is read with, and the page
classifier's stopword list. Identification uses py3langid (a maintained fork
of langid.py, Lui and Baldwin 2012): a naive Bayes model over byte n-grams
that ships inside the package (140 languages), deterministic, with no
download at run time. Its confidence is the model's normalised probability
(py3langid's `norm_probs`, a softmax over the languages, tempered by the
square root of the text's length so that it stays calibrated across lengths).

Only a bounded sample is read: the document's longer lines (menus, labels and
bylines say little about the language and are often English on any page) up
to `max_chars` characters. The label is the model's, ISO 639-1 where the
language has such a code and ISO 639-3 otherwise (`ary` Moroccan Arabic,
`yue` Cantonese). A document with too few letters, or whose best language
has less than `min_confidence`, has no language (null): rules for a named
language leave it alone.
"""

from __future__ import annotations

import io
import lzma
import mmap
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .document import Document

STAGE = "language"
# The model's label for text without linguistic content (numbers, symbols).
NO_LANGUAGE = "zxx"

_lock = threading.Lock()
_identifier: Any = None


def identifier() -> Any:
    """py3langid's identifier with normalised probabilities, loaded once per
    process (about 1 s: the model is decompressed from the package).

    Its large tables (about 70 MB) are read from a memory map of the
    decompressed model (mapped_model) rather than copied into the process:
    a process holds only the pages it reads (for one document, a few MB),
    and worker processes forked after the load share those pages instead of
    each holding the tables. Should the package's model not be laid out as
    expected, the package's own loader is used.
    """
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

                try:
                    ptc, pc, classes, nextmove, row, output = mapped_model(MODEL_DIR / MODEL_FILE)
                    _identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
                except Exception:  # another layout, in a version of the package to come
                    _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


# The arrays of py3langid's model (an .npz inside .xz): those indexed one
# integer at a time while a text is read (a memoryview of the map), and the
# others (numpy arrays over it).
MODEL_VIEWS = ("nextmove", "nextmove_row", "out_feat")
MODEL_ARRAYS = ("ptc", "pc", "classes")


def mapped_model(path: Path) -> tuple[Any, ...]:
    """py3langid's model as its loader (modelio.load_model) returns it, with
    the tables mapped rather than read: the model is decompressed to an
    unnamed temporary file (in the system's temporary folder; it is gone as
    soon as the process and the workers it forks end, however they end),
    which is mapped read-only. The transition table and the features of its
    states are memoryviews of the map, indexed as fast as the array and list
    the package makes; the feature weights a numpy array over it. Raises
    ValueError when the file is not laid out as the package's loader reads it."""
    with tempfile.TemporaryFile() as file:
        with lzma.open(path) as source:
            shutil.copyfileobj(source, file, 1 << 20)
        file.flush()
        members = {info.filename: info for info in zipfile.ZipFile(file).infolist()}
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)  # outlives the file
    found: dict[str, Any] = {}
    for name in MODEL_VIEWS + MODEL_ARRAYS:
        info = members[f"{name}.npy"]
        if info.compress_type != zipfile.ZIP_STORED:
            raise ValueError(f"{name}: compressed in the model file")
        # The member's data follows its local header: 30 bytes, its name and its extra field.
        header = mapped[info.header_offset : info.header_offset + 30]
        start = info.header_offset + 30 + int.from_bytes(header[26:28], "little")
        start += int.from_bytes(header[28:30], "little")
        npy = io.BytesIO(mapped[start : start + 4096])
        version = np.lib.format.read_magic(npy)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"{name}: .npy format {version}")
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(npy)
        offset = start + npy.tell()
        count = int(np.prod(shape))
        if fortran or dtype.hasobject or offset + count * dtype.itemsize > start + info.file_size:
            raise ValueError(f"{name}: not a plain array")
        if name in MODEL_ARRAYS:
            found[name] = np.frombuffer(mapped, dtype, count, offset).reshape(shape)
            continue
        view = memoryview(mapped)[offset : offset + count * dtype.itemsize]
        if not dtype.isnative:
            raise ValueError(f"{name}: not in this machine's byte order")
        if (dtype.kind, dtype.itemsize) == ("u", 2):
            found[name] = view.cast("H")
        elif (dtype.kind, dtype.itemsize) == ("u", 4):
            found[name] = view.cast("I")
        elif (dtype.kind, dtype.itemsize) == ("i", 4):
            found[name] = view.cast("i")
        else:
            raise ValueError(f"{name}: {dtype} is not read as a memoryview")
    return (
        found["ptc"],
        np.array(found["pc"]),
        found["classes"].tolist(),
        found["nextmove"],
        found["nextmove_row"],
        found["out_feat"],
    )


def sample(lines: list[str], max_chars: int, min_line_chars: int) -> str:
    """The text identified: the lines of at least `min_line_chars` characters
    in order (all lines when there are none), cut at `max_chars` characters."""
    long = [line for line in lines if len(line) >= min_line_chars]
    chosen = long or [line for line in lines if line]
    parts: list[str] = []
    size = 0
    for line in chosen:
        if size >= max_chars:
            break
        parts.append(line[: max_chars - size])
        size += len(parts[-1]) + 1
    return "\n".join(parts)


def identify(text: str, cfg: dict[str, Any]) -> tuple[str | None, float | None]:
    """(language, confidence) of `text`: the model's best label and its
    normalised probability rounded to 3 decimals, or (None, None) when the
    text has fewer than `min_letters` letters, no linguistic content, or a
    best language below `min_confidence`."""
    if sum(c.isalpha() for c in text) < cfg["min_letters"]:
        return None, None
    label, confidence = identifier().classify(text)
    confidence = round(float(confidence), 3)
    if label == NO_LANGUAGE or confidence < cfg["min_confidence"]:
        return None, None
    return str(label), confidence


def identify_language(doc: Document, cfg: dict[str, Any]) -> Document:
    """Set `metadata.language` and `metadata.language_confidence` (None when
    undetermined). When `enabled` is false, or the input already gave a
    language, the fields are left as they are."""
    if not cfg["enabled"] or doc.metadata.get("language"):
        return doc  # off, or given by the input (a JSONL record's metadata)
    text = sample([line.text.strip() for line in doc.lines], cfg["max_chars"], cfg["min_line_chars"])
    language, confidence = identify(text, cfg)
    doc.metadata["language"] = language
    doc.metadata["language_confidence"] = confidence
    return doc
