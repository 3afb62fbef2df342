"""Unicode and whitespace repair keeps typography, fixes mojibake, and keeps line numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpusclean.config import Config, load
from corpusclean.document import Document
from corpusclean.normalise import BREAKS_BEFORE_REPAIR, LINE_BREAKS, normalise, repair_line


def lines_of(text: str, cfg: Config) -> list[tuple[int, str]]:
    doc = normalise(Document(id="x", source="x", raw=text), cfg.normalise)
    return [(line.pos, line.text) for line in doc.lines]


def test_mojibake_is_repaired_and_counted(cfg: Config) -> None:
    doc = normalise(Document(id="x", source="x", raw="the childrenâ€™s services"), cfg.normalise)
    assert doc.lines[0].text == "the children\u2019s services"
    assert doc.counters.get("normalise.ftfy.mojibake", 0) + sum(
        v for k, v in doc.counters.items() if k.startswith("normalise.ftfy.")
    )


def test_typography_is_kept_by_default(cfg: Config) -> None:
    line = "\u201cQuoted\u201d \u2013 it\u2019s \ufb01ne"
    assert repair_line(line, cfg.normalise) == line


def test_typography_folded_when_asked(cfg: Config) -> None:
    settings = {**cfg.normalise, "fix_typography": True}
    assert repair_line("\u201cQuoted\u201d it\u2019s", settings) == '"Quoted" it\'s'


def test_line_endings_spaces_and_positions(cfg: Config) -> None:
    text = "First\u00a0line  \r\n\r\n \t \rThird\u200b line\rlast"
    assert lines_of(text, cfg) == [(1, "First line"), (4, "Third line"), (5, "last")]


def test_control_characters_dropped(cfg: Config) -> None:
    assert repair_line("bell\x07 and\x00 nul", cfg.normalise) == "bell and nul"


def test_ascii_is_untouched(cfg: Config) -> None:
    text = "Plain ASCII text, with punctuation -- and 'quotes'."
    assert repair_line(text, cfg.normalise) == text


def test_whole_text_path_equals_line_by_line(cfg: Config) -> None:
    text = "A\u00a0b\tc\x07\r\nchildren\u00e2\u20ac\u2122s\u200b\n\u2003\nplain line  \rlast\u00a0"
    doc = normalise(Document(id="x", source="x", raw=text), cfg.normalise)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = [(pos, repair_line(line, cfg.normalise)) for pos, line in enumerate(lines, 1)]
    assert [(line.pos, line.text) for line in doc.lines] == [(pos, text) for pos, text in expected if text]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text() | st.sampled_from(["\u00e2\u20ac\u2122", "\r\n", "\u00a0", "\t", "\r"])).map("".join))
def test_whole_text_path_equals_line_by_line_for_any_text(text: str) -> None:
    cfg = load().normalise
    doc = normalise(Document(id="x", source="x", raw=text), cfg)
    # Line by line: cut at the breaks before repair, repair, cut at the breaks that remain.
    repaired = [repair_line(line, cfg) for line in BREAKS_BEFORE_REPAIR.split(text)]
    lines = [piece.rstrip() for line in repaired for piece in LINE_BREAKS.split(line)]
    assert [(line.pos, line.text) for line in doc.lines] == [(pos, t) for pos, t in enumerate(lines, 1) if t.strip()]
