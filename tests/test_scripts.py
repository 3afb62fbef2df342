"""Script-aware word counts and sentence tests, and the document drops built on them."""

import re

from hypothesis import given
from hypothesis import strategies as st

from corpusclean import config
from corpusclean.boilerplate import strip_boilerplate
from corpusclean.document import Document, Line
from corpusclean.scripts import holds_sentence, reads_as_text, word_count


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
    assert doc.dropped == "filter.non-article"
    assert doc.evidence is not None and doc.evidence["rule"] == "headline-list"
    assert {r.reason for r in doc.removals} == {"filter.non-article"}
    assert [r.text for r in doc.removals] == headlines


# --- the helpers beside word counts -------------------------------------------------


def test_sentence_marks_of_other_scripts() -> None:
    from corpusclean.scripts import ends_sentence_mark

    assert ends_sentence_mark("市議会は予算案を承認した。")
    assert ends_sentence_mark("他说：「我们会继续。」")
    assert ends_sentence_mark("परिषद ने बजट पारित किया।")
    assert ends_sentence_mark("کتابخانه باز است۔")
    assert ends_sentence_mark("هل تفتح المكتبة مساء؟")
    assert not ends_sentence_mark("هل تفتح المكتبة مساء؟", question=False)
    assert not ends_sentence_mark("市議会が予算案を承認")
    assert not ends_sentence_mark("The council met.")  # Latin marks are each caller's


def test_lengths_and_widths_across_scripts() -> None:
    from corpusclean.scripts import join_wrapped, latin_chars, mark_free, spaceless, width

    assert latin_chars("The council met") == 15
    assert latin_chars("市議会が承認") == 18  # six characters holding about three words
    assert width("abc") == 3 and width("市議会") == 6
    assert spaceless("市議会が予算案を承認した") and not spaceless("Tokyo 市")
    assert mark_free("ห้องสมุดเมืองจะเปิดถึงสามทุ่ม") and not mark_free("市議会")
    assert join_wrapped(["市議会は火曜日に新し", "い予算案を承認した。"]) == "市議会は火曜日に新しい予算案を承認した。"
    assert join_wrapped(["The council met", "on Tuesday."]) == "The council met on Tuesday."


def test_hard_wrapped_japanese_is_joined_without_spaces() -> None:
    from corpusclean.paragraphs import split_paragraphs

    cfg = config.load()
    wrapped = [
        "市立図書館は来月から開館時間を延長し、平日も週末も午前九時から",
        "午後九時まで利用できるようになると市の担当者が火曜日に明らかに",
        "した。利用者からは夜も使いたいという声が多く寄せられていた。",
    ]
    doc = Document(id="x", source="x")
    doc.lines = [Line(i, t) for i, t in enumerate(wrapped, 1)]
    split_paragraphs(doc, cfg.paragraphs)
    assert [p.text for p in doc.paragraphs] == ["".join(wrapped)]


def test_thai_lines_are_prose_by_length_and_never_joined() -> None:
    from corpusclean.boilerplate import is_prose
    from corpusclean.paragraphs import split_paragraphs

    line = "ห้องสมุดเมืองจะขยายเวลาเปิดให้บริการตั้งแต่เดือนหน้า เวลาใหม่คือเก้าโมงเช้าถึงสามทุ่ม ทั้งวันธรรมดาและวันหยุด"
    assert is_prose(line, 6)
    assert not is_prose("ห้องสมุดขยายเวลา", 6)
    cfg = config.load()
    doc = Document(id="x", source="x")
    doc.lines = [Line(1, line), Line(2, line.replace("เดือนหน้า", "ปีหน้า")), Line(3, line)]
    split_paragraphs(doc, cfg.paragraphs)
    assert len(doc.paragraphs) == 3


def test_dedup_matches_near_duplicate_chinese_paragraphs() -> None:
    from corpusclean.document import Paragraph
    from corpusclean.pipeline import dedup_index, finish_document

    # 41 Han characters (about 20 words): below dedup.min_chars (60) in raw
    # characters, above it in Latin-equivalent ones, so a near copy is found.
    para = "市图书馆从下个月起将开放到晚上九点，市议会表示读者希望延长开放时间并增加周末服务。"
    near = para.replace("九点", "十点")
    cfg = config.load()
    docs = [
        Document(
            id="a", source="a", paragraphs=[Paragraph(1, para), Paragraph(3, "另一段完全不同的文字说明了天气情况。")]
        ),
        Document(id="b", source="b", paragraphs=[Paragraph(1, near), Paragraph(3, "火车站也在周二重新开放了。")]),
    ]
    index = dedup_index(cfg)
    assert index is not None
    with index:
        for doc in docs:
            index.add(doc)
        index.resolve()
        for doc in docs:
            finish_document(doc, cfg, index)
    assert [(r.rule, r.text) for r in docs[1].removals] == [("near-duplicate", near)]


# The sentence test as first written with regexes: the specification that
# the faster string-method version of scripts.holds_sentence must meet.
SENTENCE_END_INSIDE = re.compile(
    r"(?:[^\W\d_A-Z]{2}|\d)[.!?][\"\u201d\u2019')\]]*(?=\s|$)|[\u3002\uff01\uff1f\u0964\u061f\u06d4]"
)
CELL_DECORATION = re.compile(r"^[\s|•·*\-\u2013\u2014>]+|[\s|]+$")


@given(
    st.text(alphabet='aB. !?1\u00c9_\u00b2)"\u2019 \t|\u2022-x\u3002Z\u4e2d\u0964\u00a0\u2003', max_size=40),
    st.integers(1, 4),
)
def test_holds_sentence_meets_its_regex_specification(text: str, min_words: int) -> None:
    core = CELL_DECORATION.sub("", text)
    expected = word_count(core) >= min_words and SENTENCE_END_INSIDE.search(core) is not None
    assert holds_sentence(text, min_words) == expected
