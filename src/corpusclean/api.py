"""Cleaning in memory: one text, or a list of texts with dedup across them.

The same stages as `clean` (pipeline.clean_document, the dedup index, the
document filter), in this process, with no files: for a notebook, a test, or
a service that holds its texts already. `Pipeline.run` is the way for files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import config as config_module
from . import pipeline
from .config import Config
from .document import Document
from .read import SkipFile, decode
from .report import Report
from .write import document_record


class TextError(ValueError):
    """Bytes that are not text (binary, or no encoding fits); the message says which."""


def as_text(text: str | bytes, cfg: Config) -> str:
    """`text` itself, or bytes decoded as the CLI decodes a file: a BOM, else
    UTF-8, else charset detection preferring `input.legacy_encodings`.
    Raises TextError for binary or undecodable bytes, TypeError for anything
    else than str or bytes."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            decoded, _ = decode(bytes(text), cfg.input["legacy_encodings"])
        except SkipFile as exc:
            raise TextError(exc.detail) from None
        return decoded
    raise TypeError(f"expected str or bytes, not {type(text).__name__}")


def clean_text(text: str | bytes, config: Config | None = None, doc_id: str = "text") -> Document:
    """Clean one text in memory with every stage, dedup within the text included.

    `text` is a str, or bytes decoded as the CLI decodes a file (see
    as_text). Returns the Document: `.text`, `.title`, `.metadata`, and
    `.removals` (what the audit would hold).
    """
    cfg = config or config_module.load()
    return pipeline.clean_text(as_text(text, cfg), cfg, doc_id)


@dataclass
class Cleaned:
    """What `clean_texts` gives back.

    `documents`: every input's Document, in input order (a dropped one has
    `.dropped` set); `records`: the output records of the documents kept, as
    `clean` writes them in the JSONL; `audit`: one record per removal, as
    `--audit` writes them; `report`: the run's counts (`report.to_dict()`).
    """

    documents: list[Document] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def clean_texts(items: Iterable[str | bytes | Mapping[str, Any]], config: Config | None = None) -> Cleaned:
    """Clean a list of texts in memory, with dedup across them, as `clean`
    would clean one file per text, in the order given.

    Each item is a text (str, or bytes decoded as the CLI decodes a file),
    whose id is its position in the list ("0", "1", ...), or a mapping with
    `text` and optionally `id` (and `source`, the name in the records).
    Ids are made unique as `clean` does for files: a repeated one gets `~2`,
    `~3` and a report warning. Everything is held in memory: for corpora
    larger than memory, write files and use `Pipeline.run`. Raises TextError
    for bytes that are not text, TypeError or KeyError for an item of
    another shape.
    """
    cfg = config or config_module.load()
    result = Cleaned()
    seen: set[str] = set()
    for number, item in enumerate(items):
        if isinstance(item, Mapping):
            text, doc_id = as_text(item["text"], cfg), str(item.get("id", number))
            source = str(item.get("source", "<text>"))
        else:
            text, doc_id, source = as_text(item, cfg), str(number), "<text>"
        if doc_id in seen:
            n = 2
            while f"{doc_id}~{n}" in seen:
                n += 1
            result.report.warnings.append(
                f"id {doc_id!r} of item {number} is also that of an earlier item; it is {doc_id}~{n}"
            )
            doc_id = f"{doc_id}~{n}"
        seen.add(doc_id)
        doc = Document(id=doc_id, source=source, raw=text, chars_in=len(text))
        result.documents.append(pipeline.clean_document(doc, cfg))
    index = pipeline.dedup_index(cfg)
    try:
        if index is not None:
            for doc in result.documents:
                index.add(doc)
            index.resolve()
            result.report.stages["dedup"] = index.stats
        for ordinal, doc in enumerate(result.documents):
            pipeline.finish_document(doc, cfg, index, ordinal)
            result.report.files += 1
            result.report.add_document(doc)
            if not doc.dropped:
                result.records.append(document_record(doc))
            result.audit.extend(r.to_record(doc.id) for r in sorted(doc.removals, key=lambda r: r.pos))
    finally:
        if index is not None:
            index.close()
    result.report.finish()
    return result
