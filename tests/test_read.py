"""read.py on its own: content sniffing, decoding, and bounded reading."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest

from corpusclean import config, decoding, read
from corpusclean.document import Document


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


# Decoding: every kind of byte mess a corpus holds (issue 16).


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize(
    "text",
    [
        "Hi",
        "The ferry sails at nine.\nTickets are on sale.\n",
        "Паром отходит в девять утра.",
        "渡轮上午九点出发，船票已经开售。",
        "フェリーは午前九時に出発します。",
    ],
)
def test_utf16_and_utf32_without_bom_are_text(text: str, encoding: str) -> None:
    assert read.decode(text.encode(encoding)) == (text, encoding)


def test_nul_bytes_that_are_not_utf16_stay_binary() -> None:
    with pytest.raises(read.SkipFile) as info:
        read.decode(bytes(range(256)) * 4)
    assert info.value.reason == "binary"


def test_utf8_with_stray_cp1252_bytes_is_utf8_repaired() -> None:
    data = "Gdańsk and Łódź: the mayor".encode() + b"\x92s office said \x93yes\x94 \xe2\x80\x94 for \xe2\x82\xac4."
    found = decoding.decode(data)
    assert found.text == "Gdańsk and Łódź: the mayor’s office said “yes” — for €4."
    assert found.encoding == "utf-8"
    assert [found.text[i] for i in found.repaired] == ["’", "“", "”"]


def test_a_legacy_file_is_not_taken_for_utf8_with_repairs() -> None:
    # cp1251 text happens to hold a valid UTF-8 pair (С + ¶ is 0xD1 0xB6); its
    # many other high bytes make it a code page file.
    text = "Сегодня в городе тепло, ¶ завтра снова дождь и ветер."
    assert read.decode(text.encode("cp1251")) == (text, "cp1251")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"The caf\xe9 opened at nine and the mayor\x92s aide said so." * 3, "é"),
        (b"Tickets rose to 5\x80 on Monday, the operator said. " * 3, "€"),
        (b"Prices rose by \xa310 in the spring; the board agreed to review them.", "£"),
        (b"A stray \xc0 byte in a long line of plain English words about the weather.", "À"),
    ],
)
def test_stray_bytes_in_ascii_never_turn_into_another_script(data: bytes, expected: str) -> None:
    text, encoding = read.decode(data)
    assert expected in text
    assert encoding == "cp1252"
    assert all(c.isascii() or "LATIN" in unicodedata.name(c) or not c.isalpha() for c in text)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Zastupitelé ve čtvrtek večer schválili rozpočet, řekl mluvčí radnice.", "cp1250"),
        ("Primăria din Braşov a anunţat lucrări noi la pod.", "cp1250"),
        ("Újra közlekedik a fogaskerekű, közölte a szóvivője.", "cp1250"),
        ("İstanbul’da sağanak yağış trafiği durdurdu.", "cp1254"),
        ("Šeštadienį sostinėje atidarytas naujas baseinas.", "cp1257"),
        ("Σήμερα το πλοίο αναχωρεί στις εννέα.", "cp1253"),
        ("Сегодня паром отходит в девять утра.", "koi8_r"),
        ("Сьогодні пором відходить о дев’ятій.", "cp1251"),
        ("افتتحت البلدية سوقا جديدا للمزارعين.", "cp1256"),
        ("העירייה פתחה פארק חדש בשכונה.", "cp1255"),
        ("Żółte kartki i gęsty śnieg w Gdańsku.", "iso8859_2"),
        ("船票已经开售，渡轮明天上午出发。", "gb18030"),
        ("船票已經開售，渡輪明天上午出發。", "big5"),
        ("フェリーは明日の朝に出発します。", "shift_jis"),
        ("여객선은 내일 아침에 출발합니다.", "euc_kr"),
    ],
)
def test_legacy_code_pages_read_as_written(text: str, encoding: str) -> None:
    found, name = read.decode(text.encode(encoding))
    assert found == text, name


def test_preferred_encoding_wins_a_tie_only() -> None:
    # Latin-1 and cp1252 read these bytes alike: the preferred name is reported.
    assert read.decode("naïve café".encode("latin-1")) == ("naïve café", "cp1252")
    # A preference never beats a better reading.
    assert read.decode("Újra közlekedik a fogaskerekű".encode("cp1250"), ["cp1252"])[1] == "cp1250"


def test_pinned_encoding_by_glob_then_for_the_run(tmp_path: Path) -> None:
    cfg = config.load(overrides={"input.encoding": "cp1251", "input.encodings": {"latin/*.txt": "cp1252"}}).input
    assert read.pinned_encoding("corpus/latin/a.txt", cfg) == ("cp1252", "input.encodings['latin/*.txt']")
    assert read.pinned_encoding("corpus/other/a.txt", cfg) == ("cp1251", "input.encoding")
    (tmp_path / "latin").mkdir()
    (tmp_path / "latin" / "a.txt").write_bytes("Crème brûlée".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes("Привет".encode("cp1251"))
    docs = [d for f in ("latin/a.txt", "b.txt") for d in read.read_documents(read.Source(str(tmp_path / f), f), cfg)]
    assert [(d.raw, d.metadata["encoding"]) for d in docs if isinstance(d, Document)] == [
        ("Crème brûlée", "cp1252"),
        ("Привет", "cp1251"),
    ]


def test_pinned_encoding_that_does_not_fit_skips_the_file(tmp_path: Path) -> None:
    cfg = config.load(overrides={"input.encoding": "shift_jis"}).input
    (tmp_path / "a.txt").write_bytes(b"abc \xff\xff")
    [skip] = read.read_documents(read.Source(str(tmp_path / "a.txt"), "a.txt"), cfg)
    assert isinstance(skip, read.Skip)
    assert skip.message() == "a.txt: undecodable bytes: not valid shift_jis at byte 4 (pinned by input.encoding)"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"input.encoding": "cp9999"}, "input.encoding: unknown encoding 'cp9999'"),
        ({"input.encodings": {"*.txt": "klingon"}}, "input.encodings['*.txt']: unknown encoding 'klingon'"),
        ({"input.encodings": {"*.txt": "rot13"}}, "input.encodings['*.txt']: 'rot13' is not a text encoding"),
        (
            {"input.legacy_encodings": ["cp1252", "nope"]},
            "input.legacy_encodings[1]: must be a text encoding Python knows (such as cp1252, latin-1, cp1251), not 'nope'",
        ),
    ],
)
def test_unknown_codec_is_a_config_error_naming_the_key(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(config.ConfigError) as info:
        config.load(overrides=overrides)
    assert str(info.value).startswith(message)


def test_repaired_bytes_counted_per_jsonl_record(tmp_path: Path) -> None:
    lines = [b'{"id": "a", "text": "clean line"}', b'{"id": "b", "text": "the mayor\x92s \x93office\x94"}']
    (tmp_path / "f.jsonl").write_bytes(b"\r\n".join(lines) + "\n".join(["", '{"id": "c", "text": "Łódź"}']).encode())
    docs = list(read.read_documents(read.Source(str(tmp_path / "f.jsonl"), "f.jsonl"), config.load().input))
    assert [d.raw for d in docs if isinstance(d, Document)] == ["clean line", "the mayor’s “office”", "Łódź"]
    assert [d.metadata.get("encoding_repaired_bytes") for d in docs if isinstance(d, Document)] == [None, 3, None]
    assert [d.counters.get("read.repaired_bytes") for d in docs if isinstance(d, Document)] == [None, 3, None]
