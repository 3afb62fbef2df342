"""Lines repeated across the corpus (repeated.across-documents), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corpusclean import config, pipeline, repetition
from corpusclean.cli import clean_command, main
from corpusclean.document import Document, Paragraph

MENU = "Politics Business Culture Science Sport Weather Travel Opinion Podcasts"
EDITIONS = "Harbour Gazette editions: North, South, East and West"
QUOTE = '"We will keep every branch open until the review is finished," the council leader said.'


TOPICS = [
    (
        "Ferry timetable changes from spring",
        "The island ferry will sail twice a day from April, the operator announced.",
        "Harbour traders welcomed the extra crossing but asked for a later return.",
    ),
    (
        "School roof repairs finished early",
        "Builders finished the new roof of the village school a fortnight ahead of plan.",
        "Pupils return to their classrooms on Monday after lessons in the church hall.",
    ),
    (
        "Library opens on Sundays",
        "The central library will open on Sunday afternoons for a trial of six months.",
        "Volunteers from the reading group offered to staff the desk at no cost.",
    ),
    (
        "Bridge closed for inspection",
        "Engineers closed the old river bridge overnight to check cracks in its arches.",
        "Drivers were sent on a diversion through the industrial estate.",
    ),
    (
        "Orchard wins county award",
        "A community orchard planted by retired teachers won the county's green award.",
        "The prize money will buy a cider press for the autumn harvest festival.",
    ),
    (
        "Bus route saved after petition",
        "The number nine bus will keep running after 2,000 residents signed a petition.",
        "Council officers found savings elsewhere in the transport budget.",
    ),
    (
        "Market square to get trees",
        "Twelve lime trees will line the market square under plans approved on Thursday.",
        "Stallholders asked that planting wait until after the Christmas market.",
    ),
    (
        "Swimming pool reopens",
        "The leisure centre pool reopened after a year of repairs to its leaking tank.",
        "Early swimmers queued from dawn to be the first back in the water.",
    ),
    (
        "Choir sings for hospice",
        "A choir of nurses raised money for the town hospice with a concert in the abbey.",
        "Tickets sold out within a day of going on sale.",
    ),
    (
        "Allotments waiting list grows",
        "More than 300 people are now waiting for an allotment plot in the borough.",
        "Gardeners suggested splitting the larger plots in half.",
    ),
    (
        "Cycle lane plan divides street",
        "Plans for a cycle lane on the high street split shopkeepers at a packed meeting.",
        "A second consultation will run until the end of the month.",
    ),
    (
        "Museum finds lost painting",
        "Museum staff found a missing landscape painting rolled up in a basement cupboard.",
        "Experts believe it was stored there during the war and forgotten.",
    ),
]


def page(n: int, *extra: str) -> str:
    """An article of its own (a headline and two paragraphs on topic `n`) with `extra` lines."""
    title, first, last = TOPICS[n]
    body = [title, "", first, "", *[line for text in extra for line in (text, "")], last]
    return "\n".join(body) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(
    paths: list[Path], tmp_path: Path, *args: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    out, audit, report = tmp_path / "out.jsonl", tmp_path / "audit.jsonl", tmp_path / "report.json"
    argv = [*map(str, paths), "-o", str(out), "--audit", str(audit), "--report", str(report), "-q", *args]
    result = CliRunner().invoke(clean_command, argv)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    removals = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    return records, removals, json.loads(report.read_text(encoding="utf-8"))


def repeated(removals: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [
        (r["id"], r["text"], r["documents"], r["sources"])
        for r in removals
        if r["reason"] == "repeated.across-documents"
    ]


@pytest.mark.parametrize("dedup", [[], ["--no-dedup"]])
def test_a_menu_on_pages_of_three_sites_goes_everywhere_first_copy_included(tmp_path: Path, dedup: list[str]) -> None:
    paths = [write(tmp_path / "in" / site, f"p{n}.txt", page(n, MENU)) for n, site in enumerate(("a", "b", "c"))]
    records, removals, report = run(paths, tmp_path, *dedup)
    assert [(r["id"], MENU in r["text"]) for r in records] == [("p0", False), ("p1", False), ("p2", False)]
    assert repeated(removals) == [(f"p{n}", MENU, 3, 3) for n in range(3)]
    # Removed as boilerplate, never as a duplicate of a copy that would then be kept.
    assert not [r for r in removals if r["reason"].startswith("dedup.")]
    assert report["removals"]["repeated.across-documents"] == 3
    assert report["stages"]["repetition"]["repeated_lines"] == 1


def test_a_line_in_two_documents_stays(tmp_path: Path) -> None:
    paths = [write(tmp_path / "in", f"p{n}.txt", page(n, MENU if n < 2 else EDITIONS)) for n in range(3)]
    records, removals, _ = run(paths, tmp_path, "--no-dedup")
    assert [MENU in r["text"] for r in records] == [True, True, False]
    assert repeated(removals) == []


def test_a_statement_quoted_by_three_outlets_is_left_to_dedup(tmp_path: Path) -> None:
    """A sentence repeats word for word across outlets of one story just as
    chrome does; it is never counted, so dedup keeps its first copy."""
    paths = [write(tmp_path / "in" / outlet, "story.txt", page(n, QUOTE)) for n, outlet in enumerate(("x", "y", "z"))]
    records, removals, _ = run(paths, tmp_path)
    assert QUOTE in records[0]["text"]
    assert repeated(removals) == []
    # (Three files named alike on the command line: ids made unique in input order.)
    assert [(r["id"], r["reason"], r["kept_id"]) for r in removals if r["text"] == QUOTE] == [
        ("story~2", "dedup.exact-duplicate", "story"),
        ("story~3", "dedup.exact-duplicate", "story"),
    ]
    # Counted when sentences are (sentence_max_chars), it would go from every outlet.
    cfg = write(tmp_path, "sentences.yaml", "repetition:\n  sentence_max_chars: 200\n")
    _, removals, _ = run(paths, tmp_path, "--config", str(cfg))
    assert [text for _, text, _, _ in repeated(removals)] == [QUOTE] * 3


def test_min_sources_keeps_a_line_repeated_within_one_source_only(tmp_path: Path) -> None:
    site = [
        write(tmp_path / "in" / "site", f"p{n}.txt", page(n, "Harbour Gazette, part of the Coast Media group"))
        for n in range(3)
    ]
    spread = [write(tmp_path / "in" / s, f"q{n}.txt", page(3 + n, MENU)) for n, s in enumerate(("u", "v", "w"))]
    paths = site + spread
    _, removals, _ = run(paths, tmp_path, "--no-dedup")  # default: one source is enough
    assert {text for _, text, _, _ in repeated(removals)} == {"Harbour Gazette, part of the Coast Media group", MENU}
    cfg = write(tmp_path, "sources.yaml", "repetition:\n  min_sources: 2\n")
    _, removals, _ = run(paths, tmp_path, "--no-dedup", "--config", str(cfg))
    assert repeated(removals) == [(f"q{n}", MENU, 3, 3) for n in range(3)]


def test_the_source_is_the_outlet_or_url_host_before_the_folder() -> None:
    doc = Document(id="a", source="in/feed/a.txt")
    assert repetition.source_of(doc) == "folder:in/feed"
    doc.metadata["url"] = "https://www.example.org/news/1"
    assert repetition.source_of(doc) == "host:example.org"
    doc.metadata["outlet"] = "BBC"
    assert repetition.source_of(doc) == "outlet:bbc"


def test_copies_of_one_document_count_once(tmp_path: Path) -> None:
    text = page(1, EDITIONS)
    paths = [write(tmp_path / "in" / s, "a.txt", text) for s in ("x", "y", "z")]
    _, removals, _ = run(paths, tmp_path, "--no-dedup")
    assert repeated(removals) == []


def test_numbers_and_case_are_folded_in_the_count(tmp_path: Path) -> None:
    paths = [
        write(tmp_path / "in", f"p{n}.txt", page(n, f"PAGE {n + 1} OF 12" if n else "Page 1 of 12")) for n in range(3)
    ]
    _, removals, _ = run(paths, tmp_path, "--no-dedup")
    assert [(i, text, docs) for i, text, docs, _ in repeated(removals)] == [
        ("p0", "Page 1 of 12", 3),
        ("p1", "PAGE 2 OF 12", 3),
        ("p2", "PAGE 3 OF 12", 3),
    ]


def test_a_document_of_nothing_but_repeated_lines_is_not_an_article(tmp_path: Path) -> None:
    paths = [write(tmp_path / "in", f"p{n}.txt", page(n, MENU, EDITIONS)) for n in range(3)]
    paths.append(write(tmp_path / "in", "tag.txt", f"Around the harbour this week\n\n{MENU}\n\n{EDITIONS}\n"))
    records, removals, report = run(paths, tmp_path)
    assert [r["id"] for r in records] == ["p0", "p1", "p2"]
    assert [(r["text"], r["reason"]) for r in removals if r["id"] == "tag"] == [
        ("Around the harbour this week", "metadata.title"),
        (MENU, "repeated.across-documents"),
        (EDITIONS, "repeated.across-documents"),
    ]
    assert report["documents_dropped"] == {"filter.non-article": 1}
    [evidence] = report["non_article_documents"]
    assert evidence["id"] == "tag" and evidence["rule"] == "repeated.across-documents"
    assert [(line["line"], line["documents"]) for line in evidence["lines"]] == [(3, 4), (5, 4)]


@pytest.mark.parametrize("dedup", [[], ["--no-dedup"]])
def test_same_output_audit_and_counts_whatever_jobs(
    tmp_path: Path, dedup: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SOURCES", 2)  # several batches in each pass
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 2)
    paths = [
        write(tmp_path / "in" / f"s{n % 3}", f"p{n}.txt", page(n, MENU, EDITIONS, f"Page {n} of 9")) for n in range(9)
    ]
    runs = []
    for jobs in ("1", "2"):
        records, removals, report = run(paths, tmp_path, "-j", jobs, *dedup)
        for volatile in ("seconds", "mb_per_second", "peak_rss_mb"):
            report.pop(volatile)
        report["stages"].get("dedup", {}).pop("seconds", None)
        runs.append((records, removals, report))
    assert runs[0] == runs[1]
    assert len(repeated(runs[0][1])) == 27


def test_thresholds_are_checked_by_name(tmp_path: Path) -> None:
    cfg = write(tmp_path, "bad.yaml", "repetition:\n  min_documents: 1\n")
    src = write(tmp_path, "a.txt", page(1))
    result = CliRunner().invoke(clean_command, [str(src), "-o", str(tmp_path / "o.jsonl"), "--config", str(cfg)])
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == "Error: config: repetition.min_documents: must be a whole number, 2 or more, not 1"
    )


def test_lookup_gives_documents_and_sources_of_a_repeated_line() -> None:
    cfg = config.load().repetition
    table = repetition.Table(cfg)
    docs = []
    for n, source in enumerate(("a/1.txt", "b/2.txt", "b/3.txt")):
        doc = Document(id=str(n), source=source)
        doc.paragraphs = [Paragraph(1, "Sign in"), Paragraph(3, f"Only in document {'abc'[n]}")]
        docs.append(doc)
    table.add(repetition.document_lines(docs, cfg))
    table.resolve()
    assert table.lookup(["SIGN IN", "Only in document b", "Sign up"]) == [(3, 2), (0, 0), (0, 0)]
    assert table.plan(1) == repetition.Plan({0: (3, 2)})


def test_numbers_of_a_line_of_data_are_not_folded(tmp_path: Path) -> None:
    """A telephone line in three directory entries is three lines of data."""
    phones = ["Telephone: (925) 846-7768", "Telephone: (408) 719-1800", "Telephone: (925) 484-3000"]
    paths = [write(tmp_path / "in", f"p{n}.txt", page(n, phone)) for n, phone in enumerate(phones)]
    records, removals, _ = run(paths, tmp_path, "--no-dedup")
    assert repeated(removals) == []
    assert [phone in r["text"] for r, phone in zip(records, phones, strict=True)] == [True, True, True]


def test_explain_shows_a_line_repeated_across_the_corpus(tmp_path: Path) -> None:
    corpus = [write(tmp_path / "in" / s, f"p{n}.txt", page(n, MENU)) for n, s in enumerate(("a", "b", "c"))]
    result = CliRunner().invoke(main, ["explain", str(corpus[0]), "--corpus", str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    assert f"    5 removed   [repeated.across-documents] {MENU}" in result.output.splitlines()
