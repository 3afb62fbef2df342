"""Output safety: atomic files, clear errors for unwritable outputs, and interrupted runs.

The signal tests run the real command in a subprocess on a corpus large
enough to be stopped halfway, and check that the previous output survives and
no partial file is left behind.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import zstandard
from click.testing import CliRunner

from corpusclean import write
from corpusclean.cli import clean_command

PREVIOUS = '{"id": "previous", "text": "the output of an earlier run"}\n'
WORDS = [
    "the",
    "council",
    "said",
    "harbour",
    "ferry",
    "engineers",
    "replaced",
    "shaft",
    "storm",
    "village",
    "crossing",
    "timetable",
    "residents",
    "estuary",
    "budget",
    "report",
    "inspectors",
    "school",
    "parents",
    "service",
    "trust",
    "minister",
    "figures",
    "week",
    "morning",
    "statement",
]


def prose(rng: random.Random, sentences: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30))).capitalize() + "." for _ in range(sentences)
    )


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(clean_command, [*args, "-q", "-j", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.txt"
    # A title line, so that the audit has a line to write too.
    path.write_text(
        "Ferry Crossing Restored\nA sentence about the ferry crossing, long enough to keep.\n", encoding="utf-8"
    )
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_output_written_atomically_with_usual_mode(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")
    out.chmod(0o640)
    assert invoke(str(source), "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "in"
    assert oct(out.stat().st_mode & 0o777) == oct(0o640), "an existing file keeps its mode"
    fresh = tmp_path / "fresh.jsonl"
    old = os.umask(0o022)
    try:
        assert invoke(str(source), "-o", str(fresh)).exit_code == 0
    finally:
        os.umask(old)
    assert oct(fresh.stat().st_mode & 0o777) == oct(0o644), "a new file gets 0666 less the umask, not 0600"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("suffix", "decompress"),
    [
        (".gz", gzip.decompress),
        (".bz2", bz2.decompress),
        (".xz", lzma.decompress),
        (".zst", lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b)),
    ],
)
def test_compressed_output(tmp_path: Path, source: Path, suffix: str, decompress: Any) -> None:
    outs = [tmp_path / f"out{n}.jsonl{suffix}" for n in (1, 2)]
    for out in outs:
        assert invoke(str(source), "-o", str(out), "--audit", str(out) + ".audit").exit_code == 0
    record = json.loads(decompress(outs[0].read_bytes()))
    assert record["id"] == "in"
    assert outs[0].read_bytes() == outs[1].read_bytes(), "compressed output is the same bytes every run"


@pytest.mark.parametrize("which", ["-o", "--audit", "--report"])
def test_output_in_missing_folder(tmp_path: Path, source: Path, which: str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")
    args = {"-o": str(out), "--audit": str(tmp_path / "audit.jsonl"), "--report": str(tmp_path / "report.json")}
    missing = tmp_path / "no" / "such" / "file.json"
    args[which] = str(missing)
    result = invoke(str(source), *[x for kv in args.items() for x in kv])
    assert result.exit_code == 1
    assert result.stderr == (
        f"corpusclean: error: {missing}: cannot write output: folder {missing.parent} does not exist\n"
    )
    # Checked before any work: nothing was written, the old output is untouched.
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.jsonl"]


def test_output_that_is_a_folder(tmp_path: Path, source: Path) -> None:
    result = invoke(str(source), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"corpusclean: error: {tmp_path}: cannot write output: it is a folder\n"


def _full_disk(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Temporary files whose name starts with `name` write to /dev/full: the kernel's ENOSPC."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, path = real(*args, **kwargs)
        if Path(path).name.startswith(f".{name}."):
            full = os.open("/dev/full", os.O_WRONLY)
            os.dup2(full, fd)
            os.close(full)
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("which", ["out.jsonl", "audit.jsonl", "report.json"])
def test_full_disk(tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, which: str) -> None:
    for name in ("out.jsonl", "audit.jsonl", "report.json"):
        (tmp_path / name).write_text(PREVIOUS, encoding="utf-8")
    _full_disk(monkeypatch, which)
    result = invoke(
        str(source),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--audit",
        str(tmp_path / "audit.jsonl"),
        "--report",
        str(tmp_path / "report.json"),
    )
    assert result.exit_code == 1
    assert result.stderr == f"corpusclean: error: {tmp_path / which}: cannot write output: no space left on device\n"
    assert (tmp_path / which).read_text(encoding="utf-8") == PREVIOUS
    assert leftovers(tmp_path) == []


def test_stale_temp_of_a_killed_run_is_removed(tmp_path: Path, source: Path) -> None:
    out = tmp_path / "out.jsonl"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.jsonl.{write.TEMP_TAG}-{int(dead.stdout)}.abc123.tmp"
    live = tmp_path / f".out.jsonl.{write.TEMP_TAG}-{os.getpid()}.def456.tmp"
    other = tmp_path / ".other.jsonl.corpusclean-1.x.tmp"
    for path in (stale, live, other):
        path.write_text("partial", encoding="utf-8")
    assert invoke(str(source), "-o", str(out)).exit_code == 0
    # Only the dead run's temporary file of this target goes; a running one stays.
    assert leftovers(tmp_path) == sorted([live.name, other.name])


def test_stdout_closed_early_is_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    rng = random.Random(3)
    for n in range(200):
        (folder / f"{n:03}.txt").write_text(prose(rng, 5), encoding="utf-8")
    pipeline = subprocess.run(
        f"{sys.executable} -m corpusclean clean {folder} -o - -q -j 1 | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert len(pipeline.stdout.splitlines()) == 1
    assert pipeline.stderr == ""


# -- interrupted runs ------------------------------------------------------------


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough text that a run takes a few seconds on two cores."""
    folder = tmp_path_factory.mktemp("big") / "in"
    folder.mkdir()
    rng = random.Random(11)
    for n in range(1500):
        (folder / f"{n:05}.txt").write_text(prose(rng, 40), encoding="utf-8")
    return folder


def _start(corpus: Path, out: Path, jobs: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "corpusclean", "clean", str(corpus), "-o", str(out), "--audit", str(out) + ".audit"]
        + ["-q", "-j", str(jobs), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def _wait_for_partial_output(folder: Path, proc: subprocess.Popen[str]) -> None:
    """Until the run has written part of its output to a temporary file."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        temps = [p for p in folder.glob(f".out.jsonl.{write.TEMP_TAG}-*.tmp") if p.stat().st_size > 0]
        if temps:
            return
        assert proc.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.01)
    raise AssertionError("no partial output appeared")


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    ("sig", "code", "word", "group"),
    [
        (signal.SIGINT, 130, "interrupted", True),  # Ctrl-C reaches the whole foreground group
        (signal.SIGTERM, 143, "terminated", False),  # kill PID
    ],
    ids=["sigint", "sigterm"],
)
def test_interrupted_run_leaves_previous_output(
    tmp_path: Path, big_corpus: Path, jobs: int, sig: int, code: int, word: str, group: bool
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")
    # Without dedup the output streams from the first batch on, so the signal
    # lands with most of the run still ahead, however loaded the machine (a
    # dedup run writes only in its last seconds, and could finish first).
    proc = _start(big_corpus, out, jobs, "--no-dedup")
    _wait_for_partial_output(tmp_path, proc)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert stderr == (f"corpusclean: {word}; unfinished output removed, earlier output files left as they were\n")
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"], "no partial or temporary file"


def test_killed_run_leaves_previous_output_and_next_run_cleans_up(tmp_path: Path, big_corpus: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")
    proc = _start(big_corpus, out, 1)
    _wait_for_partial_output(tmp_path, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_text(encoding="utf-8") == PREVIOUS
    # SIGKILL cannot be caught: the temporary files stay, named for their run...
    assert len(leftovers(tmp_path)) == 2
    # ...and the next run writing the same targets removes them.
    small = tmp_path / "small.txt"
    small.write_text("One short document about the ferry and its engineers.\n", encoding="utf-8")
    assert invoke(str(small), "-o", str(out), "--audit", str(out) + ".audit").exit_code == 0
    assert leftovers(tmp_path) == []
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "small"


def test_killed_run_leaves_spill_files_that_the_next_run_removes(tmp_path: Path, big_corpus: Path) -> None:
    """The parked documents and the dedup keys of a killed run are removed by the next run."""
    spill = tmp_path / "spill"
    spill.mkdir()
    config = tmp_path / "spill.yaml"
    config.write_text(f"dedup:\n  spill_dir: {json.dumps(str(spill))}\n", encoding="utf-8")
    out = tmp_path / "out" / "out.jsonl"
    out.parent.mkdir()
    proc = _start(big_corpus, out, 2, "--config", str(config))
    _wait_for_partial_output(out.parent, proc)  # output is written in pass 2: the documents are parked
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    left = sorted(p.name.split("-")[:3] for p in spill.iterdir())
    assert left == [["corpusclean", str(proc.pid), "documents"], ["corpusclean", str(proc.pid), "keys"]]
    small = tmp_path / "small.txt"
    small.write_text("One short document about the ferry and its engineers.\n", encoding="utf-8")
    assert invoke(str(small), "-o", str(out), "--config", str(config)).exit_code == 0
    assert list(spill.iterdir()) == []


TRICKY = [
    "plain",
    '\u201cquoted\u201d "and" \\ slashed',
    "tab\there",
    "line\nbreak",
    "\x07bell",
    "\ud800 lone",
    "\U0001f600 face",
    "",
]


@pytest.mark.parametrize("piece_chars", [1, 7, 1 << 20])
def test_a_record_written_in_pieces_is_the_record_written_whole(
    monkeypatch: pytest.MonkeyPatch, piece_chars: int
) -> None:
    """record_bytes gives, a piece at a time, the bytes the output gets for
    dumps(document_record(doc)): the same escapes, the same lone-surrogate escape."""
    from corpusclean.document import Document, Paragraph, Removal

    monkeypatch.setattr(write, "PIECE_CHARS", piece_chars)
    for title in (None, "A \u201ctitle\u201d \ud800"):
        doc = Document(id='i"d', source="dir/\udcff.txt", chars_in=99, title=title, metadata={"url": "u", "z": [1]})
        doc.paragraphs = [Paragraph(i, text, single_version=i == 2) for i, text in enumerate(TRICKY, 1)]
        doc.removals = [Removal("boilerplate", "share", 3, "Share"), Removal("dedup", "exact-duplicate", 4, "x")]
        whole = write.dumps(write.document_record(doc)).encode("utf-8", "backslashreplace")
        assert b"".join(write.record_bytes(doc)) == whole
    empty = Document(id="e", source="s")
    assert b"".join(write.record_bytes(empty)) == write.dumps(write.document_record(empty)).encode()


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_copied_bytes_are_the_bytes_of_the_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """copy_encoded writes a record's bytes through the output's text layer a
    chunk at a time (cutting characters in two): the file gets the bytes that
    writing the string gives, compressed or not."""
    monkeypatch.setattr(write, "CHUNK", 3)
    line = '{"text": "\u201cq\u201d \U0001f600 \\udc80 caf\u00e9"}\n'
    outs = []
    for how in ("string", "copy"):
        path = tmp_path / f"{how}.jsonl{suffix}"
        with write.atomic_writer(str(path)) as out:
            out.write("first\n")
            if how == "string":
                out.write(line)
            else:
                data = line.encode("utf-8")
                source = tmp_path / "bytes"
                source.write_bytes(b"xx" + data)
                with source.open("rb") as file:
                    file.seek(2)
                    write.copy_encoded(file, len(data), out)
            out.write("last\n")
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
