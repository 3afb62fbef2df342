"""`corpusclean explain`: every line's fate, read from the same pipeline `clean` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpusclean import config
from corpusclean.cli import main
from corpusclean.explain import explain

ARTICLE = """\
Harbour trust to take over the island ferry

By Jane Okoro
Tuesday, May 24, 2016

The ferry between the two towns will be run by a new community trust from the spring, the harbour board said.
Video Loading
The trust will take on the crews and both boats, and fares will be frozen for a year, the board said on Monday.

Watch: The ferry crossing in a storm last winter
A board member said the trust had been planned for two years.
The ferry between the two towns will be run by a new community trust from the spring, the harbour board said.

Ferry News Digital membership
From £9 / month
Subscribe
"""

OTHER = """\
Island ferry to change hands

Passengers were told about the change on Monday evening at a meeting in the town hall, which about 80 people attended.
The trust will take on the crews and both boats, and fares will be frozen for a year, the board said on Monday.
"""


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_fates_within_the_file(article: Path) -> None:
    result = CliRunner().invoke(main, ["explain", str(article)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"== {article} (id ferry)",
        "    1 metadata  [metadata.title -> title] Harbour trust to take over the island ferry",
        "    2",
        "    3 metadata  [metadata.byline -> author = Jane Okoro] By Jane Okoro",
        "    4 metadata  [metadata.date -> date = 2016-05-24] Tuesday, May 24, 2016",
        "    5",
        "    6 kept      The ferry between the two towns will be run by a new community trust from the spring, the harbour board said.",
        "    7 removed   [boilerplate.video-placeholder] Video Loading",
        "    8 kept      The trust will take on the crews and both boats, and fares will be frozen for a year, the board said on Monday.",
        "    9",
        "   10 removed   [boilerplate.watch-promo] Watch: The ferry crossing in a storm last winter",
        "   11 kept      A board member said the trust had been planned for two years.",
        "   12 duplicate [dedup.exact-duplicate of ferry:6, score 100.0] The ferry between the two towns will be run by a new community trust from the spring, the harbour board said.",
        "   13",
        "   14 removed   [boilerplate.membership-pitch] Ferry News Digital membership",
        "   15 removed   [boilerplate.price-per-period] From £9 / month",
        "   16 removed   [boilerplate.subscribe-button] Subscribe",
        "-- 3 kept, 5 removed, 3 metadata, 1 duplicate",
    ]


def test_duplicate_of_a_corpus_document(article: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-other.txt").write_text(OTHER, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(article), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[8] == (
        "    8 duplicate [dedup.exact-duplicate of a-other:4, score 100.0] The trust will take on the crews "
        "and both boats, and fares will be frozen for a year, the board said on Monday."
    )
    assert lines[-1] == "-- 2 kept, 5 removed, 3 metadata, 2 duplicate"


def test_file_inside_the_corpus_is_explained_at_its_place(article: Path, tmp_path: Path) -> None:
    # The article comes first in the corpus, so the other document cannot
    # make its lines duplicates: documents after it do not change it.
    (tmp_path / "zz-other.txt").write_text(OTHER, encoding="utf-8")
    cfg = config.load()
    [explained] = list(explain(str(article), cfg, [str(tmp_path)]))
    assert explained.fates[7].kind == "kept"
    [other] = list(explain(str(tmp_path / "zz-other.txt"), cfg, [str(tmp_path)]))
    dup = [f for f in other.fates if f.kind == "duplicate"]
    assert [(f.pos, f.detail) for f in dup] == [(4, "of ferry:8, score 100.0")]


def test_partial_removals_are_notes(tmp_path: Path) -> None:
    line = "The harbour board will meet again in June to agree the terms of the transfer."
    path = tmp_path / "doubled.txt"
    path.write_text(f"Ferry board to meet\n\n{line}{line}\n", encoding="utf-8")
    [explained] = list(explain(str(path), config.load()))
    fate = explained.fates[2]
    assert fate.kind == "kept"
    assert [(n.reason, n.text) for n in fate.notes] == [("revisions.doubled-line", line)]


def test_every_line_of_the_seeds_has_a_fate() -> None:
    from .conftest import SEEDS

    cfg = config.load()
    for path in sorted(SEEDS.glob("*.txt")):
        for explained in explain(str(path), cfg, [str(SEEDS)]):
            kinds = {f.kind for f in explained.fates}
            assert "unaccounted" not in kinds, path.name


def test_colour_only_on_a_terminal(article: Path) -> None:
    plain = CliRunner().invoke(main, ["explain", str(article)])
    coloured = CliRunner().invoke(main, ["explain", str(article)], color=True)
    assert "\x1b[" not in plain.output
    assert "\x1b[31m" in coloured.output  # removed lines in red


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["explain", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_a_line_model_removal_shows_its_probability(tmp_path: Path) -> None:
    from corpusclean.pageclassifier import LINE_MODEL

    from .test_linemodel import TEASERS, page

    path = tmp_path / "page.txt"
    path.write_text(page(), encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.endswith(TEASERS[-1][1]))
    assert f" removed   [classifier.{LINE_MODEL} probability 0." in line
    probability = float(line.split("probability ")[1].split("]")[0])
    assert 0.0 <= probability < config.load().classifier["line_model_min_probability"]
