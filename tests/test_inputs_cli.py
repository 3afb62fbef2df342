"""Every input format, encoding and bad input, through the real command line.

Each test writes its own small files, runs `clean` with CliRunner and checks
what a user sees: the records, the one-line message on stderr, the report's
list of skipped inputs, and the exit status.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import zstandard
from click.testing import CliRunner

from corpusclean import read
from corpusclean.cli import clean_command
from corpusclean.extract import visible_text

PROSE = (
    "The harbour ferry resumed its crossing on Sunday after three weeks in dry dock.\n"
    "\n"
    "Engineers replaced a bent propeller shaft, the operator said in a short statement.\n"
)
HTML = """<!DOCTYPE html>
<html><head><title>Ferry Returns After Storm | Coast Gazette</title>
<meta name="author" content="Mara Lindqvist">
<meta property="article:published_time" content="2021-03-14T09:00:00Z">
<link rel="canonical" href="https://gazette.example.org/news/ferry-returns">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry Returns After Storm</h1>
<p>The small passenger ferry that links the two villages resumed service on Sunday morning after three weeks in dry dock.</p>
<p>Engineers replaced the starboard propeller shaft, which had been bent when the vessel struck debris in February.</p>
</article>
<footer>Copyright 2021 Coast Gazette</footer>
</body></html>
"""
COMPRESS = {
    ".gz": lambda b: gzip.compress(b, mtime=0),
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda b: zstandard.ZstdCompressor().compress(b),
}


@dataclass
class Run:
    exit_code: int
    stderr: str
    records: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    report: dict[str, Any]
    out: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.records]

    @property
    def skipped(self) -> list[tuple[str, str]]:
        return [(s["source"], s["reason"]) for s in self.report.get("skipped", [])]

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def clean(tmp_path: Path, *args: str, stdin: bytes | None = None, config: str | None = None) -> Run:
    """Run `clean ARGS -o out.jsonl --audit --report -q -j 1` and collect what it wrote."""
    out, audit, report = tmp_path / "out.jsonl", tmp_path / "audit.jsonl", tmp_path / "report.json"
    argv = [*args, "-o", str(out), "--audit", str(audit), "--report", str(report), "-q", "-j", "1"]
    if config is not None:
        cfg = tmp_path / "config.yaml"
        cfg.write_text(config, encoding="utf-8")
        argv += ["--config", str(cfg)]
    result = CliRunner().invoke(clean_command, argv, input=stdin)
    # Never a traceback: the only exception allowed out of the CLI is its exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr

    def lines(path: Path) -> list[dict[str, Any]]:
        return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []

    return Run(
        exit_code=result.exit_code,
        stderr=result.stderr,
        records=lines(out),
        audit=lines(audit),
        report=json.loads(report.read_text(encoding="utf-8")) if report.exists() else {},
        out=out,
    )


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# -- formats ---------------------------------------------------------------------


def test_txt(tmp_path: Path) -> None:
    write(tmp_path / "in" / "ferry.txt", PROSE)
    run = clean(tmp_path, str(tmp_path / "in"))
    assert run.exit_code == 0 and run.stderr == ""
    assert [r["id"] for r in run.records] == ["ferry"]
    assert run.records[0]["source"] == str(tmp_path / "in" / "ferry.txt")
    assert run.texts == [PROSE.strip()]


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_through_trafilatura_with_metadata(tmp_path: Path, suffix: str) -> None:
    write(tmp_path / "in" / f"page{suffix}", HTML)
    run = clean(tmp_path, str(tmp_path / "in"))
    assert run.exit_code == 0
    (record,) = run.records
    assert record["title"] == "Ferry Returns After Storm"
    meta = record["metadata"]
    assert meta["author"] == "Mara Lindqvist"
    assert meta["date"] == "2021-03-14"
    assert meta["url"] == "https://gazette.example.org/news/ferry-returns"
    assert record["text"].startswith("The small passenger ferry")
    assert "Home" not in record["text"] and "Copyright" not in record["text"]
    # The page's heading repeats its title: it goes to the audit, not the text.
    # What extraction left out of the page's visible text is there too, as
    # blocks before the text (position 0), with their lines in the visible text.
    assert [(a["reason"], a["position"], a["text"]) for a in run.audit] == [
        ("extract.not-extracted", 0, "Home News"),
        ("extract.not-extracted", 0, "Copyright 2021 Coast Gazette"),
        ("metadata.title", 1, "Ferry Returns After Storm"),
    ]
    visible = visible_text(HTML).split("\n")
    for entry in run.audit[:2]:
        first, last = entry["visible_lines"]
        assert "\n".join(line.strip() for line in visible[first - 1 : last] if line.strip()) == entry["text"]
    assert run.report["removed_chars"]["extract.not-extracted"] == len("Home News") + len(
        "Copyright 2021 Coast Gazette"
    )
    assert record["metadata"]["extraction"] == "trafilatura"


def test_html_title_not_overwritten_by_first_line(tmp_path: Path) -> None:
    page = HTML.replace("<h1>Ferry Returns After Storm</h1>", "<h2>Crossing restored</h2>")
    write(tmp_path / "page.html", page)
    run = clean(tmp_path, str(tmp_path / "page.html"))
    (record,) = run.records
    assert record["title"] == "Ferry Returns After Storm"
    assert record["text"].startswith("Crossing restored")


def test_html_author_and_date_not_overwritten_by_the_text(tmp_path: Path) -> None:
    page = HTML.replace("</h1>", "</h1><p>By Olaf Berg</p><p>12 May 2020</p>")
    write(tmp_path / "page.html", page)
    run = clean(tmp_path, str(tmp_path / "page.html"))
    (record,) = run.records
    assert (record["metadata"]["author"], record["metadata"]["date"]) == ("Mara Lindqvist", "2021-03-14")
    assert record["text"].startswith("By Olaf Berg\n\n12 May 2020\n\nThe small passenger ferry")


def test_html_by_content_when_suffix_says_txt(tmp_path: Path) -> None:
    write(tmp_path / "saved-page.txt", HTML)
    run = clean(tmp_path, str(tmp_path / "saved-page.txt"))
    (record,) = run.records
    assert record["title"] == "Ferry Returns After Storm"
    assert "<p>" not in record["text"] and record["text"].startswith("The small passenger ferry")


def test_html_suffix_on_plain_text_is_read_as_text(tmp_path: Path) -> None:
    write(tmp_path / "notes.html", PROSE)
    run = clean(tmp_path, str(tmp_path / "notes.html"))
    assert run.texts == [PROSE.strip()]


def test_jsonl_with_configured_fields_and_ids_kept(tmp_path: Path) -> None:
    lines = [
        {"doc_id": "A-17", "body": "First record about the ferry crossing and its timetable."},
        {"body": "A record without an id gets its file and line number."},
        {"doc_id": 42, "body": "A numeric id is kept as text."},
    ]
    write(tmp_path / "records.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    run = clean(
        tmp_path,
        str(tmp_path / "records.jsonl"),
        config="input:\n  jsonl_text_field: body\n  jsonl_id_field: doc_id\n",
    )
    assert run.exit_code == 0 and run.stderr == ""
    assert [r["id"] for r in run.records] == ["A-17", "records:2", "42"]
    assert [r["source"] for r in run.records] == [f"{tmp_path / 'records.jsonl'}:{n}" for n in (1, 2, 3)]
    assert run.texts == [x["body"] for x in lines]


def test_jsonl_by_content_when_suffix_says_txt(tmp_path: Path) -> None:
    write(tmp_path / "dump.txt", '{"id": "x1", "text": "A record saved under the wrong suffix."}\n')
    run = clean(tmp_path, str(tmp_path / "dump.txt"))
    assert [(r["id"], r["text"]) for r in run.records] == [("x1", "A record saved under the wrong suffix.")]


def test_jsonl_suffix_on_plain_text_is_read_as_text(tmp_path: Path) -> None:
    write(tmp_path / "notes.jsonl", PROSE)
    run = clean(tmp_path, str(tmp_path / "notes.jsonl"))
    assert run.texts == [PROSE.strip()] and run.skipped == []


def test_own_output_read_again_keeps_title_and_metadata(tmp_path: Path) -> None:
    write(tmp_path / "in" / "page.html", HTML)
    first = clean(tmp_path, str(tmp_path / "in"))
    again = tmp_path / "again"
    again.mkdir()
    second = clean(again, str(first.out))
    assert [r["title"] for r in second.records] == [r["title"] for r in first.records]
    assert second.records[0]["metadata"]["author"] == "Mara Lindqvist"
    assert second.texts == first.texts


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
@pytest.mark.parametrize("inner", [".txt", ".jsonl", ".html"])
def test_compressed(tmp_path: Path, suffix: str, inner: str) -> None:
    content = {".txt": PROSE, ".jsonl": json.dumps({"id": "r1", "text": PROSE}) + "\n", ".html": HTML}[inner]
    write(tmp_path / f"doc{inner}{suffix}", COMPRESS[suffix](content.encode("utf-8")))
    run = clean(tmp_path, str(tmp_path / f"doc{inner}{suffix}"))
    assert run.exit_code == 0 and run.skipped == []
    (record,) = run.records
    assert record["id"] == ("r1" if inner == ".jsonl" else "doc")
    expected = "The small passenger ferry" if inner == ".html" else "The harbour ferry"
    assert record["text"].startswith(expected)


@pytest.mark.parametrize(
    ("name", "compress"),
    [
        ("gzipped.txt", COMPRESS[".gz"]),  # compressed, the suffix does not say so
        ("plain.txt.gz", lambda b: b),  # the suffix says gzip, the bytes are plain
        ("really-bzip2.txt.gz", COMPRESS[".bz2"]),  # the suffix names the wrong compression
        ("really-zstd.txt.xz", COMPRESS[".zst"]),
    ],
)
def test_compression_by_magic_bytes_when_suffix_lies(tmp_path: Path, name: str, compress: Any) -> None:
    write(tmp_path / name, compress(PROSE.encode("utf-8")))
    run = clean(tmp_path, str(tmp_path / name))
    assert run.texts == [PROSE.strip()] and run.skipped == []


def test_stdin(tmp_path: Path) -> None:
    run = clean(tmp_path, "-", stdin=PROSE.encode("utf-8"))
    assert [(r["id"], r["source"]) for r in run.records] == [("<stdin>", "<stdin>")]
    assert run.texts == [PROSE.strip()]


def test_stdin_compressed_and_jsonl(tmp_path: Path) -> None:
    data = gzip.compress(b'{"id": "s1", "text": "Piped in, gzipped, one record."}\n')
    run = clean(tmp_path, "-", stdin=data)
    assert [(r["id"], r["text"]) for r in run.records] == [("s1", "Piped in, gzipped, one record.")]


def test_folders_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    names = ["b.txt", "a/z.txt", "a/b/c.txt", "c.txt", "a/a.txt", "B.txt"]
    for n, name in enumerate(names):
        write(root / name, f"Document number {n} says something about {name}.\n")
    run = clean(tmp_path, str(root))
    got = [Path(r["source"]).relative_to(root).as_posix() for r in run.records]
    assert got == ["B.txt", "a/a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c.txt"]
    # The command line's order comes first; each folder is sorted within.
    run = clean(tmp_path, str(root / "c.txt"), str(root / "a"))
    got = [Path(r["source"]).relative_to(root).as_posix() for r in run.records]
    assert got == ["c.txt", "a/a.txt", "a/b/c.txt", "a/z.txt"]


def _tree(root: Path) -> None:
    for name in ["news/one.txt", "news/two.html", "drafts/three.txt", "news/old/four.txt", "notes.md"]:
        text = HTML if name.endswith(".html") else f"The file {name} holds this single sentence.\n"
        write(root / name, text)


def _names(run: Run, root: Path) -> list[str]:
    return [Path(r["source"]).relative_to(root).as_posix() for r in run.records]


def test_include_and_exclude_options(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    run = clean(tmp_path, str(root), "--include", "*.txt")
    assert _names(run, root) == ["drafts/three.txt", "news/old/four.txt", "news/one.txt"]
    run = clean(tmp_path, str(root), "--exclude", "drafts", "--exclude", "news/old")
    assert _names(run, root) == ["news/one.txt", "news/two.html", "notes.md"]
    run = clean(tmp_path, str(root), "--include", "*.txt", "--exclude", "news/*/*.txt")
    assert _names(run, root) == ["drafts/three.txt", "news/one.txt"]


def test_include_and_exclude_config_keys(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    run = clean(tmp_path, str(root), config="input:\n  include: ['*.txt', '*.md']\n  exclude: [old]\n")
    assert _names(run, root) == ["drafts/three.txt", "news/one.txt", "notes.md"]
    # A command-line pattern replaces the config's list.
    run = clean(tmp_path, str(root), "--include", "*.html", config="input:\n  include: ['*.txt']\n")
    assert _names(run, root) == ["news/two.html"]


def test_hidden_files_skipped_unless_asked(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "seen.txt", "A visible file with a sentence in it.\n")
    write(root / ".secret.txt", "A hidden file with a sentence in it.\n")
    write(root / ".cache" / "inside.txt", "A file inside a hidden folder.\n")
    assert _names(clean(tmp_path, str(root)), root) == ["seen.txt"]
    everything = [".cache/inside.txt", ".secret.txt", "seen.txt"]
    assert _names(clean(tmp_path, str(root), "--hidden"), root) == everything
    assert _names(clean(tmp_path, str(root), config="input:\n  include_hidden: true\n"), root) == everything
    # A hidden file named on the command line is read.
    assert _names(clean(tmp_path, str(root / ".secret.txt")), root) == [".secret.txt"]


# -- encodings -------------------------------------------------------------------

WESTERN = "The café’s owner said “naïve” visitors paid €5 — a déjà vu.\nÉté à Noël, the résumé read.\n"
LATIN1 = "Le garçon a mangé à la crème brûlée. Ça coûte très cher, dit-il.\nÉté à Noël.\n"
CYRILLIC = "Привет, как дела? Это проверка текста в старой кодировке.\n"


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (WESTERN, WESTERN.encode("utf-8"), "utf-8"),
        (WESTERN, b"\xef\xbb\xbf" + WESTERN.encode("utf-8"), "utf-8-sig"),
        (WESTERN, WESTERN.encode("utf-16"), "utf-16"),  # with its BOM, in the machine's order
        (WESTERN, b"\xfe\xff" + WESTERN.encode("utf-16-be"), "utf-16"),
        (WESTERN, b"\xff\xfe" + WESTERN.encode("utf-16-le"), "utf-16"),
        (WESTERN, WESTERN.encode("utf-32"), "utf-32"),
        (WESTERN, WESTERN.encode("cp1252"), "cp1252"),
        (LATIN1, LATIN1.encode("latin-1"), "cp1252"),
        (CYRILLIC, CYRILLIC.encode("cp1251"), "cp1251"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-be-bom", "utf16-le-bom", "utf32-bom", "cp1252", "latin1", "cp1251"],
)
def test_encoding(tmp_path: Path, text: str, data: bytes, encoding: str) -> None:
    write(tmp_path / "doc.txt", data)
    run = clean(tmp_path, str(tmp_path / "doc.txt"), "--no-dedup")
    assert run.exit_code == 0 and run.skipped == []
    (record,) = run.records
    assert record["metadata"]["encoding"] == encoding
    assert record["text"] == "\n\n".join(line for line in text.splitlines())


def test_mojibake_repaired_by_ftfy(tmp_path: Path) -> None:
    broken = "The children’s café reopened on Monday — at last, said a parent.".encode().decode("cp1252")
    assert "â€™" in broken  # what a page saved through the wrong encoding holds
    write(tmp_path / "doc.txt", broken + "\n")
    run = clean(tmp_path, str(tmp_path / "doc.txt"))
    assert run.texts == ["The children’s café reopened on Monday — at last, said a parent."]
    assert run.report["counters"]["normalise.ftfy.mojibake"] == 1


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    lines = ["First line of the note, ending here.", "", "Second line after a blank one.", "Third line."]
    write(tmp_path / "doc.txt", newline.join(lines) + newline)
    run = clean(tmp_path, str(tmp_path / "doc.txt"))
    assert run.texts == ["First line of the note, ending here.\n\nSecond line after a blank one.\n\nThird line."]
    assert all("\r" not in a["text"] for a in run.audit)


# -- bad input: skipped with one line, listed in the report, the run goes on -------


def _bad_run(tmp_path: Path, make: Any, *args: str, config: str | None = None) -> tuple[Run, str]:
    """A folder with one good file and one bad one; returns the run and the bad file's name."""
    root = tmp_path / "in"
    write(root / "good.txt", PROSE)
    bad = make(root)
    run = clean(tmp_path, str(root), *args, config=config)
    assert run.texts == [PROSE.strip()], "the good file is still read"
    return run, str(bad)


def _expect_skip(run: Run, source: str, reason: str, message: str) -> None:
    """Exactly one stderr line naming the file and the problem, and the report entry."""
    assert run.stderr_lines == [f"corpusclean: skipped {source}: {message}"]
    assert run.skipped == [(source, reason)]
    assert run.exit_code == 0


def test_empty_file(tmp_path: Path) -> None:
    run, bad = _bad_run(tmp_path, lambda root: write(root / "empty.txt", b""))
    _expect_skip(run, bad, "empty", "empty file")


def test_whitespace_only_file(tmp_path: Path) -> None:
    run, bad = _bad_run(tmp_path, lambda root: write(root / "blank.txt", " \n\t\r\n  \n"))
    _expect_skip(run, bad, "empty", "empty file (only whitespace)")


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    run, bad = _bad_run(tmp_path, lambda root: write(root / "photo.txt", png))
    _expect_skip(run, bad, "binary", "binary file, not text (NUL or control bytes)")


def test_undecodable_bytes(tmp_path: Path) -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    run, bad = _bad_run(tmp_path, lambda root: write(root / "noise.txt", noise))
    _expect_skip(run, bad, "undecodable", "undecodable bytes: not UTF-8 and no text encoding fits")


def test_bad_utf16_after_bom(tmp_path: Path) -> None:
    run, bad = _bad_run(
        tmp_path, lambda root: write(root / "odd.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")
    )
    _expect_skip(run, bad, "undecodable", "undecodable bytes: not valid utf-16 at byte 6")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the user may not read. Tests run as root, whom chmod 000 does not stop,
    so open() is made to fail as it does for anyone else."""
    import builtins

    real_open = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    run, bad = _bad_run(tmp_path, lambda root: write(root / "locked.txt", PROSE))
    _expect_skip(run, bad, "unreadable", "cannot read file: permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode; see test_unreadable_file")
def test_unreadable_file_by_mode(tmp_path: Path) -> None:
    def locked(root: Path) -> Path:
        path = write(root / "locked.txt", PROSE)
        path.chmod(0)
        return path

    run, bad = _bad_run(tmp_path, locked)
    _expect_skip(run, bad, "unreadable", "cannot read file: permission denied")


def test_unreadable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def deny(path: Any) -> Any:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    run, bad = _bad_run(tmp_path, lambda root: write(root / "private" / "x.txt", PROSE).parent)
    _expect_skip(run, bad, "unreadable", "cannot read folder: permission denied")


def test_broken_symlink(tmp_path: Path) -> None:
    def broken(root: Path) -> Path:
        (root / "gone.txt").symlink_to("no-such-target.txt")
        return root / "gone.txt"

    run, bad = _bad_run(tmp_path, broken)
    _expect_skip(run, bad, "broken-symlink", "broken symlink to no-such-target.txt (it does not exist)")


def test_symlink_loop_between_files(tmp_path: Path) -> None:
    def loop(root: Path) -> Path:
        (root / "x.txt").symlink_to("y.txt")
        (root / "y.txt").symlink_to("x.txt")
        return root / "x.txt"

    root = tmp_path / "in"
    write(root / "good.txt", PROSE)
    loop(root)
    run = clean(tmp_path, str(root))
    assert run.texts == [PROSE.strip()]
    message = "symlink loop: the link never reaches a file"
    assert run.stderr_lines == [f"corpusclean: skipped {root / n}: {message}" for n in ("x.txt", "y.txt")]
    assert run.skipped == [(str(root / "x.txt"), "symlink-loop"), (str(root / "y.txt"), "symlink-loop")]


def test_symlink_loop_between_folders(tmp_path: Path) -> None:
    def loop(root: Path) -> Path:
        (root / "sub").mkdir()
        (root / "sub" / "back").symlink_to("..")
        return root / "sub" / "back"

    run, bad = _bad_run(tmp_path, loop)
    _expect_skip(run, bad, "symlink-loop", "symlink loop: the folder contains itself, not walked again")


def test_fifo_in_a_folder(tmp_path: Path) -> None:
    def fifo(root: Path) -> Path:
        os.mkfifo(root / "pipe.txt")
        return root / "pipe.txt"

    run, bad = _bad_run(tmp_path, fifo)
    _expect_skip(run, bad, "not-a-file", "not a regular file (a fifo, socket or device)")


def test_malformed_jsonl_line_keeps_the_good_lines(tmp_path: Path) -> None:
    lines = [
        '{"id": "r1", "text": "The first record is fine."}',
        '{"id": "r2", "text": "The second is cut off',
        '{"id": "r3", "txt": "The third has no text field."}',
        '["not", "an", "object"]',
        '{"id": "r5", "text": "The fifth record is fine too."}',
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    run = clean(tmp_path, str(path))
    assert [r["id"] for r in run.records] == ["r1", "r5"]
    assert run.stderr_lines == [
        f"corpusclean: skipped {path}:2: not valid JSON at column 22: Unterminated string starting",
        f"corpusclean: skipped {path}:3: no string field 'text' (input.jsonl_text_field)",
        f"corpusclean: skipped {path}:4: no string field 'text' (input.jsonl_text_field)",
    ]
    assert run.skipped == [(f"{path}:{n}", "malformed-jsonl") for n in (2, 3, 4)]
    assert run.exit_code == 0


def test_line_far_longer_than_usual(tmp_path: Path) -> None:
    def long_line(root: Path) -> Path:
        return write(root / "blob.txt", "A first line.\n" + "x" * 5000 + "\nA last line.\n")

    run, bad = _bad_run(tmp_path, long_line, config="input:\n  max_line_chars: 1000\n")
    _expect_skip(run, bad, "line-too-long", "line 2 has 5,000 characters, over input.max_line_chars (1,000)")


def test_jsonl_record_far_longer_than_usual(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "ok", "text": "A short record."}), json.dumps({"id": "big", "text": "y" * 5000})]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    run = clean(tmp_path, str(path), config="input:\n  max_line_chars: 1000\n")
    assert [r["id"] for r in run.records] == ["ok"]
    assert run.stderr_lines == [
        f"corpusclean: skipped {path}:2: {len(lines[1]):,} characters, over input.max_line_chars (1,000)"
    ]
    assert run.skipped == [(f"{path}:2", "line-too-long")]


def test_file_far_larger_than_usual(tmp_path: Path) -> None:
    run, bad = _bad_run(
        tmp_path, lambda root: write(root / "huge.txt", PROSE * 100), config="input:\n  max_file_bytes: 4096\n"
    )
    size = len(PROSE.encode()) * 100
    _expect_skip(run, bad, "too-large", f"file is {size:,} bytes, over input.max_file_bytes (4,096)")


def test_stdin_far_larger_than_usual(tmp_path: Path) -> None:
    """stdin has no size to look at first: it is read up to the limit, then skipped."""
    run = clean(tmp_path, "-", stdin=(PROSE * 100).encode(), config="input:\n  max_file_bytes: 4096\n")
    assert run.records == []
    assert run.stderr_lines == ["corpusclean: skipped <stdin>: larger than input.max_file_bytes (4,096 bytes)"]
    assert run.skipped == [("<stdin>", "too-large")]
    assert run.exit_code == 0


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_decompression_bomb(tmp_path: Path, suffix: str) -> None:
    bomb = COMPRESS[suffix](b"\n" * 3_000_000)
    assert len(bomb) < 100_000
    run, bad = _bad_run(
        tmp_path,
        lambda root: write(root / f"bomb.txt{suffix}", bomb),
        config="input:\n  max_decompressed_bytes: 1000000\n",
    )
    _expect_skip(
        run,
        bad,
        "decompression-limit",
        "expands beyond input.max_decompressed_bytes (1,000,000 bytes) when decompressed; not read further",
    )


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_corrupt_compressed_file(tmp_path: Path, suffix: str) -> None:
    data = COMPRESS[suffix]((PROSE * 50).encode())
    run, bad = _bad_run(tmp_path, lambda root: write(root / f"cut.txt{suffix}", data[: len(data) // 2]))
    assert run.skipped == [(bad, "corrupt-compressed")]
    (line,) = run.stderr_lines
    kind = read.COMPRESSION_NAMES[suffix]
    assert line.startswith(f"corpusclean: skipped {bad}: corrupt or truncated {kind} data (")


def test_html_page_without_main_text(tmp_path: Path) -> None:
    page = "<!DOCTYPE html><html><head><title>Menu</title></head><body><script>var menu = 1;</script></body></html>"
    run, bad = _bad_run(tmp_path, lambda root: write(root / "menu.html", page))
    _expect_skip(run, bad, "no-text", "HTML page with no main text that trafilatura could find")


def test_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", PROSE)
    out = write(tmp_path / "out.jsonl", "previous output\n")
    result = CliRunner().invoke(clean_command, [str(tmp_path / "good.txt"), str(tmp_path / "missing"), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {tmp_path / 'missing'}: no such file or directory"
    assert out.read_text() == "previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "out.jsonl"]


# -- --strict ----------------------------------------------------------------------


def test_strict_exits_1_after_writing_everything(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "good.txt", PROSE)
    write(root / "empty.txt", b"")
    loose = clean(tmp_path, str(root))
    assert loose.exit_code == 0
    strict = clean(tmp_path, str(root), "--strict")
    assert strict.exit_code == 1
    assert strict.records == loose.records and strict.texts == [PROSE.strip()]
    assert strict.skipped == [(str(root / "empty.txt"), "empty")]
    assert strict.report["documents_out"] == 1


def test_strict_without_skips_exits_0(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", PROSE)
    assert clean(tmp_path, str(tmp_path / "good.txt"), "--strict").exit_code == 0


def test_strict_counts_a_malformed_jsonl_line(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", '{"text": "Fine."}\n{oops\n')
    run = clean(tmp_path, str(path), "--strict")
    assert run.exit_code == 1 and run.texts == ["Fine."]


# -- on a terminal: the progress bar and skip messages -------------------------------


def test_skips_on_a_terminal_print_above_the_bar_and_count_only_included_files(tmp_path: Path) -> None:
    from .test_progress import _stderr_on_a_terminal

    root = tmp_path / "in"
    write(root / "good.txt", PROSE)
    write(root / "empty.txt", b"")
    write(root / "notes.md", PROSE)
    err = _stderr_on_a_terminal([str(root), "-o", str(tmp_path / "out.jsonl"), "--exclude", "*.md"])
    assert f"\rcorpusclean: skipped {root / 'empty.txt'}: empty file" in err
    assert "2/2 files" in err  # the bar's total is the files the run reads, not every file in the folder
    assert "3 files" not in err


def test_quiet_on_a_terminal_still_prints_skips(tmp_path: Path) -> None:
    from .test_progress import _stderr_on_a_terminal

    root = tmp_path / "in"
    write(root / "good.txt", PROSE)
    write(root / "empty.txt", b"")
    err = _stderr_on_a_terminal([str(root), "-o", str(tmp_path / "out.jsonl"), "-q"])
    assert err.splitlines() == [f"corpusclean: skipped {root / 'empty.txt'}: empty file"]
