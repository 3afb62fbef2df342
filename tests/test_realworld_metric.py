"""bench/realworld.py: the token metric, and a run on a tiny set written here (no dev data needed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "realworld.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["realworld"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


realworld = _load()


def test_tokens_are_lower_cased_unicode_words() -> None:
    assert realworld.tokens("Zoë's café, CAFÉ; 2026-11-29!") == {
        "zoë": 1,
        "s": 1,
        "café": 2,
        "2026": 1,
        "11": 1,
        "29": 1,
    }


def test_identical_text_scores_one_whatever_the_case_and_punctuation() -> None:
    assert realworld.prf("The harbour REOPENED today.", "the harbour reopened -- today") == (1.0, 1.0, 1.0)


def test_bag_counts_a_repeated_word_only_as_often_as_the_gold_has_it() -> None:
    # output: rain x3, fell x1 (4 tokens); gold: rain x1, fell x1, hard x1 (3 tokens); 2 in common
    p, r, f1 = realworld.prf("rain rain rain fell", "rain fell hard")
    assert (p, r) == (2 / 4, 2 / 3)
    assert f1 == pytest.approx(2 * p * r / (p + r))


def test_extra_menu_words_cost_precision_not_recall() -> None:
    p, r, _ = realworld.prf("Home News Sport\nThe ferry sailed at noon", "The ferry sailed at noon")
    assert (p, r) == (5 / 8, 1.0)


def test_empty_output_scores_zero_and_empty_gold_is_refused() -> None:
    assert realworld.prf("", "some gold words") == (0.0, 0.0, 0.0)
    assert realworld.prf("-- | --", "some gold words") == (0.0, 0.0, 0.0)
    assert realworld.prf("nothing in common", "some gold words") == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        realworld.prf("some output", " -- ")


def test_a_record_finds_its_page_by_source_stem_or_relative_path() -> None:
    folder = Path("sets", "l3s")
    pages = [
        realworld.Page(pid, folder / f"{pid}.html", folder / f"{pid}.visible.txt", "gold")
        for pid in ("0a1b-22", "v1.2")
    ]
    names = realworld.page_names(pages, "visible")
    assert realworld.page_of("/abs/sets/l3s/0a1b-22.visible.txt", names) == "0a1b-22"  # a source
    assert realworld.page_of("0a1b-22.visible", names) == "0a1b-22"  # an id: the file's stem
    assert realworld.page_of("l3s/v1.2.visible.txt", names) == "v1.2"  # an id: a relative path; a dot in the id
    assert realworld.page_of("0a1b-22.html", names) is None  # the other kind's file


ARTICLE = (
    "Lakeside library reopens after flood repairs\n\n"
    "The lakeside library reopened on Monday after four months of repairs to its flooded basement, "
    "the council said in a statement.\n\n"
    "Readers queued before the doors opened, and the children's corner was full within an hour, "
    "according to the head librarian, who thanked the volunteers who had dried thousands of books.\n"
)


def test_a_run_on_a_tiny_set_scores_each_page_and_names_the_drop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "devdata" / "tiny"
    folder.mkdir(parents=True)
    pages = {
        "kept": (ARTICLE + "Share this article\n", ARTICLE.split("\n\n", 1)[1]),
        "gone": ("   \n", "A page whose visible text was lost."),
        "nogold": (ARTICLE, "  --  \n"),
    }
    with open(folder / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for pid, (visible, gold) in pages.items():
            (folder / f"{pid}.visible.txt").write_text(visible, encoding="utf-8")
            (folder / f"{pid}.gold.txt").write_text(gold, encoding="utf-8")
            (folder / f"{pid}.html").write_text("<html><body><p>unused</p></body></html>", encoding="utf-8")
            entry = {"id": pid, "html": f"{pid}.html", "visible": f"{pid}.visible.txt", "gold": f"{pid}.gold.txt"}
            manifest.write(json.dumps(entry) + "\n")
    out = tmp_path / "scores.json"
    argv = ["--devdata", str(tmp_path / "devdata"), "--sets", "tiny", "--kinds", "visible", "--no-trafilatura"]
    assert realworld.main([*argv, "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))["sets"]["tiny"]
    assert result["skipped_empty_gold"] == ["nogold"]
    assert result["title_scored"] is False  # a set the script does not know: its title is not scored
    kept = result["pages"]["kept"]
    assert kept["visible"] == [1.0, 1.0, 1.0]  # headline to metadata, share prompt removed
    assert kept["unchanged"][0] < 1.0 and kept["unchanged"][1] == 1.0
    assert result["pages"]["gone"]["visible"] == [0.0, 0.0, 0.0]
    assert result["pages"]["gone"]["visible_dropped"] == "skipped.empty"
    assert result["dropped"]["visible"] == {"skipped.empty": [1, 0]}
    printed = capsys.readouterr().out
    assert "   visible -> clean      0.500  0.500  0.500      2" in printed  # the dropped page scores 0
    assert "     skipped.empty" in printed


def test_header_lines_moved_to_metadata_are_scored_where_the_gold_holds_them(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    entries = [
        {"id": "a", "position": 3, "text": "By Jane Doe", "stage": "metadata", "rule": "byline"},
        {"id": "a", "position": 1, "text": "Ferry delayed again", "stage": "metadata", "rule": "title"},
        {"id": "a", "position": 5, "text": "Share this article", "stage": "boilerplate", "rule": "share-prompt"},
        {"id": "a", "position": 4, "text": "3 May 2021", "stage": "metadata", "rule": "date"},
    ]
    audit.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    moved = realworld.header_lines(audit)
    assert moved == {
        "a": [(3, "byline", "By Jane Doe"), (1, "title", "Ferry delayed again"), (4, "date", "3 May 2021")]
    }
    run = realworld.Run(
        texts={"p": "The ferry is late."}, headers={"p": "Ferry delayed again\nBy Jane Doe\n3 May 2021"}
    )
    assert realworld.scored_text(run, "p", True) == "Ferry delayed again\nBy Jane Doe\n3 May 2021\n\nThe ferry is late."
    assert realworld.scored_text(run, "p", False) == "The ferry is late."
