"""The revisions stage: news-diff pages unwrapped, doubled text undone, near misses kept.

Case files under tests/cases/revisions/ hold an input, a `%% output` marker
and the lines the stage keeps; an optional `%% audit` section lists every
`revisions.*` removal as `reason: text`, and an optional `%% metadata`
section a JSON object the document's metadata must contain. Lines starting
with `%%` before the input describe the case.
"""

from __future__ import annotations

import difflib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

import corpusclean.revisions as revisions
from corpusclean import clean_text
from corpusclean.config import Config
from corpusclean.document import Document
from corpusclean.normalise import normalise
from corpusclean.revisions import split_edited, split_extended, undouble_exact, unwrap_revisions
from corpusclean.write import document_record

from .conftest import SEEDS

CASES = Path(__file__).resolve().parent / "cases" / "revisions"


@dataclass
class Case:
    input: str
    output: list[str]
    audit: list[str] | None
    metadata: dict[str, Any] | None


def load_case(path: Path) -> Case:
    sections: dict[str, list[str]] = {"input": []}
    current = "input"
    for line in path.read_text(encoding="utf-8").split("\n"):
        marker = re.fullmatch(r"%% (output|audit|metadata)", line)
        if marker:
            current = marker.group(1)
            sections[current] = []
        elif current == "input" and line.startswith("%%"):
            continue
        else:
            sections[current].append(line)
    assert "output" in sections, f"{path.name}: no '%% output' marker"
    content = {k: [x for x in v if x.strip()] for k, v in sections.items()}
    return Case(
        input="\n".join(sections["input"]),
        output=content["output"],
        audit=content.get("audit"),
        metadata=json.loads("\n".join(content["metadata"])) if "metadata" in content else None,
    )


def run_stage(text: str, cfg: Config) -> Document:
    doc = Document(id="case", source="<case>", raw=text, chars_in=len(text))
    normalise(doc, cfg.normalise)
    return unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)


def kept(doc: Document) -> list[str]:
    return [line.text for line in doc.lines if line.text.strip()]


def audit_lines(doc: Document) -> list[str]:
    return [f"{r.reason}: {r.text}" for r in sorted(doc.removals, key=lambda r: r.pos) if r.stage == "revisions"]


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case(path: Path, cfg: Config) -> None:
    case = load_case(path)
    doc = run_stage(case.input, cfg)
    assert kept(doc) == case.output
    if case.audit is not None:
        assert audit_lines(doc) == case.audit
    if case.metadata is not None:
        assert {k: doc.metadata.get(k) for k in case.metadata} == case.metadata


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case_is_stable(path: Path, cfg: Config) -> None:
    """A second pass over the stage's output changes nothing."""
    once = kept(run_stage(load_case(path).input, cfg))
    assert kept(run_stage("\n".join(once), cfg)) == once


def test_every_form_has_a_case() -> None:
    names = {p.stem for p in CASES.glob("*.txt")}
    assert len(names) >= 20
    assert {n for n in names if n.startswith("near_miss")} >= {
        "near_miss_yes_yes",
        "near_miss_slogan_twice",
        "near_miss_begin_alike",
        "near_miss_similar_halves",
    }


# -- pieces ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("abcabc", 3),
        ("abc abc", 4),
        ("abc | abc", 6),
        ("abc \u2013 abc", 6),
        ("abcab", None),
        ("abc, abc", None),
        ("", None),
    ],
)
def test_undouble_exact(text: str, split: int | None) -> None:
    assert undouble_exact(text) == split


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The first and last words edited and no capital where the versions meet.
        (
            "£5m was spent on the harbour wall last year, the council said.",
            "£6m was spent on the harbour wall last year, the mayor said.",
        ),
        (
            "iPads were given to every pupil at the school in the spring term.",
            "iPads were handed to every pupil at the school in the summer term.",
        ),
        # A paragraph grown by a sentence.
        (
            "The pool will close for repairs in March.",
            "The pool will close for repairs in March. It will reopen in the summer.",
        ),
    ],
)
def test_split_edited(old: str, new: str) -> None:
    found = split_edited(old + new, 60)
    assert found is not None and found[0] == len(old)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # One sentence grown into two; the old figure is the start of the new one.
        (
            "Tickets for the fair cost £12.",
            "Tickets for the fair cost £12.50 at the door, the organisers said on Sunday, and £10 online.",
        ),
        # A lead-in put before the old version.
        ("The bridge reopens on Friday.", "After six weeks of repairs, engineers said, the bridge reopens on Friday."),
    ],
)
def test_split_extended(old: str, new: str) -> None:
    assert split_edited(old + new, 60) is None  # too unbalanced for an edit
    found = split_extended(old + new, 90, 20)
    assert found is not None and found[0] == len(old)


def test_split_extended_needs_the_versions_glued() -> None:
    # Prose sets its sentences apart with a space: one paragraph, not two versions.
    text = "Tickets cost £12 each. Tickets cost £12 each for adults and half that for children under ten."
    assert split_extended(text, 90, 20) is None


def test_tidy_edited_keeps_an_ellipsis() -> None:
    assert revisions.tidy_edited("He paused ... then  said  no .") == "He paused ... then said no."


def test_header_patterns_skip_long_rows(cfg: Config) -> None:
    row = "(about 2 hours later)"
    assert revisions.match_header(row, cfg.header_patterns) is not None
    assert revisions.match_header("1 " * 600 + row, cfg.header_patterns) is None


def test_timestamps_split_by_shape() -> None:
    assert revisions.split_timestamps("Tue 4 May 2021 10:31 Wed 5 May 2021 09:02") == (
        "Tue 4 May 2021 10:31",
        "Wed 5 May 2021 09:02",
    )
    assert revisions.split_timestamps("2021-05-04 10:31 2021-05-04 12:40") == ("2021-05-04 10:31", "2021-05-04 12:40")
    assert revisions.split_timestamps("4 May 2021 10:31") is None


# -- cost: linear in the line's length ----------------------------------------

WORDS = (  # noqa: SIM905 -- a word list reads better as prose
    "harbour council ferry bridge library museum school village county market station river "
    "engineers volunteers parents visitors officials trustees residents drivers shops crews "
    "said told opened closed repaired rebuilt planned approved extended delayed announced "
    "new old small large busy quiet local regional national weekly early late first last "
    "with from after before during under over into across through about against between"
).split()


def long_text(chars: int, seed: int) -> str:
    """Prose-like text of about `chars` characters: random sentences from WORDS."""
    rng = random.Random(seed)
    sentences: list[str] = []
    size = 0
    while size < chars:
        words = rng.choices(WORDS, k=rng.randint(8, 24))
        sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        size += len(sentences[-1]) + 1
    return " ".join(sentences)


@pytest.fixture
def ratio_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count rapidfuzz comparisons and the characters each one covers."""
    calls: list[int] = []
    real = fuzz.ratio

    def counting(a: str, b: str, **kwargs: Any) -> float:
        calls.append(len(a) + len(b))
        return real(a, b, **kwargs)

    monkeypatch.setattr(revisions.fuzz, "ratio", counting)
    return calls


def test_long_doubled_line_outside_news_diff(cfg: Config, ratio_calls: list[int]) -> None:
    copy = long_text(100_000, 1)
    doc = run_stage(f"Title line\n{copy}{copy}\nLast line.", cfg)
    assert kept(doc) == ["Title line", copy, "Last line."]
    assert audit_lines(doc) == [f"revisions.doubled-line: {copy}"]
    assert ratio_calls == []


def test_long_line_not_doubled_is_untouched(cfg: Config, ratio_calls: list[int]) -> None:
    line = long_text(200_000, 2)
    doc = run_stage(f"Title line\n{line}", cfg)
    assert kept(doc) == ["Title line", line]
    assert ratio_calls == []


NEWS_DIFF_HEAD = (
    "This article is from the source 'echo' and was first published or seen on . "
    "It will not be checked again for changes.\nVersion 1 Version 2\nA title A title\n(about 1 hour later)\n"
)


def test_long_edited_row_costs_a_bounded_number_of_comparisons(cfg: Config, ratio_calls: list[int]) -> None:
    old = long_text(100_000, 3)
    middle = len(old) // 2
    new = old[:middle] + " The ferry was delayed by fog." + old[middle:].replace("harbour", "port", 3)
    doc = run_stage(NEWS_DIFF_HEAD + old + new, cfg)
    assert kept(doc) == ["A title", new]
    assert f"revisions.superseded: {old}" in audit_lines(doc)
    # A fixed number of comparisons, each on at most a fixed window of text.
    assert 0 < len(ratio_calls) <= 2 * revisions.MAX_SPLIT_CANDIDATES
    assert max(ratio_calls) <= 4 * revisions.FUZZY_WINDOW


def test_long_single_version_row_is_kept(cfg: Config, ratio_calls: list[int]) -> None:
    row = long_text(200_000, 4)
    doc = run_stage(NEWS_DIFF_HEAD + row, cfg)
    assert kept(doc) == ["A title", row]
    assert len(ratio_calls) <= 2 * revisions.MAX_SPLIT_CANDIDATES


def test_split_search_is_bounded_on_repetitive_rows(ratio_calls: list[int]) -> None:
    """A row made of one sentence over and over offers a probe hit everywhere."""
    row = "The ferry left on time. " * 8000
    split_edited(row, 60)
    assert len(ratio_calls) <= revisions.MAX_SPLIT_CANDIDATES * 2


# -- the record's stats and title -----------------------------------------------


def test_single_version_rows_are_counted_in_the_record() -> None:
    page = (
        "This article is from the source 'echo' and was first published or seen on . "
        "It will not be checked again for changes.\n"
        "Version 1 Version 2\n"
        "Quarry plan rejected by inspectors Quarry plan rejected by planning inspectors\n"
        "(about 2 hours later)\n"
        "Inspectors turned down the plan for a quarry north of the village on Friday.Inspectors turned down the plan for a quarry north of the village on Friday.\n"
        "The company had promised forty jobs at the site.\n"
        "It may now appeal to the High Court, a lawyer said.\n"
    )
    record = document_record(clean_text(page))
    assert record["title"] == "Quarry plan rejected by planning inspectors"
    assert record["stats"]["paragraphs_single_version"] == 2
    assert record["text"].split("\n\n") == [
        "Inspectors turned down the plan for a quarry north of the village on Friday.",
        "The company had promised forty jobs at the site.",
        "It may now appeal to the High Court, a lawyer said.",
    ]


# -- the property: any two versions of a list of paragraphs -------------------

VOCABULARY = (  # noqa: SIM905 -- a word list reads better as prose
    "the a council harbour ferry bridge library museum school village county market station river "
    "engineers volunteers parents visitors officials trustees residents drivers shops crews workers "
    "said told opened closed repaired rebuilt planned approved extended delayed announced warned "
    "new old small large busy quiet local regional national weekly early late first last second "
    "with from after before during under over into across through about against between "
    "million pounds jobs homes roads trains buses hours days weeks months years people children "
    "would could will may must should has have had was were is are been being "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January March April June September "
    "and but or because while although when where which who that this those these its their "
    "plan report inquiry budget scheme project service contract decision meeting vote fire storm flood"
).split()

word = st.sampled_from(VOCABULARY)


def sentence(words: list[str], end: str) -> str:
    return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + end


@st.composite
def paragraph_words(draw: st.DrawFn) -> list[str]:
    # Prose repeats a few words, not most of them ("the the the ..." has no
    # one place where a second version could start).
    return draw(st.lists(word, min_size=8, max_size=30).filter(lambda w: len(set(w)) >= 0.7 * len(w)))


@st.composite
def edit(draw: st.DrawFn, words: list[str]) -> list[str]:
    """A word-level edit of a few words: replacements, insertions, deletions."""
    new = list(words)
    for _ in range(draw(st.integers(1, max(1, len(words) // 8)))):
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        at = draw(st.integers(0, len(new) - 1))
        if kind == "replace":
            new[at] = draw(word)
        elif kind == "insert":
            new.insert(at, draw(word))
        elif len(new) > 6:
            del new[at]
    return new


def render(words: list[str], changed: set[int], end: str, odd_spaces: bool) -> str:
    """A version as the diff page shows it: changed words may carry odd spaces."""
    text = sentence(words, "")
    if odd_spaces and changed:
        tokens = text.split(" ")
        tokens = [f" {t} " if i in changed else t for i, t in enumerate(tokens)]
        text = " ".join(tokens).strip(" ") + (" " if len(words) - 1 in changed else "")
    return text + end


@st.composite
def news_diff_page(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """(page, the paragraphs it must unwrap to, the superseded old versions)."""
    old_paragraphs = draw(st.lists(paragraph_words(), min_size=1, max_size=8, unique_by=lambda w: " ".join(w)))
    rows: list[str] = []
    expected: list[str] = []
    superseded: list[str] = []
    seen: set[str] = set()

    def keep(text: str) -> bool:
        # Paragraphs of one page are distinct (identical neighbours would be a caption printed twice).
        if text in seen:
            return False
        seen.add(text)
        return True

    for words in old_paragraphs:
        end = draw(st.sampled_from([".", ".", "?", '."']))
        fate = draw(st.sampled_from(["unchanged", "unchanged", "edited", "edited", "deleted"]))
        if draw(st.integers(0, 4)) == 0:
            inserted = sentence(draw(paragraph_words()), ".")
            if keep(inserted):
                rows.append(inserted)
                expected.append(inserted)
        old = sentence(words, end)
        if not keep(old):
            continue
        if fate == "unchanged":
            rows.append(old + old)
            expected.append(old)
        elif fate == "deleted":
            rows.append(old)
            expected.append(old)
        else:
            new_words = draw(edit(words))
            new = sentence(new_words, end)
            if new == old:
                rows.append(old + old)
                expected.append(old)
                continue
            if not keep(new):
                continue
            if fuzz.ratio(old, new) < 75:
                # An edit this large is a deletion and an insertion: two rows.
                rows += [old, new]
                expected += [old, new]
                continue
            ops = difflib.SequenceMatcher(a=words, b=new_words, autojunk=False).get_opcodes()
            old_changed = {i for tag, a0, a1, _, _ in ops if tag != "equal" for i in range(a0, a1)}
            new_changed = {j for tag, _, _, b0, b1 in ops if tag != "equal" for j in range(b0, b1)}
            odd = draw(st.booleans())
            old_shown = render(words, old_changed, end, odd)
            rows.append(old_shown + render(new_words, new_changed, end, odd))
            expected.append(new)
            superseded.append(old_shown)
    # The title row: "T T", or "OLD TITLE NEW TITLE" when the headline was edited.
    title_words = draw(st.lists(word, min_size=4, max_size=10, unique=True))
    title = sentence(title_words, "")
    new_title = sentence(draw(edit(title_words)), "")
    # A headline that gained a word at its start ("T" to "W T") flattens to
    # "T W T", which reads just as well as "T W" cut to "T"; the stage takes
    # the second reading, so the first is not generated.
    if new_title == title or fuzz.ratio(title, new_title) < 75 or new_title.endswith(" " + title):
        new_title = title
    else:
        superseded.append(title)
    header = (
        "This article is from the source 'echo' and was first published or seen on . "
        "It will not be checked again for changes.\n"
        "You can find the current article at its original source at https://example.org/a/1\n"
        "The article has changed 4 times. There is an RSS feed of changes available.\n"
        "Previous version 1 2 3 4 Next version\nVersion 2 Version 3\n"
        f"{title} {new_title}\n(about 3 hours later)\n"
    )
    return header + "\n".join(rows) + "\nPrevious version 1 2 3 4 Next version\n", [new_title, *expected], superseded


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_diff_page())
def test_any_two_versions_unwrap_to_the_new_one(cfg: Config, page: tuple[str, list[str], list[str]]) -> None:
    text, expected, superseded = page
    doc = run_stage(text, cfg)
    assert kept(doc) == expected
    audited = {r.text for r in doc.removals if r.reason == "revisions.superseded"}
    for old in superseded:
        assert old.strip() in audited
    assert doc.metadata["revisions"] == 4
    assert (doc.metadata["version_old"], doc.metadata["version_new"]) == (2, 3)


# -- the seeds -------------------------------------------------------------------


def test_no_doubled_line_survives_on_the_seeds(cfg: Config) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        doc = clean_text(path.read_text(encoding="utf-8"), cfg, doc_id=path.stem)
        paragraphs = [p.text for p in doc.paragraphs]
        for a, b in zip(paragraphs, paragraphs[1:], strict=False):
            assert a != b, path.name
        for paragraph in paragraphs:
            assert undouble_exact(paragraph) is None, (path.name, paragraph)
            if doc.metadata.get("news_diff"):
                # No row is left holding two versions of one paragraph.
                assert split_edited(paragraph, cfg.revisions["edit_similarity"]) is None, (path.name, paragraph)


NEWS_DIFF_KEYS = ("outlet", "url", "revisions", "version_old", "version_new", "timestamp_old", "timestamp_new")


def test_news_diff_metadata_on_the_seeds(cfg: Config) -> None:
    """Exact metadata; the seeds' time rows hold an interval only, no timestamps."""
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = clean_text(path.read_text(encoding="utf-8"), cfg, doc_id=path.stem)
        if doc.metadata.get("news_diff"):
            found[path.stem] = {k: doc.metadata.get(k) for k in NEWS_DIFF_KEYS}
    assert found == {
        "001_c947282d893f78bb": {
            "outlet": "bbc",
            "url": "http://www.bbc.co.uk/news/uk-england-birmingham-36366411",
            "revisions": 8,
            "version_old": 2,
            "version_new": 3,
            "timestamp_old": None,
            "timestamp_new": None,
        },
        "004_6e968507dc1f236b": {
            "outlet": "guardian",
            "url": "https://www.theguardian.com/uk-news/2016/may/24/birmingham-childrens-services-run-trust-following-failures",
            "revisions": 2,
            "version_old": 0,
            "version_new": 1,
            "timestamp_old": None,
            "timestamp_new": None,
        },
    }


def test_news_diff_is_detected_from_the_header_not_the_name(cfg: Config) -> None:
    page = NEWS_DIFF_HEAD + "The pier reopened on Saturday.The pier reopened on Saturday.\n"
    assert run_stage(page, cfg).metadata.get("news_diff") is True
    plain = Document(id="news-diff", source="news-diff.txt", raw="The pier reopened.\nIt rained.")
    normalise(plain, cfg.normalise)
    assert "news_diff" not in unwrap_revisions(plain, cfg.revisions, cfg.header_patterns).metadata
