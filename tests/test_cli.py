"""The command line through click's CliRunner and a real subprocess: exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpusclean import __version__, pipeline
from corpusclean.cli import clean_command, main

from .conftest import SEEDS

ARTICLE = """Council to close three libraries

By Jane Ortega
3 March 2021

The council will close three branch libraries next year, its cabinet decided on Tuesday.

Subscribe

Campaigners said the closures would hit families who cannot travel to the city centre.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_writes_records_and_summary(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(clean_command, [str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "a"
    assert record["title"] == "Council to close three libraries"
    assert record["metadata"]["author"] == "Jane Ortega"
    assert record["metadata"]["date"] == "2021-03-03"
    assert record["text"] == (
        "The council will close three branch libraries next year, its cabinet decided on Tuesday.\n\n"
        "Campaigners said the closures would hit families who cannot travel to the city centre."
    )
    assert "1 document from 1 input -> 1 written" in result.stderr


def test_stdout_output_carries_only_jsonl(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    result = CliRunner().invoke(clean_command, [str(src), "-o", "-"])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert "corpusclean:" in result.stderr and "corpusclean:" not in result.stdout


def test_stdin_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(clean_command, ["-", "-o", "-", "-q"], input=ARTICLE)
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["source"] == "<stdin>" and record["title"] == "Council to close three libraries"
    assert result.stderr == ""


def test_audit_and_report_files(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    audit, report = tmp_path / "audit.jsonl", tmp_path / "report.json"
    args = [str(src), "-o", str(tmp_path / "o.jsonl"), "--audit", str(audit), "--report", str(report)]
    result = CliRunner().invoke(clean_command, args)
    assert result.exit_code == 0
    removals = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert {(r["position"], r["reason"]) for r in removals} == {
        (1, "metadata.title"),
        (3, "metadata.byline"),
        (4, "metadata.date"),
        (8, "boilerplate.subscribe-button"),
    }
    counts = json.loads(report.read_text(encoding="utf-8"))
    assert counts["documents_in"] == counts["documents_out"] == 1
    assert counts["removals"]["boilerplate.subscribe-button"] == 1


def test_no_dedup_and_threshold(tmp_path: Path) -> None:
    para = "The regional health board said waiting times for hip operations had fallen by a third since April."
    src = write(tmp_path, "a.txt", f"{para}\n\nSomething else entirely happened later in the week.\n")
    write(tmp_path, "b.txt", f"{para.replace('a third', 'one third')}\n\nAnother story about trains.\n")
    out = tmp_path / "o.jsonl"
    runner = CliRunner()
    assert runner.invoke(clean_command, [str(tmp_path), "-o", str(out), "-q"]).exit_code == 0
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts[1] == "Another story about trains."
    assert runner.invoke(clean_command, [str(tmp_path), "-o", str(out), "-q", "--no-dedup"]).exit_code == 0
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts[1].startswith("The regional health board")
    strict_match = runner.invoke(clean_command, [str(tmp_path), "-o", str(out), "-q", "--threshold", "99.5"])
    assert strict_match.exit_code == 0
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts[1].startswith("The regional health board")
    assert src.exists()


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        ("dedup:\n  treshold: 90\n", "dedup.treshold: unknown key (did you mean 'threshold'?)"),
        ("dedup:\n  threshold: high\n", "dedup.threshold: must be a number from 0 to 100, not 'high'"),
        (
            "boilerplate:\n  rules:\n    - name: broken\n      category: x\n      match: regex\n      pattern: '(unclosed'\n",
            "boilerplate.rules[0] (name 'broken').pattern: not a valid regular expression",
        ),
        ("- just a list\n", "the config must be a mapping of sections"),
    ],
)
def test_config_errors_exit_2_and_name_the_key(tmp_path: Path, config_text: str, message: str) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    cfg = write(tmp_path, "bad.yaml", config_text)
    result = CliRunner().invoke(clean_command, [str(src), "-o", str(tmp_path / "o.jsonl"), "--config", str(cfg)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_missing_path_is_usage_error_before_work(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(clean_command, [str(src), str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 2
    assert "nope: no such file or directory" in result.stderr
    assert not out.exists()


def test_bad_threshold_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(clean_command, [str(SEEDS), "-o", "-", "--threshold", "150"])
    assert result.exit_code == 2
    assert "must be between 0 and 100" in result.stderr


def test_strict_exit_code_on_skipped_input(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", ARTICLE)
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "o.jsonl"
    runner = CliRunner()
    relaxed = runner.invoke(clean_command, [str(tmp_path), "-o", str(out)])
    assert relaxed.exit_code == 0
    assert f"corpusclean: skipped {tmp_path / 'empty.txt'}: empty file" in relaxed.stderr
    strict = runner.invoke(clean_command, [str(tmp_path), "-o", str(out), "--strict"])
    assert strict.exit_code == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_output_in_missing_folder_is_one_line_error(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    result = CliRunner().invoke(clean_command, [str(src), "-o", str(tmp_path / "no" / "o.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr


def test_failed_run_keeps_previous_output(tmp_path: Path) -> None:
    out = write(tmp_path, "o.jsonl", "previous\n")
    cfg = write(tmp_path, "bad.yaml", "dedup:\n  nope: 1\n")
    CliRunner().invoke(clean_command, [str(SEEDS), "-o", str(out), "--config", str(cfg)])
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".o.jsonl")] == []


def test_help_documents_examples_and_exit_codes() -> None:
    result = CliRunner().invoke(clean_command, ["--help"])
    assert result.exit_code == 0
    for text in ("clean seeds/ -o corpus.jsonl", "Exit codes", "--audit", "--strict", "--no-dedup", "--jobs"):
        assert text in result.output


def test_version() -> None:
    for command in (clean_command, main):
        result = CliRunner().invoke(command, ["--version"])
        assert result.exit_code == 0 and __version__ in result.output


def test_group_clean_is_the_same_command(tmp_path: Path) -> None:
    src = write(tmp_path, "a.txt", ARTICLE)
    a = CliRunner().invoke(clean_command, [str(src), "-o", "-", "-q"])
    b = CliRunner().invoke(main, ["clean", str(src), "-o", "-", "-q"])
    assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout


def test_real_subprocess_python_m(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "corpusclean", "clean", str(SEEDS), "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "5 documents from 5 inputs -> 5 written" in done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_same_bytes_on_every_run_and_any_jobs(tmp_path: Path) -> None:
    outs = []
    for n, jobs in enumerate(["1", "2", "1"]):
        out = tmp_path / f"o{n}.jsonl"
        result = CliRunner().invoke(clean_command, [str(SEEDS), "-o", str(out), "-q", "-j", jobs])
        assert result.exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


@pytest.mark.parametrize("dedup", [[], ["--no-dedup"]])
def test_jobs_give_the_same_output_audit_and_counts_on_mixed_inputs(
    tmp_path: Path, dedup: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches cross the pool in both passes, stdin is read in the main process
    and skips need no worker: none of it may show in the output."""
    monkeypatch.setattr(pipeline, "BATCH_SOURCES", 2)  # several batches in each pass
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 2)
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())
        (folder / f"copy-{seed.name}").write_bytes(seed.read_bytes())  # syndicated copies
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    stdin_text = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    runs = []
    for jobs in ("1", "2"):
        out, audit, report = (tmp_path / f"{name}{jobs}" for name in ("out", "audit", "report"))
        args = [str(folder), "-", "-o", str(out), "--audit", str(audit), "--report", str(report), "-q", "-j", jobs]
        result = CliRunner().invoke(clean_command, args + dedup, input=stdin_text)
        assert result.exit_code == 0, result.output
        counts = json.loads(report.read_text(encoding="utf-8"))
        for volatile in ("seconds", "mb_per_second", "peak_rss_mb", "stages"):
            counts.pop(volatile)
        runs.append((out.read_bytes(), audit.read_bytes(), counts))
    assert runs[0] == runs[1]
    out_bytes, audit_bytes, counts = runs[0]
    assert counts["documents_in"] == 11 and len(counts["skipped"]) == 2
    assert b'"reason": "dedup.' in audit_bytes if not dedup else b"dedup." not in audit_bytes
    assert len(out_bytes.splitlines()) == counts["documents_out"]
