"""Invariants on generated documents: nothing lost unexplained, deterministic, order kept."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpusclean import clean_text, config
from corpusclean.document import Document

from .invariants import unaccounted

WORDS = ["council", "river", "budget", "school", "said", "the", "a", "new", "plan", "on", "Tuesday", "report", "of"]
BOILERPLATE = [
    "Subscribe",
    "Video Loading",
    "From £9 / month",
    "COMMENT:",
    "Related: More on this story here",
    "Watch: the moment the bridge opened",
    "Share this article",
    "\u00a0",
    "   ",
]

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
mojibake = sentence.map(lambda s: s.replace("a", "\u00e2\u20ac\u2122", 1))
doubled = sentence.filter(lambda s: len(s) > 45).map(lambda s: s + s)
line = st.one_of(sentence, sentence, st.sampled_from(BOILERPLATE), mojibake, doubled, st.just(""), st.text(max_size=40))
document = st.lists(line, min_size=1, max_size=25).map("\n".join)


def fates(doc: Document) -> dict[int, list[str]]:
    removed: dict[int, list[str]] = {}
    for r in doc.removals:
        for pos in range(r.pos, (r.end or r.pos) + 1):
            removed.setdefault(pos, []).append(r.text)
    return removed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_every_line_is_kept_moved_or_audited(text: str) -> None:
    doc = clean_text(text)
    kept = [doc.title or "", *(p.text for p in doc.paragraphs)]
    assert unaccounted(text, kept, fates(doc), doc.metadata) == []


@settings(max_examples=100, deadline=None)
@given(document)
def test_cleaning_is_deterministic(text: str) -> None:
    first, second = clean_text(text), clean_text(text)
    assert (first.title, first.text, first.metadata) == (second.title, second.text, second.metadata)
    assert [r.to_record("x") for r in first.removals] == [r.to_record("x") for r in second.removals]


@settings(max_examples=100, deadline=None)
@given(document)
def test_output_follows_input_order(text: str) -> None:
    positions = [p.pos for p in clean_text(text).paragraphs]
    assert positions == sorted(positions) and len(positions) == len(set(positions))


# Prose as the boilerplate stage reads it (boilerplate.prose_min_words): a
# page of only short lines is a headline list, dropped by a document rule.
NO_CLASSIFIER = config.load(overrides={"classifier.enabled": False})
prose_sentence = st.lists(st.sampled_from(WORDS), min_size=6, max_size=30).map(
    lambda ws: " ".join(ws).capitalize() + "."
)


@settings(max_examples=100, deadline=None)
@given(st.lists(prose_sentence, min_size=1, max_size=10, unique=True))
def test_prose_alone_loses_nothing_but_its_title(sentences: list[str]) -> None:
    # The page classifier judges lines by their share of stopwords, which
    # these sentences of sampled words lack; it is measured on real pages
    # (bench/realworld.py) and tested in test_pageclassifier.py.
    text = "\n\n".join(sentences)
    doc = clean_text(text, NO_CLASSIFIER)
    kept = [p.text for p in doc.paragraphs]
    assert all(k in sentences for k in kept)
    lost = [s for s in sentences if s not in kept]
    assert all(r.reason in {"dedup.near-duplicate", "dedup.contained", "dedup.contains-kept"} for r in doc.removals)
    assert len(lost) == len(doc.removals)
