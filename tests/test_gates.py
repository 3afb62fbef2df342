"""Gates: each one trips with its exact line and exit 1, holds with exit 0, and
every output is written either way; the config keys do what the options do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpusclean import config
from corpusclean.cli import clean_command, main
from corpusclean.report import gates

FIRST = "The council approved the new budget for libraries on Tuesday evening after a long debate."
SECOND = "Members said the extra money would keep three branches open on Saturdays."
# a.txt loses "Subscribe" (9 of 173 characters: 5.2%); c.txt is a copy of a.txt,
# dropped as a duplicate document (1 of 3 documents); b.txt loses nothing; an
# empty file is skipped. Overall 180 of 455 characters go (39.6%), 162 of them
# (35.6%) as dedup.exact-duplicate.
ARTICLE = f"{FIRST}\n\n{SECOND}\n\nSubscribe\n"
OTHER = "A reader wrote a comment about the plan.\n\nThe library service said opening hours would be published next month.\n"

PREFIX = "corpusclean: gate failed: gates."


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    (folder / "c.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def run(tmp_path: Path, *options: str) -> tuple[int, list[str], dict[str, object]]:
    """clean the corpus with `options`; its exit code, stderr lines and JSON report."""
    folder = tmp_path / "in" if (tmp_path / "in").exists() else corpus(tmp_path)
    out, audit, report, page = (tmp_path / n for n in ("out.jsonl", "audit.jsonl", "report.json", "report.html"))
    for path in (out, audit, report, page):
        path.unlink(missing_ok=True)
    argv = [str(folder), "-o", str(out), "--audit", str(audit), "--report", str(report), "--html-report", str(page)]
    result = CliRunner().invoke(clean_command, [*argv, "-q", "-j", "1", *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    # Everything is written whether a gate trips or not.
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert len(audit.read_text(encoding="utf-8").splitlines()) == 4
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    lines = [x for x in result.stderr.splitlines() if not x.startswith("corpusclean: skipped")]
    return result.exit_code, lines, json.loads(report.read_text(encoding="utf-8"))


TRIPS = [
    (
        ("--max-removed-fraction", "0.3"),
        "max_removed_fraction: 39.6% of the characters were removed (180 of 455), over the limit of 30.0%",
        ("--max-removed-fraction", "0.4"),
    ),
    (
        ("--max-dropped-fraction", "0.25"),
        "max_dropped_fraction: 33.3% of the documents were dropped (1 of 3), over the limit of 25.0%",
        ("--max-dropped-fraction", "0.34"),
    ),
    (
        ("--max-document-removed-fraction", "0.05"),
        "max_document_removed_fraction: document a lost 5.2% of its characters, over the limit of 5.0%",
        ("--max-document-removed-fraction", "0.06"),
    ),
    (
        ("--max-rule-fraction", "0.35"),
        "max_rule_fraction: dedup.exact-duplicate removed 35.6% of the characters, over the limit of 35.0%",
        ("--max-rule-fraction", "0.36"),
    ),
    (
        ("--max-rule-fraction", "0.01"),
        "max_rule_fraction: dedup.exact-duplicate removed 35.6% of the characters, over the limit of 1.0%"
        " (1 other rule over it too)",
        ("--max-rule-fraction", "0.5"),
    ),
    (
        ("--min-documents-out", "3"),
        "min_documents_out: 2 documents were written, fewer than the minimum of 3",
        ("--min-documents-out", "2"),
    ),
    (("--strict",), "fail_on_skipped: 1 input was skipped (--strict)", ()),
]


@pytest.mark.parametrize(("trip", "line", "hold"), TRIPS, ids=[t[0][0] + t[0][-1] for t in TRIPS])
def test_gate_trips_with_its_line_and_holds_below_it(
    tmp_path: Path, trip: tuple[str, ...], line: str, hold: tuple[str, ...]
) -> None:
    code, stderr, report = run(tmp_path, *trip)
    assert (code, stderr) == (1, [PREFIX + line])
    gate = line.split(":")[0]
    assert [(f["gate"], f["message"]) for f in report["gates"]["failed"]] == [(gate, "gates." + line)]
    assert report["gates"]["limits"][gate] == (True if trip == ("--strict",) else float(trip[1]))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert ("corpusclean: gate failed: gates." + line).replace("'", "&#39;") in page
    code, stderr, report = run(tmp_path, *hold)
    assert (code, stderr, report["gates"]["failed"]) == (0, [], [])


def test_every_failed_gate_is_a_line_in_gate_order(tmp_path: Path) -> None:
    code, stderr, _ = run(tmp_path, "--min-documents-out", "5", "--max-removed-fraction", "0.1", "--strict")
    assert code == 1
    assert [x.split(":")[2].strip() for x in stderr] == [
        "gates.max_removed_fraction",
        "gates.min_documents_out",
        "gates.fail_on_skipped",
    ]


def test_gates_from_the_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "gates.yaml"
    cfg.write_text("gates:\n  max_dropped_fraction: 0.25\n  fail_on_skipped: true\n", encoding="utf-8")
    code, stderr, report = run(tmp_path, "--config", str(cfg))
    assert code == 1
    assert stderr == [
        PREFIX + "max_dropped_fraction: 33.3% of the documents were dropped (1 of 3), over the limit of 25.0%",
        PREFIX + "fail_on_skipped: 1 input was skipped (--strict)",
    ]
    # An option overrides the config's key.
    code, stderr, _ = run(tmp_path, "--config", str(cfg), "--max-dropped-fraction", "0.5")
    assert stderr == [PREFIX + "fail_on_skipped: 1 input was skipped (--strict)"]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("gates:\n  max_removed_fraction: 1.5\n", "gates.max_removed_fraction: must be a fraction between 0 and 1"),
        ("gates:\n  min_documents_out: -1\n", "gates.min_documents_out: must be a whole number, 0 or more"),
        ("gates:\n  fail_on_skipped: 1\n", "gates.fail_on_skipped: must be true or false, not 1"),
        ("gates:\n  max_removed: 0.5\n", "gates.max_removed: unknown key (did you mean 'max_removed_fraction'?)"),
    ],
)
def test_a_bad_gate_in_the_config_is_a_usage_error(tmp_path: Path, yaml_text: str, message: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(yaml_text, encoding="utf-8")
    result = CliRunner().invoke(
        clean_command, [str(corpus(tmp_path)), "-o", str(tmp_path / "o.jsonl"), "--config", str(cfg)]
    )
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_option_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(clean_command, ["x", "-o", "-", "--max-removed-fraction", "1.2"])
    assert result.exit_code == 2
    assert "--max-removed-fraction" in result.stderr and "1.2 is not in the range 0<=x<=1" in result.stderr


def test_corpusclean_report_judges_an_earlier_run_again(tmp_path: Path) -> None:
    code, _, _ = run(tmp_path, "--max-dropped-fraction", "0.25")
    assert code == 1
    files = ["--report", "report.json", "--output", "out.jsonl", "--audit", "audit.jsonl", "-o", "again.html"]
    argv = [x if x.startswith("-") else str(tmp_path / x) for x in files]
    runner = CliRunner()
    # The run's own gate is judged again...
    again = runner.invoke(main, ["report", *argv])
    assert again.exit_code == 1
    assert again.stderr.splitlines() == [
        PREFIX + "max_dropped_fraction: 33.3% of the documents were dropped (1 of 3), over the limit of 25.0%"
    ]
    # ... a gate given here is laid over it, and a new one added.
    looser = runner.invoke(main, ["report", *argv, "--max-dropped-fraction", "0.5", "--min-documents-out", "2"])
    assert (looser.exit_code, looser.stderr) == (0, "")
    assert (tmp_path / "again.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_check_limits_and_check_on_a_report_dict() -> None:
    assert config.load().gates == {
        "max_removed_fraction": None,
        "max_dropped_fraction": None,
        "max_document_removed_fraction": None,
        "max_rule_fraction": None,
        "min_documents_out": None,
        "fail_on_skipped": False,
    }
    empty = {
        "removed_chars": {},
        "chars_out": 0,
        "documents_in": 0,
        "documents_out": 0,
        "skipped": [],
        "documents": {"max_fraction_removed_written": None},
    }
    # An empty run trips only the minimum.
    limits = {g.name: (True if g.kind == "flag" else 1 if g.kind == "minimum" else 0.0) for g in gates.GATES}
    verdict = gates.check(empty, limits)
    assert [f["gate"] for f in verdict["failed"]] == ["min_documents_out"]
