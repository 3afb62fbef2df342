"""Every language and every encoding: the article text comes out as it was written.

The corpus (tests/multilingual.py) holds invented news articles in twenty
languages, each written in UTF-8, in its legacy code pages, in UTF-16 and
UTF-32 without a byte-order mark, and in UTF-8 with stray Windows-1252 bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpusclean import clean_text
from corpusclean.cli import clean_command
from corpusclean.config import load
from corpusclean.read import decode

from .multilingual import ARTICLES, STRAY_NOTE, Article, corpus, encoded

CASES = list(corpus())
CONFIG = load(overrides={"dedup.enabled": False})


def expected_text(article: Article, encoding: str) -> str:
    if encoding == "utf-8+stray":
        return f"{article.text}\n\n{STRAY_NOTE}"
    return article.text


@pytest.fixture(scope="module")
def cli_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("multilingual")
    for name, data, _, _ in CASES:
        (folder / name).write_bytes(data)
    out, report = folder.parent / "out.jsonl", folder.parent / "report.json"
    result = CliRunner().invoke(
        clean_command, [str(folder), "-o", str(out), "--report", str(report), "--no-dedup", "-q", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    records = {json.loads(line)["id"]: json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()}
    records["__report__"] = json.loads(report.read_text(encoding="utf-8"))
    return records


@pytest.mark.parametrize(("name", "data", "article", "encoding"), CASES, ids=[c[0] for c in CASES])
def test_cli_keeps_every_character(
    cli_output: dict[str, dict],  # type: ignore[type-arg]
    name: str,
    data: bytes,
    article: Article,
    encoding: str,
) -> None:
    record = cli_output[Path(name).stem]
    assert record["text"] == expected_text(article, encoding)
    assert record["title"] == article.title
    if encoding == "utf-8+stray":
        assert record["metadata"]["encoding"] == "utf-8"
        assert record["metadata"]["encoding_repaired_bytes"] == 2
    else:
        assert "encoding_repaired_bytes" not in record["metadata"]


def test_report_counts_encodings_and_repairs(cli_output: dict[str, dict]) -> None:  # type: ignore[type-arg]
    counters = cli_output["__report__"]["counters"]
    by_encoding = {k.removeprefix("read.encoding."): v for k, v in counters.items() if k.startswith("read.encoding.")}
    assert sum(by_encoding.values()) == len(CASES)
    assert by_encoding["utf-16-le"] == by_encoding["utf-16-be"] == by_encoding["utf-32-le"] == len(ARTICLES)
    assert by_encoding["cp1251"] == 2 and by_encoding["koi8-r"] == 1 and by_encoding["cp1256"] == 1
    assert by_encoding["shift_jis"] == by_encoding["euc_kr"] == by_encoding["big5"] == 1
    assert counters["read.repaired_bytes"] == 2 * len(ARTICLES)
    assert cli_output["__report__"]["skipped"] == []


@pytest.mark.parametrize(("name", "data", "article", "encoding"), CASES, ids=[c[0] for c in CASES])
def test_decoding_names_the_encoding(name: str, data: bytes, article: Article, encoding: str) -> None:
    import codecs

    text, found = decode(data)
    if encoding == "utf-8+stray":
        assert found == "utf-8"
        return
    # A code page that reads these bytes to the same text is as right as the
    # one they were written in (iso8859-1 text is cp1252 text).
    assert found == codecs.lookup(encoding).name or data.decode(found) == data.decode(encoding)


# One sentence whose only letters beyond ASCII read as another language's
# letters in cp1252 too: "szóvivő"/"szóvivõ" (Portuguese has õ). Without a
# model of the words, cp1252 (preferred) wins the tie.
AMBIGUOUS = {("hu", 2)}


@pytest.mark.parametrize(
    ("article", "paragraph"),
    [
        pytest.param(
            a,
            i,
            id=f"{a.lang}-{i}",
            marks=[pytest.mark.xfail(strict=True, reason="ambiguous")] if (a.lang, i) in AMBIGUOUS else [],
        )
        for a in ARTICLES
        for i in range(3)
    ],
)
def test_short_texts_in_every_encoding(article: Article, paragraph: int) -> None:
    """One sentence alone, in each encoding: little for detection to go on."""
    sentence = article.paragraphs[paragraph]
    for encoding in ("utf-8", *article.legacy, "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text, _ = decode(sentence.encode(encoding))
        assert text == sentence, encoding


@pytest.mark.parametrize("article", ARTICLES, ids=[a.lang for a in ARTICLES])
def test_api_keeps_every_character(article: Article) -> None:
    text, _ = decode(encoded(article, article.legacy[0] if article.legacy else "utf-16-le"))
    doc = clean_text(text, CONFIG)
    assert doc.title == article.title
    assert doc.text == article.text


def run(args: list[str]) -> tuple[int, str, list[dict], dict]:  # type: ignore[type-arg]
    """The CLI on `args` (with -o and --report into the first path's folder): exit code, stderr, records, report."""
    folder = Path(args[0]).parent
    out, report = folder / "out.jsonl", folder / "report.json"
    result = CliRunner().invoke(clean_command, [*args, "-o", str(out), "--report", str(report), "-q", "-j", "1"])
    if result.exit_code != 0:
        return result.exit_code, result.stderr, [], {}
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return result.exit_code, result.stderr, records, json.loads(report.read_text(encoding="utf-8"))


def test_cli_jsonl_with_c1_controls_keeps_ellipses_and_paragraphs(tmp_path: Path) -> None:
    body = (
        "The mayor\u0092s office met on Friday\u0097after a long wait.\n\n"
        "\u0093We will see\u0085\u0094 she said, and the vote moved to June\u0085 or later. "
        "Boats sail again to \u00c3\u0085rhus."
    )
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(json.dumps({"id": "n1", "title": "Harbour vote delayed", "text": body}) + "\n", encoding="utf-8")
    code, _, [record], report = run([str(feed.parent)])
    assert code == 0
    assert record["text"] == (
        "The mayor’s office met on Friday—after a long wait.\n\n"
        "“We will see…” she said, and the vote moved to June… or later. Boats sail again to Århus."
    )
    assert report["removals"] == {}


def test_cli_utf8_with_a_stray_byte_is_kept_and_counted(tmp_path: Path) -> None:
    src = tmp_path / "in" / "note.txt"
    src.parent.mkdir()
    src.write_bytes(
        "Ferry to Gdańsk\n\nThe harbour master".encode() + b"\x92s team said fares rise to \xe2\x82\xac4.\n"
    )
    code, _, [record], report = run([str(src.parent)])
    assert code == 0
    assert record["text"] == "The harbour master’s team said fares rise to €4."
    assert record["metadata"]["encoding"] == "utf-8"
    assert record["metadata"]["encoding_repaired_bytes"] == 1
    assert report["counters"]["read.repaired_bytes"] == 1
    assert report["counters"]["read.encoding.utf-8"] == 1


def test_cli_encoding_pins_every_file(tmp_path: Path) -> None:
    src = tmp_path / "in" / "brief.txt"
    src.parent.mkdir()
    # Two lone accented bytes: detection would say cp1252; the user knows better.
    src.write_bytes(
        "Zasedání rady\n\nRada jednala ve čtvrtek o rozpočtu na příští rok a schválila ho.\n".encode("cp1250")
    )
    code, _, [record], report = run([str(src.parent), "--encoding", "cp1250"])
    assert code == 0
    assert record["text"] == "Rada jednala ve čtvrtek o rozpočtu na příští rok a schválila ho."
    assert record["metadata"]["encoding"] == "cp1250"
    assert report["counters"]["read.encoding.cp1250"] == 1


def test_cli_unknown_encoding_is_a_usage_error_naming_the_key(tmp_path: Path) -> None:
    src = tmp_path / "in" / "a.txt"
    src.parent.mkdir()
    src.write_text("Some text.\n", encoding="utf-8")
    code, stderr, _, _ = run([str(src.parent), "--encoding", "cp99"])
    assert code == 2
    assert stderr.strip().splitlines()[-1] == (
        "Error: config: input.encoding: unknown encoding 'cp99' (a Python codec name such as cp1251 or shift_jis)"
    )


def test_cli_encodings_by_glob(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "ru").mkdir(parents=True)
    (folder / "ru" / "a.txt").write_bytes("Новости\n\nСегодня в городе открылся каток.\n".encode("cp866"))
    (folder / "b.txt").write_text("News\n\nThe rink opened today.\n", encoding="utf-8")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text('input:\n  encodings:\n    "ru/*.txt": cp866\n', encoding="utf-8")
    code, _, records, _ = run([str(folder), "--config", str(cfg)])
    assert code == 0
    assert [(r["text"], r["metadata"]["encoding"]) for r in records] == [
        ("The rink opened today.", "utf-8"),
        ("Сегодня в городе открылся каток.", "cp866"),
    ]
