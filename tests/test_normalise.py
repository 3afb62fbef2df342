"""Unicode and whitespace repair keeps typography, fixes mojibake, and keeps line numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpusclean import clean_text
from corpusclean import normalise as normalise_module
from corpusclean.config import Config, load
from corpusclean.document import Document
from corpusclean.normalise import (
    BREAKS_BEFORE_REPAIR,
    EXOTIC_SPACES,
    LINE_BREAKS,
    ZERO_WIDTH,
    normalise,
    repair_line,
    split_lines,
)


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
    repaired = [repair_line(line, cfg) for line in BREAKS_BEFORE_REPAIR.sub("\n", text).split("\n")]
    lines = [piece.rstrip() for line in repaired for piece in LINE_BREAKS.split(line)]
    assert [(line.pos, line.text) for line in doc.lines] == [(pos, t) for pos, t in enumerate(lines, 1) if t.strip()]


# Every language: only meaningless characters are folded, and counted (issue 16).


def test_zwnj_and_zwj_are_kept(cfg: Config) -> None:
    persian = "کتاب\u200cخانه\u200cی شهر می\u200cگوید"  # the Persian half-space spells these words
    emoji = "nurse \U0001f469\u200d\u2695\ufe0f on duty"
    hindi = "क्\u200dष and र्\u200cय"
    doc = normalise(Document(id="x", source="x", raw=f"{persian}\n{emoji}\n{hindi}"), cfg.normalise)
    assert [line.text for line in doc.lines] == [persian, emoji, hindi]
    assert not any(k.startswith("normalise.fold") for k in doc.counters)


def test_meaningless_invisibles_are_folded_and_counted(cfg: Config) -> None:
    # (A line with a Latin-1 character goes through ftfy, whose own removal
    # of a BOM or a control character is counted as normalise.ftfy.*.)
    raw = "zero\u200bwidth, word\u2060joiner, \ufeffbom\x07 and\ttab\nsoft\u00adhyphen and\u00a0nbsp"
    doc = normalise(Document(id="x", source="x", raw=raw), cfg.normalise)
    assert [line.text for line in doc.lines] == ["zerowidth, wordjoiner, bom and tab", "softhyphen and nbsp"]
    assert {k: v for k, v in doc.counters.items() if k.startswith("normalise.fold.")} == {
        "normalise.fold.zero-width-space": 1,
        "normalise.fold.word-joiner": 1,
        "normalise.fold.soft-hyphen": 1,
        "normalise.fold.byte-order-mark": 1,
        "normalise.fold.space": 1,
        "normalise.fold.tab": 1,
        "normalise.fold.control": 1,
    }


def test_c1_controls_repaired_before_lines_are_cut(cfg: Config) -> None:
    # cp1252 bytes read as Latin-1: U+0085 is an ellipsis, U+0092 an apostrophe;
    # "\u00c3\u0085" is the Latin-1 reading of the UTF-8 bytes of "\u00c5".
    raw = "the board\u0092s plan\u0085 \u0093Wait for it\u0085\u0094\nferry to \u00c3\u0085lesund resumes"
    assert lines_of(raw, cfg) == [(1, "the board’s plan… “Wait for it…”"), (2, "ferry to Ålesund resumes")]


def test_next_line_that_survives_repair_breaks_the_line(cfg: Config) -> None:
    settings = {**cfg.normalise, "ftfy": False}
    doc = normalise(Document(id="x", source="x", raw="first\u0085second\u2028third\x0cfourth"), settings)
    assert [(line.pos, line.text) for line in doc.lines] == [(1, "first"), (2, "second"), (3, "third"), (4, "fourth")]
    assert lines_of("first\u2028second\x0bthird", cfg) == [(1, "first"), (2, "second"), (3, "third")]


def documented_folds(line: str) -> str:
    """The folds README documents: tabs and exotic spaces to a space, the meaningless invisibles dropped."""
    return ZERO_WIDTH.sub("", EXOTIC_SPACES.sub(" ", line.replace("\t", " ")))


FOLDED = "\u200b\u2060\ufeff\u00ad\u00a0\u2003\u202f\u3000\t"
# Letters, marks, digits, punctuation and spaces of every script, with the
# joiners that spell words and the characters that are folded.
ANY_SCRIPT = st.text(
    st.characters(categories=("L", "M", "N", "P", "Zs"), exclude_characters=FOLDED)
    | st.sampled_from(list(FOLDED))
    | st.sampled_from(["\u200c", "\u200d", "\u200f"]),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ANY_SCRIPT, min_size=1, max_size=6))
def test_cleaning_changes_no_character_but_the_counted_folds(lines: list[str]) -> None:
    """For text in any script, a kept line is its input line but for the
    documented folds (spaces made plain, invisibles dropped, ends trimmed),
    and each fold is counted; ftfy, when it repairs a line, says so."""
    cfg = load().normalise
    doc = normalise(Document(id="x", source="x", raw="\n".join(lines)), cfg)
    repaired = any(k.startswith("normalise.ftfy.") for k in doc.counters)
    expected = [(pos, documented_folds(line).rstrip()) for pos, line in enumerate(lines, 1)]
    if not repaired:
        assert [(line.pos, line.text) for line in doc.lines] == [(pos, t) for pos, t in expected if t.strip()]
    folds = sum(v for k, v in doc.counters.items() if k.startswith("normalise.fold."))
    folded = sum(len(EXOTIC_SPACES.findall(x)) + len(ZERO_WIDTH.findall(x)) + x.count("\t") for x in lines)
    assert folds == folded or repaired


@settings(max_examples=100, deadline=None)
@given(st.lists(ANY_SCRIPT, min_size=1, max_size=6))
def test_the_whole_pipeline_keeps_every_character_of_a_kept_line(lines: list[str]) -> None:
    """Through every stage (clean_text): each kept paragraph is made of input
    lines, folded as documented, never otherwise changed."""
    cfg = load()
    doc = clean_text("\n\n".join(lines), cfg)
    if any(k.startswith("normalise.ftfy.") for k in doc.counters):
        return
    folded = [" ".join(documented_folds(x).split()) for x in lines]
    for paragraph in doc.text.split("\n\n") if doc.text else []:
        assert " ".join(paragraph.split()) in folded


BREAKING = st.sampled_from(["\n", "\r", "\r\n", "\n\n", "\x85", "\u2028", "\x0c", "\t", "\u00a0", "\u200b", "\x07"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=12) | BREAKING | st.sampled_from(["\u00e2\u20ac\u2122", "\u201cq\u201d"])).map("".join)
)
def test_a_long_text_cut_in_slices_gives_the_same_lines_and_counts(text: str) -> None:
    """A long text is cut, repaired and folded SLICE_CHARS characters at a
    time (never copied whole): the lines and the counts are those of one pass,
    wherever the slices end (between "\\r" and "\\n" included)."""
    cfg = load().normalise
    whole = normalise(Document(id="x", source="x", raw=text), cfg)
    lines = split_lines(text, cfg)
    default = normalise_module.SLICE_CHARS
    try:
        for size in (1, 2, 5, 17):
            normalise_module.SLICE_CHARS = size
            sliced = normalise(Document(id="x", source="x", raw=text), cfg)
            assert [(x.pos, x.text) for x in sliced.lines] == [(x.pos, x.text) for x in whole.lines]
            assert list(sliced.counters.items()) == list(whole.counters.items())
            assert split_lines(text, cfg) == lines
    finally:
        normalise_module.SLICE_CHARS = default
