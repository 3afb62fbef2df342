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


# --- several authors, other languages, titles ----------------------------------------


def run_in(text: str, cfg: Config, language: str | None) -> Document:
    doc = Document(id="x", source="x", metadata={"language": language})
    doc.lines = [Line(i, t) for i, t in enumerate(text.split("\n"), 1)]
    return extract_metadata(doc, cfg.metadata)


BODY = "The committee published its report on Monday after a year of hearings."


def test_several_authors_in_capitals_stay_whole(cfg: Config) -> None:
    # Names holding "by" (Abby, Kirby) keep it; the names stay as written.
    doc = run_in(
        f"Budget Talks Collapse Hours Before Vote\nBy ABBY STONE, KIRBY LANE and TOBY WREN\nJune 2, 2019\n{BODY}",
        cfg,
        "en",
    )
    assert doc.title == "Budget Talks Collapse Hours Before Vote"
    assert doc.metadata["author"] == "ABBY STONE, KIRBY LANE and TOBY WREN"
    assert doc.metadata["date"] == "2019-06-02"
    assert [line.text for line in doc.lines] == [BODY]


def test_header_scan_passes_over_an_unknown_line(cfg: Config) -> None:
    doc = run_in(
        f"Ferry timetable changes\nFrom: Harbour Authority\nBy Rosa Vidal\nPublished 3 July 2023\n{BODY}", cfg, "en"
    )
    assert (doc.metadata["author"], doc.metadata["date"]) == ("Rosa Vidal", "2023-07-03")
    assert [line.text for line in doc.lines] == ["From: Harbour Authority", BODY]


def test_a_bare_name_below_an_unknown_line_is_not_a_byline(cfg: Config) -> None:
    doc = run_in(f"Ferry timetable changes\nSee the new times below\nLocal Events\n{BODY}", cfg, "en")
    assert "author" not in doc.metadata
    # Right below the title, the same line is a byline; without a title, not.
    assert run_in(f"Ferry timetable changes\nLocal Events\n{BODY}", cfg, "en").metadata["author"] == "Local Events"
    assert "author" not in run_in(f"{BODY}\nLocal Events\n{BODY}", cfg, "en").metadata


def test_byline_beside_the_date(cfg: Config) -> None:
    doc = run_in(f"Ferry timetable changes\nMarch 3, 2021 — Posted by Lena Holt\n{BODY}", cfg, "en")
    assert (doc.metadata["author"], doc.metadata["date"]) == ("Lena Holt", "2021-03-03")
    assert doc.removals[-1].reason == "metadata.byline-date"


@pytest.mark.parametrize(
    ("language", "header", "author", "date"),
    [
        ("de", "Von Anna Becker und Tom Kranz\n12.05.2023, 09:15 Uhr", "Anna Becker und Tom Kranz", "2023-05-12"),
        ("de", "Von Jörg Weiß\nAktualisiert am 3. Februar 2022", "Jörg Weiß", "2022-02-03"),
        (
            "fr",
            "Par Hélène Martin et Luc Morel\nPublié le 7 avril 2021 à 18h02",
            "Hélène Martin et Luc Morel",
            "2021-04-07",
        ),
        ("es", "Por Lucía Gómez y Pablo Ruiz\n21 de octubre de 2020", "Lucía Gómez y Pablo Ruiz", "2020-10-21"),
        ("it", "Di Marco Bianchi\nPubblicato il 9 settembre 2019", "Marco Bianchi", "2019-09-09"),
        ("pt", "Por João Carvalho\n15 de março de 2024", "João Carvalho", "2024-03-15"),
        ("nl", "Door Sanne de Vries en Bram Smit\n2 januari 2018", "Sanne de Vries en Bram Smit", "2018-01-02"),
    ],
)
def test_bylines_and_dates_per_language(cfg: Config, language: str, header: str, author: str, date: str) -> None:
    doc = run_in(f"Neue Regeln für den Hafen\n{header}\nErster Absatz des Textes, der hier beginnt.", cfg, language)
    assert (doc.metadata.get("author"), doc.metadata.get("date")) == (author, date)


def test_dates_refuse_relative_and_partial_and_ambiguous(cfg: Config) -> None:
    for line, language in [
        ("gestern, 14:30 Uhr", "de"),
        ("März 2024", "de"),
        ("03/04/2024", "en"),
        ("hace 2 horas", "es"),
    ]:
        doc = run_in(f"Neue Regeln für den Hafen\n{line}\n{BODY}", cfg, language)
        assert "date" not in doc.metadata, line
    # A day above 12 makes the English order plain; a German date is day first.
    assert run_in(f"Harbour rules\n25/04/2024\n{BODY}", cfg, "en").metadata["date"] == "2024-04-25"
    assert run_in(f"Hafenregeln\n03.04.2024\n{BODY}", cfg, "de").metadata["date"] == "2024-04-03"
    # A sentence that mentions a date stays text.
    assert "date" not in run_in(f"Harbour rules\nThe port closed on 4 May 2024.\n{BODY}", cfg, "en").metadata


def test_a_section_label_above_the_headline(cfg: Config) -> None:
    doc = run_in("Wirtschaft\nHafen bekommt neue Kräne\nVon Ute Brandt\nDie Arbeiten beginnen im Mai.", cfg, "de")
    assert doc.title == "Hafen bekommt neue Kräne"
    assert doc.metadata["section"] == "Wirtschaft"
    assert [(r.reason, r.text) for r in doc.removals][:2] == [
        ("metadata.section", "Wirtschaft"),
        ("metadata.title", "Hafen bekommt neue Kräne"),
    ]
    doc = run_in(f"Press release\nNew rules for the harbour announced\nPublished 14 May 2024\n{BODY}", cfg, "en")
    assert (doc.title, doc.metadata["section"], doc.metadata["date"]) == (
        "New rules for the harbour announced",
        "Press release",
        "2024-05-14",
    )


def test_a_short_headline_alone_stays_the_title(cfg: Config) -> None:
    assert run_in(f"Brexit\n{BODY}", cfg, "en").title == "Brexit"


def test_a_consent_banner_is_never_the_title(cfg: Config) -> None:
    doc = run_in(f"Cookies on this site\nWe use cookies to run the site.\nHarbour gets new cranes\n{BODY}", cfg, "en")
    assert doc.title == "Harbour gets new cranes"
    assert [line.text for line in doc.lines][:2] == ["Cookies on this site", "We use cookies to run the site."]


@pytest.mark.parametrize(
    "first",
    [
        "Kate Lane is expected to be named the new chair of the board",  # a body sentence without its full stop
        'The mayor said the plan "will not work."',  # a sentence ending inside its quote
        "Take-up of the new scheme by",  # broken off
        "LONDON --",  # a dateline
        "By JANE ROE, Business Writer Fri Dec 28",  # a byline that is not only names
        "2 hours ago",
    ],
)
def test_body_text_and_furniture_are_not_titles(cfg: Config, first: str) -> None:
    assert run_in(f"{first}\n{BODY}", cfg, "en").title is None


def test_a_fragment_continued_on_the_next_line_is_not_a_title(cfg: Config) -> None:
    assert (
        run_in("The council will meet again\nin the spring to decide the budget.\nMore text.", cfg, "en").title is None
    )


def test_titles_in_scripts_without_spaces_need_evidence(cfg: Config) -> None:
    # A Japanese scrape that lost its sentence marks: the first line may be a
    # sentence or a headline, and is left alone.
    ja = "市立図書館は来月から夜九時まで開館する\n市議会によると利用者から延長を求める声が多かった"
    doc = run_in(ja, cfg, "ja")
    assert doc.title is None and doc.removals == []
    # A Chinese first sentence with its full stop is no title either.
    assert run_in("市图书馆将延长开放时间。\n读者表示欢迎。", cfg, "zh").title is None
    # A short unpunctuated line above punctuated text is the headline, and so
    # is one with a date below it.
    assert run_in("市图书馆延长开放时间\n市议会表示，读者希望延长开放时间。", cfg, "zh").title == "市图书馆延长开放时间"
    doc = run_in("市图书馆延长开放时间\n2024年3月4日\n市议会表示，读者希望延长开放时间", cfg, "zh")
    assert (doc.title, doc.metadata["date"]) == ("市图书馆延长开放时间", "2024-03-04")


def test_titles_in_scripts_without_case(cfg: Config) -> None:
    ar = "المكتبة العامة تمدد ساعات العمل\nقالت البلدية إن المكتبة ستفتح حتى التاسعة مساء."
    assert run_in(ar, cfg, "ar").title == "المكتبة العامة تمدد ساعات العمل"
    hi = "शहर का पुस्तकालय रात नौ बजे तक खुला रहेगा।\nपरिषद ने यह घोषणा की।"
    assert run_in(hi, cfg, "hi").title is None  # ends with a danda: a sentence
