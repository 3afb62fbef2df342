"""Fault tests: SIGKILL at random moments, random bytes as files and file names.

The kill loop starts real `clean` runs with two workers and kills the main
process with SIGKILL (which it cannot catch) at seeded random moments, then
checks what a user relies on: no worker is left running, the output written
by an earlier run is intact, and a rerun gives the same bytes. The fuzz test
feeds random bytes as file contents and as file names through the command
line and never sees a traceback. Both are seeded (derandomized), bounded in
count, and take a few tens of seconds together.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusclean.cli import clean_command

KILLS = 12
KILL_SEED = 17
# Seconds to wait for a killed run's workers to go (they get SIGKILL from the
# kernel at once; the wait only covers a loaded machine).
GONE_WITHIN = 3.0


def corpus(folder: Path, files: int = 60, seed: int = 5) -> None:
    """Small news-like pages with shared and near-shared paragraphs (dedup has work)."""
    rng = random.Random(seed)
    words = [
        "council",
        "ferry",
        "harbour",
        "library",
        "budget",
        "school",
        "river",
        "bridge",
        "court",
        "vote",
        "road",
        "station",
    ]
    shared = [" ".join(rng.choice(words) for _ in range(30)) + "." for _ in range(20)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        paragraphs = [" ".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + "." for _ in range(8)]
        paragraphs += rng.sample(shared, 3)
        (folder / f"page{i:03d}.txt").write_text(f"Headline number {i}\n\n" + "\n\n".join(paragraphs) + "\n")


def children(pid: int) -> set[int]:
    """Every process below `pid` (from /proc: its threads' children, recursively)."""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as file:
                kids = {int(x) for x in file.read().split()}
        except OSError:
            continue
        for kid in kids:
            found |= {kid} | children(kid)
    return found


def running(pid: int) -> bool:
    """Whether `pid` is alive (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + GONE_WITHIN
    left = set(pids)
    while left and time.monotonic() < deadline:
        left = {p for p in left if running(p)}
        time.sleep(0.05)
    return left


def clean_argv(src: Path, out: Path, audit: Path, report: Path) -> list[str]:
    return [sys.executable, "-m", "corpusclean", "clean", str(src), "-o", str(out)] + [
        "--audit",
        str(audit),
        "--report",
        str(report),
        "-j",
        "2",
        "-q",
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """SIGKILL of `clean ... -o -`: its workers go at once, and the reader of its stdout sees the end."""
    corpus(tmp_path / "in", files=400)
    argv = [sys.executable, "-m", "corpusclean", "clean", str(tmp_path / "in"), "-o", "-", "-j", "2", "-q"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the workers never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert wait_gone(workers) == set()
    # Every holder of the pipe's write end is gone: reading reaches the end.
    proc.stdout.read()
    proc.stdout.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_random_sigkills_leave_nothing_running_and_outputs_intact(tmp_path: Path) -> None:
    src, out, audit, report = tmp_path / "in", tmp_path / "out.jsonl", tmp_path / "audit.jsonl", tmp_path / "r.json"
    corpus(src)
    argv = clean_argv(src, out, audit, report)
    started = time.monotonic()
    subprocess.run(argv, check=True, timeout=300)
    run_seconds = time.monotonic() - started
    expected = {path: path.read_bytes() for path in (out, audit)}
    rng = random.Random(KILL_SEED)
    survived = 0
    for _ in range(KILLS):
        proc = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.0, run_seconds)
        seen: set[int] = set()
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            seen |= children(proc.pid)
            time.sleep(0.01)
        seen |= children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert wait_gone(seen) == set(), f"workers left running after a kill at {delay:.2f}s"
        # A reader sees the earlier output whole (the run's own is the same bytes).
        for path, data in expected.items():
            assert path.read_bytes() == data, f"{path.name} changed by a kill at {delay:.2f}s"
        survived += 1
    subprocess.run(argv, check=True, timeout=300)
    for path, data in expected.items():
        assert path.read_bytes() == data
    # The rerun removed the temporary files of the killed runs.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    assert json.loads(report.read_text(encoding="utf-8"))["files"] == 60
    assert survived == KILLS


# File names: any bytes but '/' and NUL, not '.' or '..', within NAME_MAX.
NAMES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))
# Contents: random bytes, or text with random bytes spliced in, or the magic
# bytes of a compressed format followed by noise.
CONTENTS = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda text, noise, at: text.encode("utf-8")[:at] + noise + text.encode("utf-8")[at:],
        st.text(max_size=200),
        st.binary(max_size=20),
        st.integers(0, 200),
    ),
    st.builds(
        lambda magic, noise: magic + noise,
        st.sampled_from([b"\x1f\x8b\x08", b"\x28\xb5\x2f\xfd", b"BZh91AY&SY"]),
        st.binary(max_size=100),
    ),
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(st.tuples(NAMES, CONTENTS), min_size=1, max_size=4, unique_by=lambda f: f[0]), named=st.booleans()
)
def test_fuzz_random_files_and_names_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[bytes, bytes]], named: bool
) -> None:
    """Random bytes as files and as file names, through the CLI: exit 0, valid JSON lines, no traceback."""
    root = tmp_path_factory.mktemp("fuzz")
    folder = bytes(root) + b"/in"
    os.mkdir(folder)
    for name, data in files:
        with open(folder + b"/" + name, "wb") as file:
            file.write(data)
    out = root / "out.jsonl"
    # The folder, or each file named on the command line (as a shell passes
    # bytes: the surrogate-escaped str Python gives argv).
    paths = [os.fsdecode(folder + b"/" + name) for name, _ in files] if named else [os.fsdecode(folder)]
    argv = [*paths, "-o", str(out), "--report", str(root / "report.json"), "-j", "1", "-q", "--hidden"]
    result = CliRunner().invoke(clean_command, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stderr
    for line in out.read_bytes().decode("utf-8").splitlines():
        json.loads(line)
    report = json.loads((root / "report.json").read_bytes().decode("utf-8"))
    assert report["documents_in"] + len(report["skipped"]) >= 1
