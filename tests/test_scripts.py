"""Script-aware word counts and sentence tests, and the document drops built on them."""

from corpusclean import config
from corpusclean.boilerplate import reads_as_text, strip_boilerplate
from corpusclean.document import Document, Line
from corpusclean.scripts import holds_sentence, word_count


def test_word_count_spaced_and_spaceless_scripts() -> None:
    assert word_count("The council met on Tuesday.") == 5
    # Japanese and Chinese have no spaces: a run counts one word per two characters.
    assert word_count("市議会は火曜日に新しい予算案を承認した。") >= 9
    assert word_count("图书馆将在下个月重新开放") >= 5
    assert word_count("") == 0


def test_sentence_inside_table_cells_and_other_scripts() -> None:
    row = "| The ferry service resumes in May, the operator said. It had stopped in winter. |"
    assert holds_sentence(row, 6)
    assert holds_sentence("• Residents were told to boil their water until Friday.", 6)
    assert holds_sentence("市議会は火曜日に新しい予算案を承認した。", 6)
    assert holds_sentence("शहर की नगर परिषद ने मंगलवार को नया बजट पारित किया।", 6)
    # A headline or a menu holds no sentence, and an initial is no sentence end.
    assert not holds_sentence("Storm closes coastal road for a second day", 6)
    assert not holds_sentence("| Home | News | Sport | Weather |", 6)
    assert not holds_sentence("U.S. envoy arrives in Cairo for talks on aid", 6)


def test_long_unpunctuated_line_reads_as_text() -> None:
    line = " ".join(["word"] * 30)
    assert reads_as_text(line, 6)
    assert not reads_as_text("Council approves budget after long debate", 6)


def _doc(lines: list[str]) -> Document:
    doc = Document(id="t", source="t.txt")
    doc.lines = [Line(i + 1, text) for i, text in enumerate(lines)]
    return doc


def test_table_of_sentences_is_not_a_headline_list() -> None:
    cfg = config.load()
    rows = [
        f"| Route {n} | The service will run every {n * 5} minutes from June, the operator said. |" for n in range(1, 9)
    ]
    doc = strip_boilerplate(_doc(rows), cfg.rules, cfg.boilerplate)
    assert doc.dropped is None
    assert len(doc.lines) == 8


def test_japanese_article_is_not_a_headline_list() -> None:
    cfg = config.load()
    lines = [
        "市は来年度から図書館の開館時間を延長すると発表した。",
        "平日は午後九時まで開館し、週末も午後六時まで利用できる。",
        "市の担当者は、利用者の声を受けて決めたと説明した。",
        "延長に伴い、職員を五人増やす予定だという。",
        "新しい時間は四月一日から適用される。",
        "図書館では記念の展示も予定している。",
    ]
    doc = strip_boilerplate(_doc(lines), cfg.rules, cfg.boilerplate)
    assert doc.dropped is None


def test_list_of_headlines_is_still_dropped() -> None:
    cfg = config.load()
    headlines = [
        "Storm closes coastal road for a second day",
        "Council approves budget after long debate",
        "Local team wins regional cup final",
        "New bus routes planned for the valley",
        "Museum reopens after two-year refit",
        "Hospital waiting lists fall for third month",
    ]
    doc = strip_boilerplate(_doc(headlines), cfg.rules, cfg.boilerplate)
    assert doc.dropped == "boilerplate.headline-list"
    assert {r.rule for r in doc.removals} == {"headline-list"}
    assert [r.text for r in doc.removals] == headlines
