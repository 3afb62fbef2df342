"""Nothing lost and no traceback, whatever the paths and the outputs (issue 17).

File names of any bytes, outputs that would overwrite each other or an
input, ids that stay unique, explain on a JSONL file with a bad record, and a
closed stdout pipe: each through the real command line, asserting the exit
status and the exact line a user sees.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zstandard
from click.testing import CliRunner, Result

from corpusclean.cli import clean_command, main

PROSE = (
    "The harbour ferry resumed its crossing on Sunday after three weeks in dry dock.\n"
    "\n"
    "Engineers replaced a bent propeller shaft, the operator said in a short statement.\n"
)
OTHER = "A second page about the library, whose roof was mended over the summer holidays.\n"


def invoke(*argv: str) -> Result:
    result = CliRunner().invoke(clean_command, [*argv, "-j", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def records(path: Path) -> list[dict[str, Any]]:
    # Strict UTF-8: the output is valid UTF-8 whatever the inputs' names hold.
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]


def last_error(result: Result) -> str:
    return result.stderr.splitlines()[-1]


# -- 1. paths of any bytes ---------------------------------------------------------


def test_file_name_that_is_not_utf8_is_carried_through(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt"))).write_text(PROSE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(str(folder), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    (record,) = records(out)
    assert record["id"] == "caf\\xe9"
    assert record["source"] == f"{folder}/caf\\xe9.txt"


def test_file_name_that_is_not_utf8_on_stdout_and_in_a_skip(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")).write_text(PROSE, encoding="utf-8")
    Path(os.fsdecode(bytes(folder) + b"/empty\xff.txt")).write_bytes(b"")
    result = invoke(str(folder), "-o", "-", "-q")
    assert result.exit_code == 0
    (line,) = result.stdout_bytes.decode("utf-8").splitlines()
    assert json.loads(line)["id"] == "caf\\xe9"
    assert result.stderr.splitlines() == [f"corpusclean: skipped {folder}/empty\\xff.txt: empty file"]


def test_missing_path_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    missing = os.fsdecode(bytes(tmp_path) + b"/gone\xe9.txt")
    result = invoke(missing, "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 2
    assert last_error(result) == f"Error: {tmp_path}/gone\\xe9.txt: no such file or directory"


def test_lone_surrogate_in_a_jsonl_record_becomes_a_replacement_character(tmp_path: Path) -> None:
    """JSON can escape half a surrogate pair, which no UTF-8 file can hold: it becomes U+FFFD, as a UTF-8 decoder does."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a\\ud800", "text": "Broken \\udc80 half of a pair, in a sentence long enough to keep."}\n')
    out = tmp_path / "out.jsonl"
    result = invoke(str(feed), "-o", str(out), "-q")
    assert result.exit_code == 0
    (record,) = records(out)
    assert record["id"] == "a\ufffd"
    assert record["text"] == "Broken \ufffd half of a pair, in a sentence long enough to keep."


# -- 2. output safety --------------------------------------------------------------


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "self.txt"
    src.write_text(PROSE, encoding="utf-8")
    result = invoke(str(src), "-o", str(src))
    assert result.exit_code == 2
    assert last_error(result) == f"Error: -o {src} is also an input: it would be overwritten"
    assert src.read_text(encoding="utf-8") == PROSE


def test_output_linked_to_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(PROSE, encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    result = invoke(str(src), "-o", str(tmp_path / "out.jsonl"), "--audit", str(link))
    assert result.exit_code == 2
    assert last_error(result) == f"Error: --audit {link} is also an input: it would be overwritten"
    assert src.read_text(encoding="utf-8") == PROSE


def test_outputs_naming_one_file_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(PROSE, encoding="utf-8")
    out = tmp_path / "x.jsonl"
    result = invoke(str(src), "-o", str(out), "--audit", str(tmp_path / "x.jsonl"), "--report", str(out))
    assert result.exit_code == 2
    assert last_error(result) == f"Error: -o and --audit name the same file ({out})"
    assert not out.exists()


def test_stdout_for_two_outputs_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(PROSE, encoding="utf-8")
    result = invoke(str(src), "-o", "-", "--report", "-")
    assert result.exit_code == 2
    assert last_error(result) == "Error: -o and --report are both '-': stdout can take only one of them"


def test_outputs_inside_an_input_folder_are_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PROSE, encoding="utf-8")
    out, audit, report = folder / "out.jsonl", folder / "audit.jsonl", folder / "report.json"
    argv = [str(folder), "-o", str(out), "--audit", str(audit), "--report", str(report)]
    first = invoke(*argv)
    second = invoke(*argv)
    assert first.exit_code == second.exit_code == 0
    assert [r["id"] for r in records(out)] == ["a"]  # not out, audit or report read back
    assert json.loads(report.read_text(encoding="utf-8"))["files"] == 1
    assert f"corpusclean: note: {out} (-o) is inside the input folder {folder}; the walk leaves it out" in (
        second.stderr.splitlines()
    )


# -- 3. unique, stable ids ---------------------------------------------------------


def test_ids_are_paths_below_the_folder_without_format_suffixes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in ("a/story.txt", "b/story.txt", "b/deep/page.html.gz"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / "a/story.txt").write_text(PROSE, encoding="utf-8")
    (folder / "b/story.txt").write_text(OTHER, encoding="utf-8")
    (folder / "b/deep/page.html.gz").write_bytes(gzip.compress(OTHER.replace("library", "pool").encode(), mtime=0))
    out = tmp_path / "out.jsonl"
    result = invoke(str(folder), "-o", str(out), "-q", "--no-dedup")
    assert result.exit_code == 0
    assert [r["id"] for r in records(out)] == ["a/story", "b/deep/page", "b/story"]


def test_colliding_ids_get_a_suffix_and_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt.gz").write_bytes(gzip.compress(PROSE.encode(), mtime=0))
    (folder / "x.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(OTHER.encode()))
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    result = invoke(str(folder), "-o", str(out), "--report", str(report), "--no-dedup")
    assert result.exit_code == 0
    assert [(r["id"], r["source"]) for r in records(out)] == [
        ("x", f"{folder}/x.txt.gz"),
        ("x~2", f"{folder}/x.txt.zst"),
    ]
    warning = f"id 'x' of {folder}/x.txt.zst is also that of {folder}/x.txt.gz; it is written as 'x~2'"
    assert f"corpusclean: warning: {warning}" in result.stderr.splitlines()
    assert json.loads(report.read_text(encoding="utf-8"))["warnings"] == [warning]


def test_same_name_in_two_folders_given(tmp_path: Path) -> None:
    for folder, text in (("a", PROSE), ("b", OTHER)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "-q")
    assert result.exit_code == 0
    assert [r["id"] for r in records(out)] == ["story", "story~2"]


# -- 9. explain on JSONL, and a closed stdout pipe --------------------------------


def test_explain_jsonl_explains_good_records_and_names_bad_ones(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "one", "text": PROSE})
    feed.write_text(f'{good}\n{{"id": "two", "text": "cut off\n{json.dumps({"id": "three", "text": OTHER})}\n')
    result = CliRunner().invoke(main, ["explain", str(feed), "--no-dedup"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("==")] == [
        f"== {feed}:1 (id one)",
        f"== {feed}:3 (id three)",
    ]
    assert result.stderr.splitlines() == [
        f"corpusclean: skipped {feed}:2: not valid JSON at column 23: Unterminated string starting"
    ]


def test_explain_jsonl_with_no_good_record_is_an_error(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "one", "text": 5}\n')
    result = CliRunner().invoke(main, ["explain", str(feed)])
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[0]
        == f"corpusclean: skipped {feed}:1: no string field 'text' (input.jsonl_text_field)"
    )
    assert last_error(result) == f"Error: {feed}: no record could be read"


@pytest.mark.parametrize("command", [["clean", "-o", "-"], ["explain"]])
def test_closed_stdout_pipe_ends_quietly_with_141(tmp_path: Path, command: list[str]) -> None:
    src = tmp_path / "a.txt"
    src.write_text(PROSE * 50, encoding="utf-8")
    argv = [sys.executable, "-m", "corpusclean", command[0], str(src), *command[1:]]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first write: `| head -0`
    done = subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, timeout=300, check=False)
    os.close(write_end)
    assert done.returncode == 141
    assert b"corpusclean: " not in done.stderr or command[0] == "clean"
    assert b"Traceback" not in done.stderr and b"Exception" not in done.stderr


def test_temporary_outputs_are_left_out_of_a_hidden_walk(tmp_path: Path) -> None:
    """With --hidden, the run's own temporary files (.out.jsonl.corpusclean-*.tmp) are in the folder as it is walked."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PROSE, encoding="utf-8")
    stale = folder / ".out.jsonl.corpusclean-999999999.abc.tmp"  # a killed run's, whose pid is gone
    stale.write_text('{"id": "old", "text": "A half-written record of an earlier run that was killed."}\n')
    out, report = folder / "out.jsonl", folder / "report.json"
    result = invoke(str(folder), "-o", str(out), "--report", str(report), "--hidden", "-q")
    assert result.exit_code == 0
    assert [r["id"] for r in records(out)] == ["a"]
    assert json.loads(report.read_text(encoding="utf-8"))["files"] == 1
