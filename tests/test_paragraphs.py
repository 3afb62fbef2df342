"""Paragraph splitting: blank-line blocks, one paragraph per line, hard wraps joined."""

from __future__ import annotations

from corpusclean import clean_text
from corpusclean.config import Config
from corpusclean.document import Document, Line
from corpusclean.paragraphs import split_paragraphs


def paragraphs(text: str, cfg: Config) -> list[tuple[int, str]]:
    doc = Document(id="x", source="x")
    doc.lines = [Line(i, t) for i, t in enumerate(text.split("\n"), 1)]
    return [(p.pos, p.text) for p in split_paragraphs(doc, cfg.paragraphs).paragraphs]


def test_blank_line_blocks(cfg: Config) -> None:
    assert paragraphs("One.\n\n\nTwo.\n", cfg) == [(1, "One."), (4, "Two.")]


def test_one_paragraph_per_line(cfg: Config) -> None:
    text = "A short subhead\nA long first paragraph that ends here.\nAnother one, also complete."
    assert [p for _, p in paragraphs(text, cfg)] == text.split("\n")


def test_hard_wrapped_prose_is_joined(cfg: Config) -> None:
    text = (
        "The committee heard evidence from residents who said the\n"
        "new bus timetable left them without a service after six\n"
        "in the evening.\n\nNext paragraph."
    )
    assert paragraphs(text, cfg) == [
        (
            1,
            "The committee heard evidence from residents who said the new bus timetable left them "
            "without a service after six in the evening.",
        ),
        (5, "Next paragraph."),
    ]


# -- code and verse blocks ----------------------------------------------------------


def test_an_indented_code_block_is_one_paragraph_with_its_indentation(cfg: Config) -> None:
    text = (
        "The helper now rounds prices before it compares them:\n"
        "\n"
        "    def cheaper(a, b):\n"
        "        if round(a, 2) < round(b, 2):\n"
        "            return True\n"
        "        return False\n"
        "\n"
        "In JavaScript the same check reads:\n"
        "\n"
        "    function cheaper(a, b) {\n"
        "      if (a.toFixed(2) < b.toFixed(2)) {\n"
        "        return true;\n"
        "      }\n"
        "      return false;\n"
        "    }\n"
    )
    assert paragraphs(text, cfg) == [
        (1, "The helper now rounds prices before it compares them:"),
        (3, "def cheaper(a, b):\n    if round(a, 2) < round(b, 2):\n        return True\n    return False"),
        (8, "In JavaScript the same check reads:"),
        (
            10,
            "function cheaper(a, b) {\n  if (a.toFixed(2) < b.toFixed(2)) {\n    return true;\n  }\n  return false;\n}",
        ),
    ]


def test_code_at_the_margin_is_found_by_its_layout(cfg: Config) -> None:
    text = "Run this:\n\nfor item in basket:\n    total += item.price\nprint(total)\n"
    assert paragraphs(text, cfg)[1] == (3, "for item in basket:\n    total += item.price\nprint(total)")


def test_indented_prose_is_not_code(cfg: Config) -> None:
    text = "  The first line of a quoted letter, set in.\n  The second line of it, also set in.\n"
    assert [p for _, p in paragraphs(text, cfg)] == [
        "The first line of a quoted letter, set in.",
        "The second line of it, also set in.",
    ]


VERSE_ARTICLE = (
    "The school's new song was sung for the first time at the summer fair on Saturday afternoon.\n"
    "\n"
    "Green are the fields by the river bend,\n"
    "green are the fields, my friend,\n"
    "green are the fields by the river bend,\n"
    "and there the long roads end.\n"
    "\n"
    "The head teacher said the pupils wrote the words themselves over the spring term.\n"
)


def test_a_verse_in_a_text_of_blank_line_paragraphs_is_one_block(cfg: Config) -> None:
    assert paragraphs(VERSE_ARTICLE, cfg) == [
        (1, VERSE_ARTICLE.split("\n")[0]),
        (3, "\n".join(VERSE_ARTICLE.split("\n")[2:6])),
        (8, VERSE_ARTICLE.split("\n")[7]),
    ]


def test_short_lines_of_a_one_paragraph_per_line_text_stay_apart(cfg: Config) -> None:
    # No blank lines between the prose lines: each line is a paragraph, short ones too.
    text = VERSE_ARTICLE.replace("\n\n", "\n")
    assert [p for _, p in paragraphs(text, cfg)] == [line for line in text.split("\n") if line]


# -- the whole pipeline keeps code and verse whole ----------------------------------

GO_ARTICLE = (
    "Parser library fixes crash on empty input\n"
    "\n"
    "A fix released on Tuesday stops the parser from crashing when it is handed an empty file.\n"
    "\n"
    "The old check looked like this:\n"
    "\n"
    "\tfunc empty(data []byte) bool {\n"
    "\t\tif len(data) == 0 {\n"
    "\t\t\treturn true\n"
    "\t\t}\n"
    "\t\treturn false\n"
    "\t}\n"
    "\n"
    "The new one returns early and logs the file name:\n"
    "\n"
    "\tfunc empty(data []byte) bool {\n"
    "\t\tif len(data) == 0 {\n"
    "\t\t\tlog.Print(name)\n"
    "\t\t\treturn true\n"
    "\t\t}\n"
    "\t\treturn false\n"
    "\t}\n"
    "\n"
    "Users are asked to upgrade to the latest release as soon as they can.\n"
)


def test_code_keeps_every_line_brace_and_repeat_through_the_pipeline(cfg: Config) -> None:
    doc = clean_text(GO_ARTICLE, cfg)
    blocks = [p.text for p in doc.paragraphs if "\n" in p.text]
    assert len(blocks) == 2
    for block, first in zip(blocks, (7, 16), strict=True):
        lines = GO_ARTICLE.split("\n")[first - 1 : first - 1 + block.count("\n") + 1]
        # Every line, in order, with its indentation relative to the block's first line.
        assert block.split("\n") == [line[1:].replace("\t", " ") for line in lines]
        assert block.endswith("}\n return false\n}")
    assert not [r for r in doc.removals if r.stage in ("dedup", "boilerplate")]


SONG_ARTICLE = (
    "Choir's harvest song\n"
    "\n"
    "The choir closed its harvest concert with a song its youngest member wrote last winter.\n"
    "\n"
    "It begins:\n"
    "\n"
    "Bring in the barley, bring in the wheat,\n"
    "sing as you carry it home,\n"
    "bring in the barley, bring in the wheat,\n"
    "no one goes hungry alone.\n"
    "\n"
    "The second verse tells of the long dry summer, and then the audience joined in:\n"
    "\n"
    "Bring in the barley, bring in the wheat,\n"
    "sing as you carry it home,\n"
    "bring in the barley, bring in the wheat,\n"
    "no one goes hungry alone.\n"
    "\n"
    '"Did we rehearse it? No. No. Did it work? Yes. Yes," the conductor said afterwards.\n'
)


def test_a_chorus_quoted_twice_stays_whole_twice(cfg: Config) -> None:
    doc = clean_text(SONG_ARTICLE, cfg)
    chorus = "\n".join(SONG_ARTICLE.split("\n")[6:10])
    assert [p.text for p in doc.paragraphs].count(chorus) == 2
    assert doc.paragraphs[-1].text.startswith('"Did we rehearse it? No. No. Did it work? Yes. Yes,"')
    assert not [r for r in doc.removals if r.stage in ("dedup", "revisions")]


def test_a_long_paragraph_printed_twice_in_one_text_still_goes(cfg: Config) -> None:
    paragraph = "The concert raised enough money to repair the church roof before the winter storms arrive."
    doc = clean_text(
        SONG_ARTICLE + "\n" + paragraph + "\n\nMore news follows here shortly.\n\n" + paragraph + "\n", cfg
    )
    assert [p.text for p in doc.paragraphs].count(paragraph) == 1
    assert [r.rule for r in doc.removals if r.stage == "dedup"] == ["exact-duplicate"]


def test_a_verse_among_hard_wrapped_paragraphs_is_one_block(cfg: Config) -> None:
    text = (
        "The old ferry song was sung again on the quay last night, for the first\n"
        "time since the service stopped running in the winter of last year.\n"
        "\n"
        "Over the water and back again,\n"
        "over the water in wind and rain,\n"
        "home by the lantern light.\n"
        "\n"
        "The ferry company said it hoped to restore the crossing by the end of\n"
        "the summer, once the new boat has passed its sea trials off the coast.\n"
    )
    assert [p for _, p in paragraphs(text, cfg)][1] == "\n".join(text.split("\n")[3:6])


def test_lines_that_each_end_a_sentence_stay_apart(cfg: Config) -> None:
    # Dialogue, not verse: every line closes a sentence.
    text = VERSE_ARTICLE.split("\n\n")[0] + "\n\nNo.\nNo.\nYes, she said.\n"
    assert [p for _, p in paragraphs(text, cfg)][1:] == ["No.", "No.", "Yes, she said."]
