"""Unicode and whitespace repair keeps typography, fixes mojibake, and keeps line numbers."""

from __future__ import annotations

from corpusclean.config import Config
from corpusclean.document import Document
from corpusclean.normalise import normalise, repair_line


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
    assert lines_of(text, cfg) == [(1, "First line"), (2, ""), (3, ""), (4, "Third line"), (5, "last")]


def test_control_characters_dropped(cfg: Config) -> None:
    assert repair_line("bell\x07 and\x00 nul", cfg.normalise) == "bell and nul"


def test_ascii_is_untouched(cfg: Config) -> None:
    text = "Plain ASCII text, with punctuation -- and 'quotes'."
    assert repair_line(text, cfg.normalise) == text
