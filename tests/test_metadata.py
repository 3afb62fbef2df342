"""Title, byline and dateline at the top become metadata; body text stays."""

from __future__ import annotations

import pytest

from corpusclean.config import Config
from corpusclean.document import Document, Line
from corpusclean.metadata import extract_metadata, parse_date


def run(text: str, cfg: Config) -> Document:
    doc = Document(id="x", source="x")
    doc.lines = [Line(i, t) for i, t in enumerate(text.split("\n"), 1)]
    return extract_metadata(doc, cfg.metadata)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Tuesday, May 24, 2016", "2016-05-24"),
        ("24 May 2016", "2016-05-24"),
        ("Wed 3rd Feb 2021 14:05 GMT", "2021-02-03"),
        ("2019-11-05", "2019-11-05"),
        ("Published: 1 September 2020", "2020-09-01"),
        ("Sept. 9, 2015", "2015-09-09"),
        ("February 30, 2016", None),
        ("The meeting on 24 May 2016 was long.", None),
        ("24 May", None),
    ],
)
def test_parse_date(line: str, iso: str | None) -> None:
    assert parse_date(line) == iso


def test_title_byline_date_moved(cfg: Config) -> None:
    doc = run("Floods close the coast road\n\nBy Ana Lima\n12 January 2022\n\nThe road shut at noon.", cfg)
    assert doc.title == "Floods close the coast road"
    assert doc.metadata["author"] == "Ana Lima"
    assert doc.metadata["date"] == "2022-01-12"
    assert [line.text for line in doc.lines if line.text] == ["The road shut at noon."]
    assert [(r.pos, r.reason) for r in doc.removals] == [
        (1, "metadata.title"),
        (3, "metadata.byline"),
        (4, "metadata.date"),
    ]


def test_a_lead_sentence_is_not_a_title(cfg: Config) -> None:
    doc = run("The council met on Tuesday and agreed the budget.\nIt rose by 4%.", cfg)
    assert doc.title is None and len(doc.lines) == 2 and doc.removals == []


def test_byline_must_follow_the_header(cfg: Config) -> None:
    doc = run("Budget agreed\nThe council met on Tuesday.\nMaria Santos\nMore text.", cfg)
    assert doc.title == "Budget agreed"
    assert "author" not in doc.metadata
    assert [line.text for line in doc.lines] == ["The council met on Tuesday.", "Maria Santos", "More text."]


def test_subhead_is_not_a_byline(cfg: Config) -> None:
    doc = run("Budget agreed\nIn The Chamber\nThe vote was close.", cfg)
    assert "author" not in doc.metadata


def test_html_metadata_is_not_overwritten(cfg: Config) -> None:
    doc = Document(id="x", source="x", metadata={"date": "2020-01-01"})
    doc.lines = [Line(1, "Headline here"), Line(2, "5 March 2021"), Line(3, "Body text follows.")]
    extract_metadata(doc, cfg.metadata)
    assert doc.metadata["date"] == "2020-01-01"
