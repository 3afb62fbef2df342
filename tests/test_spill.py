"""Spill files: a long document's record and audit lines, the parts of its
sketch and a large batch travel through them, and the output is byte for
byte that of the path every ordinary document takes."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path
from typing import Any

import pytest

from corpusclean import dedup, normalise, pipeline, spill, write
from corpusclean.document import Document, Line, Paragraph, Removal
from corpusclean.pipeline import Finished, Pipeline

from .conftest import SEEDS
from .test_write import WORDS

# What a run reports that depends on the machine, not on the input.
VOLATILE = ("seconds", "mb_per_second", "peak_rss_mb")


def _long_page(rng: random.Random) -> str:
    """A page of a few hundred paragraphs: near-copies of each other, quotes,
    tabs, CRLF line ends, a lone CR, a line of verse and a boilerplate line."""
    words = WORDS[:12]
    paragraphs = []
    for i in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(8, 40)))
        paragraphs.append(f"\u201c{text.capitalize()}\u201d, she said on day {i}.")
        if i % 7 == 0:
            paragraphs.append(paragraphs[rng.randrange(len(paragraphs))].replace("said", "added"))
        if i % 11 == 0:
            paragraphs.append("Share this article")
    text = "Harbour works\n\nBy Ana Lima\n\n" + "\n\n".join(paragraphs)
    return text.replace("shaft", "sha\tft").replace("\n\n", "\r\n\r\n", 40) + "\rlast line\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spill-corpus")
    rng = random.Random(5)
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "long.txt").write_bytes(_long_page(rng).encode("utf-8"))
    (folder / "copy-of-long.txt").write_bytes(_long_page(random.Random(5)).encode("utf-8"))
    return folder


def _steady(value: Any) -> Any:
    """A report's value without the figures that depend on the machine."""
    if isinstance(value, dict):
        return {k: _steady(v) for k, v in value.items() if k not in VOLATILE}
    return value


def _run(corpus: Path, out: Path, jobs: int) -> tuple[bytes, bytes, dict[str, Any]]:
    out.mkdir()
    report = Pipeline.from_file().run(str(corpus), out / "out.jsonl", out / "audit.jsonl", jobs=jobs)
    return (out / "out.jsonl").read_bytes(), (out / "audit.jsonl").read_bytes(), _steady(report.to_dict())


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_document_taken_as_long_gives_the_same_bytes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """With every threshold at its smallest, every record and audit line goes
    through a spill file, every batch's sketch is stored a few paragraphs at a
    time, texts are cut and written in slices of a few characters: the same
    output, audit and report."""
    usual = _run(corpus, tmp_path / "usual", jobs)
    monkeypatch.setattr(pipeline, "LARGE_DOCUMENT_CHARS", 1)
    monkeypatch.setattr(pipeline, "LARGE_BATCH_PARAGRAPHS", 1)
    monkeypatch.setattr(dedup, "SKETCH_CHARS", 300)
    monkeypatch.setattr(normalise, "SLICE_CHARS", 64)
    monkeypatch.setattr(write, "PIECE_CHARS", 16)
    monkeypatch.setattr(write, "CHUNK", 5)  # cuts the bytes of “ and ” in two
    spilled = _run(corpus, tmp_path / "spilled", jobs)
    assert spilled[2] == usual[2]
    assert spilled[0] == usual[0]
    assert spilled[1] == usual[1]
    assert len(usual[0].splitlines()) == len(list(SEEDS.glob("*.txt"))) + 1  # the copy of the long page goes


def test_a_long_documents_lines_are_parcels(tmp_path: Path) -> None:
    """Finished keeps a long document's record and audit lines as Parcels of
    their bytes, which write_lines copies to the output as the strings would be."""
    long = Document(id="long", source="long.txt", chars_in=10)
    long.paragraphs = [Paragraph(1, "A \u201cquoted\u201d line \\ with a tab\t."), Paragraph(3, "Second \ud800 one.")]
    long.removals = [Removal("boilerplate", "share", 2, "Share this")]
    short = Document(id="short", source="short.txt", paragraphs=[Paragraph(1, "Short.")])
    finished = Finished()
    for doc in (long, short):
        finished.add(doc, audit=True, folder=str(tmp_path) if doc is long else None)
    assert [type(r) for r in finished.records] == [str, str]  # a text this short is not long
    spilled = Finished()
    threshold = pipeline.LARGE_DOCUMENT_CHARS
    try:
        pipeline.LARGE_DOCUMENT_CHARS = 5
        for doc in (long, short):
            spilled.add(doc, audit=True, folder=str(tmp_path))
    finally:
        pipeline.LARGE_DOCUMENT_CHARS = threshold
        spill.close(str(tmp_path))
    assert [type(r) for r in spilled.records] == [spill.Parcel, spill.Parcel]
    assert isinstance(spilled.audit[0], spill.Parcel)
    for lines, expected in ((spilled.records, finished.records), (spilled.audit, finished.audit)):
        with write.atomic_writer(str(tmp_path / "out.jsonl")) as out:
            spill.write_lines(out, lines)
        assert (tmp_path / "out.jsonl").read_bytes() == "".join(str(x) for x in expected).encode(
            "utf-8", "backslashreplace"
        )
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])["rule"] == "share"


def test_a_document_pickles_as_columns() -> None:
    """Parked documents are pickled field by field: they come back equal, and
    the pickle holds no object per line or paragraph."""
    doc = Document(id="d", source="s", raw="", chars_in=42, title="T", metadata={"language": "en"})
    doc.lines = [Line(1, "one"), Line(2, "two", doubled=True, single_version=True)]
    doc.paragraphs = [Paragraph(1, "one", end=2, single_version=True), Paragraph(4, "four")]
    doc.removals = [
        Removal("dedup", "merged", 3, "three", "k", 7, 95.5, 3, 0.9, (("k", 7, 95.5),), None, (2, 1), (0, 5)),
        Removal("boilerplate", "share", 5, "five", evidence={"rule": "x"}),
    ]
    doc.counters = {"a": 1}
    again = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == doc
    assert [type(p) for p in again.paragraphs] == [Paragraph, Paragraph]
    empty = Document(id="e", source="s")
    assert pickle.loads(pickle.dumps(empty)) == empty


def test_stored_sketch_parts_file_as_the_whole_sketch(
    cfg: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's sketch stored in parts and filed part by part gives the index the same rows."""
    rng = random.Random(2)
    doc = Document(id="d", source="d.txt")
    doc.paragraphs = [Paragraph(i, _long_page(rng)[i * 50 : i * 50 + 120]) for i in range(1, 60)]
    monkeypatch.setattr(dedup, "SKETCH_CHARS", 500)
    whole = dedup.Index(cfg.dedup)
    parts = dedup.Index(cfg.dedup)
    try:
        whole.add_rows(dedup.document_rows([doc], cfg.dedup))
        rows = dedup.document_rows([doc], cfg.dedup, lambda part: spill.store(str(tmp_path), part))
        assert len(rows.sketches) > 1 and all(isinstance(p, spill.Pickled) for _, p in rows.sketches)
        parts.add_rows(rows)
        for name in ("digests", "indexed", "bands", "sentence_rows", "char_indexed", "char_bands", "char_counts"):
            assert (getattr(whole, name).array() == getattr(parts, name).array()).all(), name
        for index in (whole, parts):
            index.resolve()
        assert whole.plan(0) == parts.plan(0)
    finally:
        whole.close()
        parts.close()
        spill.close(str(tmp_path))
