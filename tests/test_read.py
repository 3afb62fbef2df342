"""read.py on its own: content sniffing, decoding, and bounded reading."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from corpusclean import config, read


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (gzip.compress(b"x"), ".gz"),
        (b"BZh91AY&SY\x00", ".bz2"),
        (b"\xfd7zXZ\x00\x00", ".xz"),
        (b"\x28\xb5\x2f\xfd\x00", ".zst"),
        (b"BZh is how this note starts", ""),
        (b"plain text", ""),
        (b"", ""),
    ],
)
def test_sniff_compression(head: bytes, expected: str) -> None:
    assert read.sniff_compression(head[: read.MAGIC_LEN]) == expected


@pytest.mark.parametrize(
    ("suffix", "text", "expected"),
    [
        (".txt", "<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        (".txt", "  <?xml version='1.0'?>\n<!-- saved -->\n<html lang='en'><p>x</p></html>", "html"),
        (".txt", "A note that mentions <html> in passing.", "text"),
        (".html", "Plain words, no tags at all.", "text"),
        (".html", "<p>A fragment</p>", "html"),
        (".txt", '{"text": "a record"}\n{"text": "another"}', "jsonl"),
        (".txt", '{"other": "no text field"}', "text"),
        (".jsonl", "plain\nwords\n", "text"),
        (".jsonl", 'garbage first\n{"text": "then a record"}', "jsonl"),
        ("", '{"text": "no suffix at all"}', "jsonl"),
    ],
)
def test_sniff_format(suffix: str, text: str, expected: str) -> None:
    assert read.sniff_format(suffix, text, "text") == expected


def test_decode_prefers_cp1252_only_when_plausible() -> None:
    western = "Crème brûlée for the naïve café owner, déjà vu.".encode("cp1252")
    assert read.decode(western) == ("Crème brûlée for the naïve café owner, déjà vu.", "cp1252")
    greek = "Καλημέρα, αυτό είναι ένα κείμενο σε παλιά κωδικοποίηση.".encode("cp1253")
    text, encoding = read.decode(greek)
    assert encoding == "cp1253" and text.startswith("Καλημέρα")


def test_decode_refuses_binary() -> None:
    with pytest.raises(read.SkipFile) as info:
        read.decode(b"text\x00with a nul")
    assert info.value.reason == "binary"
    with pytest.raises(read.SkipFile):
        read.decode(bytes(range(1, 32)) * 10)  # control bytes without a NUL


def test_check_lines_names_the_line() -> None:
    read._check_lines("short\r\n" + "x" * 50, 100)
    with pytest.raises(read.SkipFile) as info:
        read._check_lines("a\rb\r\n" + "x" * 150 + "\nend", 100)
    assert info.value.detail == "line 3 has 150 characters, over input.max_line_chars (100)"
    with pytest.raises(read.SkipFile) as info:
        read._check_lines("a\n" * 60 + "y" * 101, 100)
    assert info.value.detail.startswith("line 61 has 101 characters")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc (Linux)")
def test_decompression_bomb_never_read_into_memory(tmp_path: Path) -> None:
    """A 2 MB file that expands to 2 GiB: the run stops at the limit, memory stays small
    (one process, so that the process measured is the one that reads)."""
    compress = zlib.compressobj(9, zlib.DEFLATED, 31)  # a gzip member
    member = compress.compress(b"\0" * (16 << 20)) + compress.flush()
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(member * 128)  # gzip members may follow one another
    assert bomb.stat().st_size < 3 << 20
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("input:\n  max_decompressed_bytes: 67108864\n", encoding="utf-8")
    script = (
        "from click.testing import CliRunner\n"
        "from corpusclean.cli import clean_command\n"
        f"r = CliRunner().invoke(clean_command, [{str(bomb)!r}, '-o', {str(tmp_path / 'o.jsonl')!r}, "
        f"'--config', {str(cfg)!r}, '--report', {str(tmp_path / 'r.json')!r}, '-q', '-j', '1'])\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would
        # count the test runner's own memory at the fork.
        "peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]\n"
        "print(r.exit_code, peak)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    code, max_rss_kib = map(int, done.stdout.split())
    assert code == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [s["reason"] for s in report["skipped"]] == ["decompression-limit"]
    # The limit (64 MiB) plus the interpreter and libraries; reading the whole
    # expansion would need 2 GiB.
    assert max_rss_kib < 400 * 1024, f"peak memory {max_rss_kib} KiB"


def test_read_documents_of_a_big_legit_file_is_whole(tmp_path: Path) -> None:
    """Chunked reading loses nothing: a file several chunks long comes back byte for byte."""
    lines = [f"Line {n} of a long but ordinary text file about the harbour." for n in range(60000)]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size > 3 * read.CHUNK
    (doc,) = read.read_documents(read.Source(str(path), str(path)), config.load().input)
    assert isinstance(doc, read.Document) and doc.raw == "\n".join(lines)
    gz = tmp_path / "long.txt.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    (doc,) = read.read_documents(read.Source(str(gz), str(gz)), config.load().input)
    assert isinstance(doc, read.Document) and doc.raw == "\n".join(lines)
