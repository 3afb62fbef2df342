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
