"""`corpusclean suggest-rules`: lines recurring across documents, as reviewable rules."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from corpusclean import config
from corpusclean.boilerplate import rule_matches
from corpusclean.cli import main
from corpusclean.document import Document, Line
from corpusclean.suggest import count_lines, outlet_of

STORIES = [
    "The bridge will close for repairs for six weeks from Monday, the county council said.",
    "A new playground has opened in Marsh Park after a two-year fundraising campaign by parents.",
    "Police are appealing for witnesses after a lorry overturned on the bypass early on Sunday.",
    "The town's oldest bakery is to close after 140 years because the owners are retiring.",
    "Plans for a cinema on the site of the old bus depot have been approved by councillors.",
    "A swimmer has crossed the estuary to raise money for the lifeboat station that rescued her father.",
]


def write_corpus(folder: Path) -> None:
    """Six pages of one outlet with its furniture, four of another, as JSONL."""
    records = []
    for i, story in enumerate(STORIES):
        text = f"Headline number {i}\n\n{story}\n\nShare this page on Facebook\nEmail the newsroom with your stories\n"
        if i % 2 == 0:
            text += "Tap here for the latest weather in the valley\n"
        records.append({"id": f"valley-{i}", "text": text})
    (folder / "valley.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    for i, story in enumerate(STORIES[:4]):
        text = f"Another headline {i}\n\n{story} It was reported first elsewhere.\n\nShare this page on Facebook\n"
        (folder / f"other-{i}.txt").write_text(text, encoding="utf-8")


def test_recurring_lines_become_rules(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    result = CliRunner().invoke(
        main, ["suggest-rules", str(tmp_path), "--min-docs", "3", "--min-fraction", "0.2", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    rules = data["boilerplate"]["rules"]
    # Counted over all ten documents (no outlet is known): most frequent first.
    assert [(r["pattern"]) for r in rules] == [
        "Share this page on Facebook",
        "Email the newsroom with your stories",
        "Tap here for the latest weather in the valley",
    ]
    assert "# 10 of 10 documents (100%), all documents without a known outlet" in result.output
    assert "# 3 of 10 documents (30%)" in result.output
    first = rules[0]
    assert first == {
        "name": "share-this-page-on-facebook",
        "category": "suggested",
        "match": "exact",
        "pattern": "Share this page on Facebook",
        "scope": "line",
        "action": "remove",
        "examples": {"remove": ["Share this page on Facebook"], "keep": []},
    }
    # The output loads as a config, and each rule removes its own line.
    (tmp_path / "suggested.yaml").write_text(result.output, encoding="utf-8")
    cfg = config.load(tmp_path / "suggested.yaml")
    for rule in cfg.rules:
        assert all(rule_matches(rule, example) for example in rule.remove_examples)
        assert not rule_matches(rule, STORIES[0])


def test_thresholds(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    result = CliRunner().invoke(main, ["suggest-rules", str(tmp_path), "--min-docs", "7", "-j", "1"])
    assert [r["pattern"] for r in yaml.safe_load(result.output)["boilerplate"]["rules"]] == [
        "Share this page on Facebook"
    ]
    result = CliRunner().invoke(
        main, ["suggest-rules", str(tmp_path), "--min-docs", "2", "--min-fraction", "0.5", "-j", "1"]
    )
    assert [r["pattern"] for r in yaml.safe_load(result.output)["boilerplate"]["rules"]] == [
        "Share this page on Facebook",
        "Email the newsroom with your stories",
    ]
    result = CliRunner().invoke(main, ["suggest-rules", str(tmp_path), "--min-docs", "11", "-j", "1"])
    assert yaml.safe_load(result.output)["boilerplate"]["rules"] == []


def test_counts_per_outlet() -> None:
    def doc(n: int, outlet: str | None, url: str | None, lines: list[str]) -> Document:
        d = Document(id=str(n), source="x", lines=[Line(i, t) for i, t in enumerate(lines, 1)])
        d.metadata.update({"outlet": outlet, "url": url})
        return d

    docs = [doc(i, "bbc", None, ["Share this page", f"Story {i}."]) for i in range(3)]
    docs += [doc(10 + i, None, "https://www.example.org/a", ["Share this page", "Sign in"]) for i in range(2)]
    assert outlet_of(docs[-1]) == "example.org"
    counter = count_lines(docs, min_docs=2, max_chars=300)
    found = [(c.outlet, c.text, c.documents, c.outlet_documents) for c in counter.candidates(0.0)]
    assert found == [
        ("bbc", "Share this page", 3, 3),
        ("example.org", "Share this page", 2, 2),
        ("example.org", "Sign in", 2, 2),
    ]
    # Only lines that reached the minimum keep a sample text.
    assert len(counter.samples) == 3


def test_lines_the_rules_remove_are_not_counted(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(f"Headline {i}\n\n{STORIES[i]}\n\nVideo Loading\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["suggest-rules", str(tmp_path), "--min-docs", "2", "-j", "1"])
    assert "Video Loading" not in result.output
