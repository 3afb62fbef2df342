"""The progress bar: drawn on a terminal's stderr only, never into logs or under -q."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from click.testing import CliRunner

from corpusclean.cli import clean_command
from corpusclean.progress import Progress, format_eta, survey

from .conftest import SEEDS


def test_format_eta() -> None:
    assert format_eta(0) == "0:00:00"
    assert format_eta(61.9) == "0:01:01"
    assert format_eta(3 * 3600 + 25 * 60 + 7) == "3:25:07"


def test_survey_counts_files_and_bytes() -> None:
    files, total = survey([str(SEEDS)])
    assert files == 5
    assert total == sum(p.stat().st_size for p in SEEDS.iterdir())


def test_line_reports_files_documents_rate_and_eta() -> None:
    stream = io.StringIO()
    progress = Progress(stream, total_files=4, total_bytes=4_000_000)
    progress.started -= 2.0  # two seconds in
    progress.advance(1_000_000, 3)
    line = progress.line(progress.started + 2.0)
    assert "1/4 files" in line
    assert "3 documents" in line
    assert "0.5 MB/s" in line
    assert "ETA 0:00:06" in line  # 3 MB left at 0.5 MB/s
    assert " 25%" in line


def test_stage_after_reading_spins_and_counts() -> None:
    stream = io.StringIO()
    progress = Progress(stream, total_files=1, total_bytes=10)
    progress.advance(10, 1)
    progress.stage("dedup: scoring 1,234 candidate pairs", unit="slices scored")
    progress.step(3)
    now = progress.stage_started + 65
    assert progress.line(now).endswith(" dedup: scoring 1,234 candidate pairs  3 slices scored  0:01:05")
    progress.stage("writing", 4, "documents")
    progress.step(1)
    assert progress.line(progress.stage_started).startswith("[######..................]  25%  writing 1/4 documents")
    progress.close()
    assert stream.getvalue().endswith("\r")


def test_message_goes_above_the_bar_and_close_clears_it() -> None:
    stream = io.StringIO()
    progress = Progress(stream, total_files=2, total_bytes=10)
    progress.advance(5, 1)
    progress.message("corpusclean: skipped x.txt: empty file")
    progress.close()
    out = stream.getvalue()
    assert "\rcorpusclean: skipped x.txt: empty file" in out
    assert out.endswith("\r")
    assert out.rstrip("\r").endswith(" ")  # the bar is blanked before the summary


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path) -> None:
    result = CliRunner().invoke(clean_command, [str(SEEDS), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0
    assert "\r" not in result.stderr
    assert "MB/s" in result.stderr  # the summary still gives throughput


def _stderr_on_a_terminal(args: list[str]) -> str:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "corpusclean", "clean", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.returncode == 0
        return b"".join(chunks).decode()
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


def test_bar_drawn_on_a_terminal(tmp_path) -> None:
    err = _stderr_on_a_terminal([str(SEEDS), "-o", str(tmp_path / "out.jsonl")])
    assert "reading 5/5 files" in err
    assert "ETA" in err
    # After reading, each dedup stage and the writing have a line of their own.
    for stage in ("dedup: exact duplicates", "dedup: candidate pairs", "dedup: deciding", "writing "):
        assert f" {stage}" in err
    assert "writing 5/5 documents" in err
    assert "corpusclean: 5 documents from 5 inputs" in err


def test_quiet_silences_the_bar_on_a_terminal(tmp_path) -> None:
    err = _stderr_on_a_terminal([str(SEEDS), "-o", str(tmp_path / "out.jsonl"), "-q"])
    assert err == ""
