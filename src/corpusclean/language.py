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

import threading
from typing import Any

from .document import Document

STAGE = "language"
# The model's label for text without linguistic content (numbers, symbols).
NO_LANGUAGE = "zxx"

_lock = threading.Lock()
_identifier: Any = None


def identifier() -> Any:
    """py3langid's identifier with normalised probabilities, loaded once per
    process (about 1.5 s: the model is decompressed from the package)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


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
