"""The seeds in, the complete expected corpus and audit out, byte for byte.

Run `pytest tests/test_golden.py --update-golden` after a deliberate change,
then read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpusclean.cli import clean_command

from .conftest import GOLDEN, ROOT, SEEDS
from .invariants import unaccounted


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("golden")
    runner = CliRunner()
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(
            clean_command,
            ["seeds", "-o", str(tmp / "corpus.jsonl"), "--audit", str(tmp / "audit.jsonl"), "-q", "-j", "1"],
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return {name: (tmp / name).read_text(encoding="utf-8") for name in ("corpus.jsonl", "audit.jsonl")}


@pytest.mark.parametrize("name", ["corpus.jsonl", "audit.jsonl"])
def test_golden(outputs: dict[str, str], name: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(outputs[name], encoding="utf-8")
    assert outputs[name] == golden.read_text(encoding="utf-8")


def records(outputs: dict[str, str], name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in outputs[name].splitlines()]


def test_one_record_per_seed(outputs: dict[str, str]) -> None:
    ids = [r["id"] for r in records(outputs, "corpus.jsonl")]
    assert ids == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_news_diff_header_is_metadata(outputs: dict[str, str]) -> None:
    by_id = {r["id"]: r for r in records(outputs, "corpus.jsonl")}
    bbc = by_id["001_c947282d893f78bb"]
    assert bbc["metadata"]["outlet"] == "bbc"
    assert bbc["metadata"]["url"] == "http://www.bbc.co.uk/news/uk-england-birmingham-36366411"
    assert bbc["metadata"]["revisions"] == 8
    assert (bbc["metadata"]["version_old"], bbc["metadata"]["version_new"]) == (2, 3)
    guardian = by_id["004_6e968507dc1f236b"]
    assert guardian["metadata"]["outlet"] == "guardian"
    assert guardian["metadata"]["revisions"] == 2
    for record in (bbc, guardian):
        for phrase in ("This article is from the source", "You can find the current article", "RSS feed", "later)"):
            assert phrase not in record["text"]


def test_no_paragraph_twice(outputs: dict[str, str]) -> None:
    for record in records(outputs, "corpus.jsonl"):
        paragraphs = record["text"].split("\n\n")
        assert len(paragraphs) == len(set(paragraphs)), record["id"]
        for paragraph in paragraphs:
            half = len(paragraph) // 2
            assert paragraph[:half] != paragraph[half:] or len(paragraph) < 10


def test_boilerplate_is_gone_and_audited(outputs: dict[str, str]) -> None:
    text = "\n".join(r["text"] for r in records(outputs, "corpus.jsonl"))
    audit = records(outputs, "audit.jsonl")
    reasons = {a["reason"] for a in audit}
    for gone in ("Subscribe", "From £15 / month", "Video Loading", "Watch:", "Picture:", "Related:", "COMMENT:"):
        assert gone not in text
    for reason in (
        "boilerplate.subscribe-button",
        "boilerplate.video-placeholder",
        "boilerplate.watch-promo",
        "boilerplate.photo-credit-caption",
        "boilerplate.related-link",
        "boilerplate.section-label",
    ):
        assert reason in reasons or any(r.startswith("boilerplate.") for r in reasons)


def test_title_byline_date(outputs: dict[str, str]) -> None:
    by_id = {r["id"]: r for r in records(outputs, "corpus.jsonl")}
    cyp = by_id["002_a2d3f14cb8fc213f"]
    assert cyp["title"] == "Exclusive: Birmingham children's services to become independent trust"
    assert cyp["metadata"]["author"] == "Neil Puffett"
    assert cyp["metadata"]["date"] == "2016-05-24"
    assert "Neil Puffett" not in cyp["text"] and "May 24, 2016" not in cyp["text"]
    assert not cyp["text"].startswith("Exclusive:")


def test_council_statement_survives_once(outputs: dict[str, str]) -> None:
    corpus = records(outputs, "corpus.jsonl")
    text = "\n\n".join(r["text"] for r in corpus)
    assert text.count("this is the next logical step on our improvement journey") == 1
    assert text.count("We are now at the start of the third year") == 1
    duplicates = [a for a in records(outputs, "audit.jsonl") if a["stage"] == "dedup"]
    assert duplicates and all(a["kept_id"] and a["kept_position"] and a["score"] for a in duplicates)
    # Lead-ins differ ("An authority spokesman said:"), an abbreviation differs (DfE).
    assert any(a["text"].startswith("An authority spokesman said:") for a in duplicates)
    assert any("the DfE are committed" in a["text"] for a in duplicates)


def test_every_line_accounted_for(outputs: dict[str, str]) -> None:
    """Every non-blank input line is in the output text, the metadata or the audit."""
    corpus = {r["id"]: r for r in records(outputs, "corpus.jsonl")}
    for path in sorted(SEEDS.glob("*.txt")):
        record = corpus[path.stem]
        removed: dict[int, list[str]] = {}
        for a in records(outputs, "audit.jsonl"):
            if a["id"] == path.stem:
                for pos in range(a["position"], a.get("end_position", a["position"]) + 1):
                    removed.setdefault(pos, []).append(a["text"])
        kept = [record["title"] or "", *record["text"].split("\n\n")]
        raw = path.read_text(encoding="utf-8")
        assert unaccounted(raw, kept, removed, record["metadata"]) == [], path.name
