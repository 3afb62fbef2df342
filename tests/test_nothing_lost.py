"""Nothing lost: arbitrary text and arbitrary bytes through the whole command line.

Whatever the input, the run ends without a traceback, and every non-blank
input line (after normalisation) is in the output text, the title, or the
audit at its line number -- or the whole file is listed as skipped.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusclean import config, read
from corpusclean.cli import clean_command
from corpusclean.normalise import fold_line, split_lines

CFG = config.load()

# Lines built from pieces a scrape really holds (prose, boilerplate, dates,
# names, mojibake, odd spaces), mixed with arbitrary characters.
PIECES = [
    "Subscribe",
    "From £15 / month",
    "Video Loading",
    "Watch: the crossing in full",
    "Related: Ferry returns",
    "COMMENT:",
    "By Jane Doe",
    "Tuesday, May 24, 2016",
    "The ferry crossing resumed on Sunday after three weeks in dry dock, the operator said.",
    "The ferry crossing resumed on Sunday after three weeks in dry dock, the operator said. "
    "The ferry crossing resumed on Sunday after three weeks in dry dock, the operator said.",
    "childrenâ€™s centre",
    "a\u00a0no-break\u200bspace",
    "Picture: City Council",
    "",
    "   ",
]
LINE = st.one_of(st.sampled_from(PIECES), st.text(max_size=60))
TEXT = st.lists(LINE, max_size=12).map("\n".join) | st.text(max_size=300)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_cli(data: bytes, name: str = "doc.txt") -> tuple[Any, dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / name
        source.write_bytes(data)
        out, audit, report = folder / "out.jsonl", folder / "audit.jsonl", folder / "report.json"
        result = CliRunner().invoke(
            clean_command,
            [str(source), "-o", str(out), "--audit", str(audit), "--report", str(report), "-q", "-j", "1"],
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.stderr
        assert result.exit_code == 0, result.stderr
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert len(records) <= 1
        removals = [json.loads(x) for x in audit.read_text(encoding="utf-8").splitlines()]
        return result, records[0] if records else {}, removals, json.loads(report.read_text(encoding="utf-8"))


def assert_accounted(text: str, record: dict[str, Any], removals: list[dict[str, Any]]) -> None:
    """Every non-blank normalised line is in the text, the title, or the audit at its position."""
    paragraphs = record.get("text", "").split("\n\n") if record else []
    title = (record or {}).get("title") or ""
    by_pos: dict[int, list[str]] = {}
    for removal in removals:
        # A removal spanning several input lines (a hard-wrapped paragraph) covers each of them.
        for pos in range(removal["position"], removal.get("end_position", removal["position"]) + 1):
            by_pos.setdefault(pos, []).append(removal["text"])
    for pos, raw in enumerate(split_lines(text, CFG.normalise), 1):
        line = fold_line(raw, CFG.normalise).strip()
        if not line:
            continue
        if any(line in p for p in paragraphs) or line == title or any(line in r for r in by_pos.get(pos, [])):
            continue
        rest = line
        for piece in sorted((p.strip() for p in [*by_pos.get(pos, []), title] if p.strip()), key=len, reverse=True):
            rest = rest.replace(piece, "")
        rest = rest.strip()
        assert not rest or any(rest in p for p in paragraphs), f"line {pos} unaccounted: {rest!r} of {line!r}"


@SETTINGS
@given(TEXT)
def test_arbitrary_text_nothing_lost(text: str) -> None:
    data = text.encode("utf-8")
    _, record, removals, report = run_cli(data)
    if report["skipped"]:
        # Skipped whole (empty, or a text that looks binary): listed, so accounted.
        assert [s["reason"] for s in report["skipped"]] in (["empty"], ["binary"]), report["skipped"]
        return
    decoded, _ = read.decode(data)
    if read.sniff_format(".txt", decoded, "text") != "text":
        return  # read as HTML or JSONL, so its lines are not the text's lines
    assert_accounted(decoded, record, removals)
    assert report["documents_in"] == 1


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_nothing_lost(data: bytes) -> None:
    _, record, removals, report = run_cli(data, name="doc.bin")
    if report["skipped"]:
        assert len(report["skipped"]) == 1 and report["skipped"][0]["reason"] in {
            "empty",
            "binary",
            "undecodable",
            "corrupt-compressed",
        }
        return
    decoded, _ = read.decode(data)
    if read.sniff_format(".bin", decoded, "text") != "text":
        return
    assert_accounted(decoded, record, removals)


@SETTINGS
@given(st.sampled_from([".gz", ".bz2", ".xz", ".zst"]), st.binary(max_size=200))
def test_arbitrary_bytes_behind_compression_magic(suffix: str, tail: bytes) -> None:
    """A file that opens like a compressed stream but is not one is skipped, never a crash."""
    magic = {".gz": b"\x1f\x8b\x08", ".bz2": b"BZh91AY&SY", ".xz": b"\xfd7zXZ\x00", ".zst": b"\x28\xb5\x2f\xfd"}
    _, _, _, report = run_cli(magic[suffix] + tail, name=f"doc.txt{suffix}")
    reasons = {s["reason"] for s in report["skipped"]}
    assert report["documents_in"] == 1 or reasons <= {"corrupt-compressed", "empty", "binary", "undecodable"}
