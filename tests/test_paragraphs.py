"""Paragraph splitting: blank-line blocks, one paragraph per line, hard wraps joined."""

from __future__ import annotations

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
