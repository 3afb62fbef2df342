"""Paragraph dedup at scale: the index against brute force, and properties of
its output (worker count, corpora without duplicates, an added exact copy)."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from corpusclean import config, dedup
from corpusclean.document import Document, Paragraph
from corpusclean.pipeline import Pipeline, dedup_index, finish_document

from .conftest import ROOT

CFG = config.load()
_spec = importlib.util.spec_from_file_location("gen_paragraphs", ROOT / "bench" / "gen_paragraphs.py")
assert _spec is not None and _spec.loader is not None
gen_paragraphs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_paragraphs)

Corpus = list[tuple[str, list[str]]]  # (document id, paragraphs)


def generated(n: int, seed: int, dup_rate: float = 0.15) -> Corpus:
    """n generated paragraphs with realistic near-duplicates, grouped in documents."""
    docs: dict[int, list[str]] = {}
    for doc, text in gen_paragraphs.Generator(seed, dup_rate).documents(n):
        docs.setdefault(doc, []).append(text)
    return [(f"d{doc:05d}", texts) for doc, texts in docs.items()]


def documents(corpus: Corpus) -> list[Document]:
    return [
        Document(id=doc_id, source=f"{doc_id}.txt", paragraphs=[Paragraph(2 * i + 1, t) for i, t in enumerate(texts)])
        for doc_id, texts in corpus
    ]


def deduplicate(corpus: Corpus, cfg: config.Config = CFG) -> tuple[list[Document], dedup.Index]:
    """Both dedup passes and the document filter, as `clean` runs them."""
    docs = documents(corpus)
    index = dedup_index(cfg)
    assert index is not None
    with index:
        for doc in docs:
            index.add(doc)
        index.resolve()
        for doc in docs:
            finish_document(doc, cfg, index)
    return docs, index


def outcome(doc: Document) -> tuple[Any, ...]:
    return (doc.id, doc.dropped, [p.text for p in doc.paragraphs], [r.to_record(doc.id) for r in doc.removals])


# -- the index against brute force ----------------------------------------------


def test_index_finds_the_pairs_brute_force_finds_and_removes_none_below_threshold() -> None:
    corpus = generated(6000, seed=7)
    texts = [t for _, paragraphs in corpus for t in paragraphs]
    assert len(texts) == 6000
    docs, index = deduplicate(corpus)
    cfg = CFG.dedup
    threshold = cfg["threshold"]

    # Truth: every pair of paragraphs long enough for the near-duplicate index
    # (shorter ones are matched exactly only, by design) at or above the threshold.
    keys = [dedup.match_key(t) for t in texts]
    eligible = np.flatnonzero(np.array([len(k) >= cfg["min_chars"] for k in keys]))
    choices = [keys[i] for i in eligible]
    scores = process.cdist(choices, choices, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8, workers=-1)
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    p, q = eligible[rows], eligible[cols]
    # The index verifies with the fact rule too: a pair whose facts disagree is not a duplicate.
    words = dedup.fact_words(cfg)
    facts = [dedup.key_facts(k, words) for k in keys]
    agree = np.array([dedup.facts_agree(facts[a], facts[b]) for a, b in zip(p.tolist(), q.tolist(), strict=True)])
    p, q = p[agree], q[agree]
    assert len(p) > 500  # the generator plants a realistic share of near-duplicates
    found = index.linked(p, q)
    assert found.mean() >= 0.99, f"recall {found.mean():.4f} on {len(p)} pairs"

    # Every verified near-duplicate pair reaches the threshold.
    n_groups = index.n_groups
    reps = index.group_rep
    verified = [fuzz.ratio(keys[reps[c // n_groups]], keys[reps[c % n_groups]]) for c in index.near_codes.tolist()]
    assert verified and min(verified) >= threshold
    assert all(
        dedup.facts_agree(facts[reps[c // n_groups]], facts[reps[c % n_groups]]) for c in index.near_codes.tolist()
    )

    # Every removal points at a kept paragraph it matches itself, at the score it reports.
    kept = {(doc.id, p.pos): p.text for doc in docs for p in doc.paragraphs}
    removals = [r for doc in docs for r in doc.removals if r.stage == "dedup"]
    rules = {r.rule for r in removals}
    assert {"exact-duplicate", "near-duplicate"} <= rules
    assert rules & {"contained", "contains-kept", "merged"}
    for r in removals:
        target = dedup.match_key(kept[(r.kept_id, r.kept_pos)])
        key = dedup.match_key(r.text)
        if r.rule == "exact-duplicate":
            assert key == target
        elif r.rule == "near-duplicate":
            assert r.score == round(fuzz.ratio(key, target), 1) >= threshold
            assert dedup.facts_agree(dedup.key_facts(key, words), dedup.key_facts(target, words))
        else:
            short, long_ = sorted((key, target), key=len)
            assert fuzz.partial_ratio(short, long_) >= cfg["containment_threshold"]
            assert len(short) >= cfg["containment_min_chars"]
        for part_id, part_pos, score in r.parts:
            part = dedup.match_key(kept[(part_id, part_pos)])
            assert round(fuzz.partial_ratio(part, key), 1) == score >= cfg["containment_threshold"]


# -- properties -------------------------------------------------------------------


def without_duplicates(corpus: Corpus) -> Corpus:
    """The corpus minus every paragraph that brute force calls a duplicate of
    an earlier one (same key, ratio at the threshold, or contained either way)."""
    cfg = CFG.dedup
    seen: list[str] = []
    out: Corpus = []
    for doc_id, paragraphs in corpus:
        mine = []
        for text in paragraphs:
            key = dedup.match_key(text)
            if not key or key in seen:
                continue
            if seen and process.extractOne(key, seen, scorer=fuzz.ratio, score_cutoff=cfg["threshold"]):
                continue
            if len(key) >= cfg["containment_min_chars"] and any(
                len(other) >= cfg["containment_min_chars"]
                and fuzz.partial_ratio(*sorted((key, other), key=len)) >= cfg["containment_threshold"]
                for other in seen
            ):
                continue
            seen.append(key)
            mine.append(text)
        if mine:
            out.append((doc_id, mine))
    return out


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_a_corpus_without_duplicates_loses_nothing(seed: int) -> None:
    corpus = without_duplicates(generated(300, seed, dup_rate=0.0))
    docs, _ = deduplicate(corpus)
    assert [(doc.id, [p.text for p in doc.paragraphs]) for doc in docs] == corpus
    assert not any(doc.dropped or doc.removals for doc in docs)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.randoms(use_true_random=False), st.sampled_from(["first", "longest", "preferred"]))
def test_adding_an_exact_copy_of_a_document_removes_exactly_that_copy(
    seed: int, rng: random.Random, survivor: str
) -> None:
    cfg = config.load(None, {"dedup.survivor": survivor}) if survivor != "first" else CFG
    corpus = generated(400, seed)
    before, _ = deduplicate(corpus, cfg)
    original = rng.randrange(len(corpus))
    at = rng.randint(original + 1, len(corpus))
    copy_id = "copy-of-" + corpus[original][0]
    after, _ = deduplicate([*corpus[:at], (copy_id, list(corpus[original][1])), *corpus[at:]], cfg)
    copy = after.pop(at)
    assert copy.id == copy_id
    assert [outcome(d) for d in after] == [outcome(d) for d in before]
    assert copy.dropped == "duplicate-document" and not copy.paragraphs
    # Each paragraph goes as a duplicate (of the original, or of what the original's copy matched);
    # one without a match key (punctuation only, never compared) goes with its dropped document.
    for r in copy.removals:
        assert r.kept_id != copy_id
        if dedup.match_key(r.text):
            assert r.stage == "dedup"
        else:
            assert (r.stage, r.rule, r.kept_id) == ("filter", "duplicate-document", corpus[original][0])
    assert len(copy.removals) == len(corpus[original][1])


@pytest.mark.parametrize("seed", [3, 11])
def test_output_is_independent_of_the_number_of_workers(tmp_path: Path, seed: int) -> None:
    corpus_dir = tmp_path / "corpus"
    for i, (doc_id, paragraphs) in enumerate(generated(3000, seed)):
        folder = corpus_dir / f"outlet{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc_id}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    outputs = []
    for jobs in (1, 2, 3):
        out, audit = tmp_path / f"out{jobs}.jsonl", tmp_path / f"audit{jobs}.jsonl"
        report = Pipeline(CFG).run([str(corpus_dir)], str(out), str(audit), jobs=jobs)
        outputs.append((out.read_bytes(), audit.read_bytes(), report.stages["dedup"]["candidate_pairs"]))
    assert outputs[0] == outputs[1] == outputs[2]
    assert b'"dedup"' in outputs[0][1] and b"near-duplicate" in outputs[0][1]


def test_scoring_in_small_slices_or_in_a_pool_decides_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Verification cut into slices (by pairs and by key characters) and
    scored through a mapper, as the worker pool does, changes nothing."""
    corpus = generated(2500, seed=7)
    whole = [outcome(doc) for doc in deduplicate(corpus)[0]]
    monkeypatch.setattr(dedup, "VERIFY_CHUNK", 50)
    monkeypatch.setattr(dedup, "VERIFY_CHARS", 3000)
    docs, index = documents(corpus), dedup_index(CFG)
    assert index is not None
    calls: list[int] = []

    def mapper(function: Any, arguments: Any) -> Any:
        for argument in arguments:
            calls.append(len(argument.a))
            yield function(argument)

    with index:
        for doc in docs:
            index.add(doc)
        index.resolve(mapper)
        for doc in docs:
            finish_document(doc, CFG, index)
    assert [outcome(doc) for doc in docs] == whole
    assert len(calls) > 10 and max(calls) <= 50 and index.stats["verified_near"] > 0


def test_sketching_documents_together_equals_sketching_each_alone() -> None:
    corpus = generated(400, seed=5)
    docs = documents(corpus)
    docs[3].paragraphs = []  # a document with nothing left to sketch
    docs[4].paragraphs = [Paragraph(1, "Short one."), Paragraph(3, "Another short line.")]
    dedup.sketch_documents(docs, CFG.dedup)
    for doc in docs:
        alone = dedup.sketch([p.text for p in doc.paragraphs], CFG.dedup)
        together = doc.sketch
        assert isinstance(together, dedup.Sketch)
        assert together.keys == alone.keys
        for name in (
            "digests",
            "key_chars",
            "indexed",
            "bands",
            "sentence_hashes",
            "sentence_rows",
            "char_indexed",
            "char_bands",
            "char_counts",
        ):
            assert np.array_equal(getattr(together, name), getattr(alone, name)), name


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
        | st.sampled_from(
            [
                "Hello_world (DfE) said: \u201cyes.\u201d  Next!\tok?? a.) b",
                "\ufb01ne \u2018q\u2019 \u2026 done.  ",
                "x\x00y. z",
                # characters whose case folding is longer, ASCII, or not a word character
                "STRASSE Stra\u00dfe \u1e9e \u0130stanbul \u017f \u212a \u0390 \u0345 \u01c5 \u1680x",
            ]
        ),
        max_size=8,
    )
)
def test_batch_keys_equal_keys_one_at_a_time(texts: list[str]) -> None:
    assert dedup.marked_keys(texts) == [dedup.marked_key(t) for t in texts]


def test_folded_characters_fold_to_themselves() -> None:
    # marked_keys replaces each non-ASCII character by its folded form one
    # character after another: that is the same as folding the whole text
    # only if no replacement's output is changed by a later replacement.
    for code in range(0x80, 0x110000):
        if 0xD800 <= code < 0xE000:
            continue  # surrogates are never in decoded text
        for c in dedup._fold_char(chr(code)):
            assert c.isascii() or dedup._fold_char(c) == c, (hex(code), c)


def counted(key: str) -> npt.NDArray[np.int64]:
    """A key's character counts, one character at a time (what _char_counts computes at once)."""
    counts = np.zeros(dedup.COUNT_BUCKETS, dtype=np.int64)
    for ch in key:
        counts[ch.encode("utf-8")[0] & (dedup.COUNT_BUCKETS - 1)] += 1
    return np.minimum(counts, dedup.COUNT_FULL)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400), st.randoms(use_true_random=False))
@example("ab c " * 200, random.Random(1))  # buckets full on both sides
@example("The council said: “Straße İstanbul” café naïve.", random.Random(2))
def test_character_counts_never_rule_out_a_pair_that_reaches_its_score(base: str, rnd: random.Random) -> None:
    edited = list(base)
    for _ in range(rnd.randrange(6)):
        at = rnd.randrange(len(edited) + 1)
        what = rnd.choice([rnd.choice(base), " ", "x", "é", "中"])
        if rnd.random() < 0.4:
            edited.insert(at, what)
        elif edited and at < len(edited):
            if rnd.random() < 0.5:
                del edited[at]
            else:
                edited[at] = what
    sk = dedup.sketch([base, "".join(edited)], {**CFG.dedup, "min_chars": 1})
    if len(sk.indexed) < 2:
        return  # nothing of a text was left for a key
    keys = [k.decode("utf-8") for k in sk.keys]
    assert np.array_equal(sk.char_counts, [counted(k) for k in keys])
    la, lb = sk.key_chars[sk.indexed[:1]], sk.key_chars[sk.indexed[1:]]
    assert [int(la[0]), int(lb[0])] == [len(k) for k in keys]
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        # With the pair's own score as the threshold, the bound must let it through.
        score = scorer(*keys)
        assert dedup._ratio_may_reach(sk.char_counts[:1], sk.char_counts[1:], la, lb, score)[0], scorer


def test_character_counts_rule_out_most_unrelated_pairs() -> None:
    texts = [text for _, doc in generated(600, seed=11, dup_rate=0.0) for text in doc]
    sk = dedup.sketch(texts, CFG.dedup)
    first, second = np.arange(0, len(sk.indexed) - 1), np.arange(1, len(sk.indexed))
    chars = sk.key_chars[sk.indexed]
    reach = dedup._ratio_may_reach(sk.char_counts[first], sk.char_counts[second], chars[first], chars[second], 85.0)
    keys = [k.decode("utf-8") for k in sk.keys]
    assert not any(fuzz.ratio(keys[i], keys[i + 1]) >= 85 for i in first[~reach].tolist())
    assert reach.mean() < 0.5, reach.mean()


@pytest.mark.parametrize("chunk", [5, 64, 1 << 22])
def test_candidate_cap_keeps_each_pair_that_is_among_the_best_of_either_group(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # Ranked a slice of groups at a time (tiny slices here), the result is the
    # rule itself: a pair stays when it is among the `cap` best pairs of one of
    # its groups, best = most shared bands, then the lower (stronger) other group.
    monkeypatch.setattr(dedup, "RANK_CHUNK", chunk)
    rng = np.random.default_rng(chunk)
    n, cap = 60, 4
    pairs = {(int(min(x, y)), int(max(x, y))) for x, y in rng.integers(0, n, (900, 2)) if x != y}
    codes = np.array(sorted(lo * n + hi for lo, hi in pairs), dtype=np.int64)
    shared = rng.integers(1, 6, len(codes))
    strength = {int(c): int(s) for c, s in zip(codes, shared, strict=True)}
    best: set[int] = set()
    for g in range(n):
        mine = [(-strength[c], c // n + c % n - g, c) for c in strength if g in (c // n, c % n)]
        best.update(c for _, _, c in sorted(mine)[:cap])
    kept, dropped = dedup._cap_per_group(codes, shared, n, cap)
    assert kept.tolist() == sorted(best)
    assert dropped == len(codes) - len(best) > 0


# -- facts: templated items are not copies ------------------------------------------


def clean_corpus(tmp_path: Path, files: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the whole pipeline on a few files; return the records and the audit."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out, audit = tmp_path / "out.jsonl", tmp_path / "audit.jsonl"
    Pipeline(CFG).run([str(folder)], str(out), str(audit))
    read = lambda path: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]  # noqa: E731
    return read(out), read(audit)


@pytest.mark.parametrize(
    ("key", "facts"),
    [
        ("rainfall reached 1 204 millimetres on sunday", ("1204", "sunday")),
        ("rainfall reached 1204 millimetres on sunday", ("1204", "sunday")),
        ("the index fell 0 7 to 3 005 in october", ("0", "3005", "7", "october")),
        ("no figures here at all", ()),
        ("won 2 1 and then 1 2", ("1", "1", "2", "2")),
    ],
)
def test_key_facts(key: str, facts: tuple[str, ...]) -> None:
    assert dedup.key_facts(key, dedup.fact_words(CFG.dedup)) == tuple(sorted(facts))


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (("3", "monday"), ("3", "monday"), True),
        (("3",), ("3", "tuesday"), True),  # a copy that adds a day
        ((), ("2015",), True),
        (("3", "monday"), ("4", "monday"), False),  # a number changed
        (("3", "monday"), ("3", "friday"), False),  # a day changed
        (("1", "2"), ("1", "1", "2"), True),
        (("1", "1", "2"), ("1", "2", "2"), False),
    ],
)
def test_facts_agree_when_one_holds_all_of_the_other(a: tuple[str, ...], b: tuple[str, ...], agree: bool) -> None:
    assert dedup.facts_agree(a, b) is agree
    assert dedup.facts_agree(b, a) is agree


WEATHER = (
    "Coastal weather: {title}\n\n"
    "Temperatures along the coast reached {high} degrees on {day}, with winds of {wind} miles an hour "
    "and {rain} millimetres of rain recorded at the harbour station.\n\n{tail}\n"
)


def test_templated_items_that_report_other_facts_are_all_kept(tmp_path: Path) -> None:
    files = {
        "w1.txt": WEATHER.format(
            title="a mild start", high=14, day="Monday", wind=12, rain=3, tail="Fog is expected inland."
        ),
        "w2.txt": WEATHER.format(
            title="cooler air", high=11, day="Tuesday", wind=18, rain=7, tail="Ferries may be delayed."
        ),
        # Same numbers, another day: still a report of its own.
        "w3.txt": WEATHER.format(
            title="more of the same", high=14, day="Friday", wind=12, rain=3, tail="The weekend looks dry."
        ),
        # A real copy of w1: curly quotes aside, it only adds a fact ("in March").
        "w4.txt": "Syndicated weather\n\nTemperatures along the coast reached 14 degrees on Monday in March, "
        "with winds of 12 miles an hour and 3 millimetres of rain recorded at the harbour station.\n\n"
        "A new station opens in the spring.\n",
    }
    records, audit = clean_corpus(tmp_path, files)
    texts = {r["id"]: r["text"] for r in records}
    assert "reached 11 degrees on Tuesday" in texts["w2"]
    assert "reached 14 degrees on Friday" in texts["w3"]
    removed = [a for a in audit if a["stage"] == "dedup"]
    assert [(a["id"], a["rule"], a["kept_id"]) for a in removed] == [("w4", "near-duplicate", "w1")]


def test_a_paragraph_contained_in_another_with_other_figures_is_kept() -> None:
    base = (
        "The regional transport board approved a budget of 412 million for the new tram line. "
        "The line will run from the main station to the hospital and on to the university campus."
    )
    longer = base + " Work starts in the autumn and the first trams run three years later."
    other = base.replace("412", "498")
    corpus = [("a", [longer]), ("b", [other]), ("c", [base])]
    docs, _ = deduplicate(corpus)
    assert [p.text for p in docs[1].paragraphs] == [other]  # other figure: kept
    assert not docs[2].paragraphs  # the same figure: contained in a, removed
    assert docs[2].removals[0].rule == "contained" or docs[2].dropped


# -- intended repetition within a document ------------------------------------------

CHORUS = "Salt on the wind and salt on the sea,\nthe lanterns are lit for you and me,\nsalt on the wind"


def test_a_line_printed_many_times_in_its_document_is_a_label() -> None:
    line = "Log in or register to post comments"
    docs, _ = deduplicate([("page", [line] * 6)])
    limit = CFG.dedup["within_document_max_copies"]
    assert [p.text for p in docs[0].paragraphs] == [line] * limit


def test_a_block_or_short_line_repeated_in_its_own_document_stays() -> None:
    long_paragraph = (
        "The harbour festival returns this weekend with boat races, a fish market and a concert "
        "on the quay for the whole family."
    )
    line = "Not yet, not yet, she said."
    label, headline = "Share this", "Harbour Festival Draws Record Crowds"
    mine = [long_paragraph, label, headline, CHORUS, "She sang it twice.", CHORUS, line, line]
    mine += [label, headline, long_paragraph]
    docs, _ = deduplicate([("song", mine), ("copy", ["An unrelated opening line for a second item.", CHORUS])])
    song, copy = docs
    # The block and the line of dialogue stay; a short label, a headline in
    # title case and the long paragraph printed twice go.
    assert [p.text for p in song.paragraphs] == mine[:-3]
    assert [(r.rule, r.kept_pos) for r in song.removals] == [
        ("exact-duplicate", 3),
        ("exact-duplicate", 5),
        ("exact-duplicate", 1),
    ]
    # In another document the block is a copy like any other paragraph.
    assert [(r.rule, r.kept_id) for r in copy.removals] == [("exact-duplicate", "song")]


def test_sketch_in_parts_is_the_sketch_in_one_call(cfg: config.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long document is sketched SKETCH_CHARS at a time (bounded memory); the parts join to the same sketch."""
    texts = [
        f"Paragraph {i} of the long page says the council met on a Tuesday to talk about {i * 7} new bus stops."
        for i in range(40)
    ] + ["Short one.", "", "Another paragraph long enough to be indexed by the near-duplicate bands here."]
    whole = dedup.sketch(texts, cfg.dedup)
    monkeypatch.setattr(dedup, "SKETCH_CHARS", 300)
    parts = dedup.sketch(texts, cfg.dedup)
    for name in dedup.Sketch.__dataclass_fields__:
        a, b = getattr(whole, name), getattr(parts, name)
        assert (a == b) if isinstance(a, list) else np.array_equal(a, b), name
