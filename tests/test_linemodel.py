"""The learned line model: its features, its tree evaluation, and what it removes from a whole page."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusclean import clean_text, config, linemodel
from corpusclean import pageclassifier as pc
from corpusclean.document import Line

MENU = [
    "Local", "Politics", "Crime", "Education", "Environment", "Transport", "Health", "Business", "Property",
    "Jobs", "Motors", "Lifestyle", "Food and Drink", "Travel", "Entertainment", "Music", "Theatre", "Film",
    "Books", "Letters",
]  # fmt: skip
ARTICLE = [
    "The harbour ferry that linked the two halves of the town for sixty years will return to service in the "
    "spring, the council said on Tuesday, after a repair that took two years longer than planned.",
    "Engineers found corrosion in the hull during a routine inspection in 2022, and the boat was lifted out of "
    "the water for what was expected to be a six-month job.",
    '"We know how much people missed it," said the council\'s transport lead, who added that fares would stay '
    "at their old level for the first year of the new service.",
    "Local businesses on the north quay said trade had fallen by a fifth since the ferry stopped, as visitors "
    "no longer crossed from the station side.",
    "The first sailing is planned for the Saturday before Easter, weather permitting, and the timetable will "
    "be published next month.",
]
# Other stories' headlines and standfirsts below the article, each pair
# reading like the article's own text; the last ones stand nearest the footer.
TEASERS = [
    ("Bus station to close for resurfacing works over the summer holidays",
     "Drivers are advised to use the ring road while the work is carried out, the council said."),
    ("Festival organisers announce summer line-up with three headline acts",
     "Tickets go on sale next week, with a discount for residents of the town and the villages."),
    ("Council tax to rise by five per cent from April, budget papers show",
     "The rise is the largest in a decade and follows a cut in the grant from central government."),
    ("School wins national award for its garden project and orchard",
     "Pupils planted more than two hundred fruit trees on land behind the playing fields."),
    ("Library opening hours to be extended over the winter months",
     "The library will open until eight in the evening on weekdays from the first of November."),
    ("Plans for new cycle path along the river approved by committee",
     "The path will run for three miles from the old mill to the harbour wall, the plans show."),
    ("Police appeal for witnesses after crash on the coast road",
     "A man was taken to hospital with injuries that are not thought to be life-threatening."),
    ("Fishing fleet lands record catch of mackerel this season",
     "Skippers said the calm autumn weather had let the boats stay out longer than usual."),
    ("New owners for the old cinema promise a spring reopening",
     "The building has stood empty since the last film was shown there nine years ago."),
    ("Hospital car park charges to be reviewed next year",
     "Charges rose last year for the first time since the car park was built in 2009."),
]  # fmt: skip
FOOTER = [
    "About the Gazette", "Our journalists", "Reader panel", "Announcements", "Family notices", "Photo sales",
    "Subscriptions", "Archive", "Sitemap", "Accessibility",
]  # fmt: skip


def page() -> str:
    lines = [*MENU, *ARTICLE, "Latest stories"]
    for headline, standfirst in TEASERS:
        lines += [headline, standfirst]
    return "\n".join([*lines, *FOOTER]) + "\n"


def tiny_model(feature: str, threshold: float, left: float, right: float, baseline: float = 0.0) -> dict:
    """A one-split model in the shipped file's JSON form."""
    tree = {
        "depth": 1,
        "feature": [linemodel.FEATURES.index(feature), -1, -1],
        "threshold": [threshold, 0.0, 0.0],
        "left": [1, 0, 0],
        "right": [2, 0, 0],
        "value": [0.0, left, right],
    }
    return {"features": list(linemodel.FEATURES), "baseline": baseline, "trees": [tree]}


def test_trees_go_left_at_the_threshold_and_sum_their_leaves() -> None:
    data = tiny_model("words", 3.0, -2.0, 1.5, baseline=0.25)
    # A second tree on another feature, two levels deep on its right.
    data["trees"].append(
        {
            "depth": 2,
            "feature": [linemodel.FEATURES.index("sentence_end"), -1, linemodel.FEATURES.index("log_chars"), -1, -1],
            "threshold": [0.5, 0.0, 4.0, 0.0, 0.0],
            "left": [1, 0, 3, 0, 0],
            "right": [2, 0, 4, 0, 0],
            "value": [0.0, -0.5, 0.0, 0.1, 0.7],
        }
    )
    model = linemodel.TreeEnsemble.from_json(data)
    x = np.zeros((4, len(linemodel.FEATURES)))
    words, sentence, chars = (linemodel.FEATURES.index(n) for n in ("words", "sentence_end", "log_chars"))
    x[0, [words, sentence, chars]] = [3.0, 0.0, 9.0]  # at the threshold: left; no sentence end: left
    x[1, [words, sentence, chars]] = [4.0, 1.0, 4.0]  # right; sentence end, short: right then left
    x[2, [words, sentence, chars]] = [10.0, 1.0, 5.0]  # right; sentence end, long: right then right
    x[3, [words, sentence, chars]] = [0.0, 1.0, 4.5]
    expected = np.array([0.25 - 2.0 - 0.5, 0.25 + 1.5 + 0.1, 0.25 + 1.5 + 0.7, 0.25 - 2.0 + 0.7])
    assert np.array_equal(model.log_odds(x), expected)
    assert np.allclose(model.probability(x), 1 / (1 + np.exp(-expected)))
    assert model.log_odds(np.zeros((0, len(linemodel.FEATURES)))).shape == (0,)


def test_a_model_trained_on_other_features_is_refused() -> None:
    data = tiny_model("words", 3.0, -1.0, 1.0)
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="trained on other features"):
        linemodel.TreeEnsemble.from_json(data)


def test_the_shipped_model_reads_this_version_s_features() -> None:
    path = resources.files("corpusclean").joinpath("data", linemodel.MODEL_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == linemodel.FEATURES
    assert data["trees"] and data["cross_validation"]
    model = linemodel.shipped_model()
    assert model.roots.shape == (len(data["trees"]),)


def test_features_have_one_row_per_line_and_one_column_per_name() -> None:
    cfg = config.load().classifier
    stoplist = pc.stopwords("english")
    lines = [Line(i, t) for i, t in enumerate([*MENU, *ARTICLE, *FOOTER], 1)]
    verdicts = pc.classify(lines, cfg, stoplist)
    x = linemodel.features(verdicts, stoplist, cfg)
    assert x.shape == (len(verdicts), len(linemodel.FEATURES))
    row = dict(zip(linemodel.FEATURES, x[len(MENU)], strict=True))  # the article's first paragraph
    assert row["sentence_end"] == 1.0 and row["initial_good"] == 1.0 and row["final_good"] == 1.0
    assert row["log_chars"] == pytest.approx(np.log1p(len(ARTICLE[0])))
    assert row["rel_line"] == pytest.approx(len(MENU) / len(verdicts))
    menu_row = dict(zip(linemodel.FEATURES, x[0], strict=True))
    assert menu_row["bad_link-like"] == 1.0 and menu_row["sentence_end"] == 0.0
    # The same verdicts give the same bytes.
    assert x.tobytes() == linemodel.features(pc.classify(lines, cfg, stoplist), stoplist, cfg).tobytes()
    assert linemodel.features([], stoplist, cfg).shape == (0, len(linemodel.FEATURES))


def test_it_removes_teasers_at_the_foot_the_passes_keep_and_keeps_the_article() -> None:
    text = page()
    passes = clean_text(text, config.load(overrides={"classifier.line_model": False}))
    doc = clean_text(text)
    for paragraph in ARTICLE:
        assert paragraph in passes.text and paragraph in doc.text
    removed = {r.text: r for r in doc.removals if r.rule == pc.LINE_MODEL}
    # The last teaser's standfirst, just above the footer, goes with its
    # probability; the passes kept it.
    line = TEASERS[-1][1]
    assert line in passes.text
    assert line in removed and removed[line].stage == pc.STAGE
    assert 0.0 <= removed[line].score < config.load().classifier["line_model_min_probability"]
    # A similar standfirst a pair above stays, as do the first teasers.
    assert TEASERS[-2][1] in doc.text and TEASERS[0][0] in doc.text and TEASERS[0][1] in doc.text
    # The model only removes: what the passes removed is removed under their reasons.
    assert {r.text for r in passes.removals} <= {r.text for r in doc.removals}
    assert all(line in passes.text for line in text.splitlines() if line in doc.text)
    # Switched off by its threshold too.
    off = clean_text(text, config.load(overrides={"classifier.line_model_min_probability": 0.0}))
    assert off.text == passes.text


def test_the_audit_records_the_model_s_probability() -> None:
    doc = clean_text(page())
    records = [r.to_record("page") for r in doc.removals if r.rule == pc.LINE_MODEL]
    assert records and all(0.0 <= rec["score"] < 0.15 for rec in records)
    assert all("kept_id" not in rec for rec in records)


GERMAN_MENU = [
    "Startseite", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Reisen", "Auto", "Digital", "Karriere",
]  # fmt: skip
GERMAN_ARTICLE = [
    "Die Fähre zwischen den beiden Ufern der Stadt soll im Frühjahr wieder fahren, teilte die Verwaltung am "
    "Dienstag mit, nachdem die Reparatur zwei Jahre länger gedauert hat als geplant.",
    "Bei einer Routineprüfung hatten Ingenieure Rost am Rumpf gefunden, und das Schiff wurde für eine Arbeit "
    "aus dem Wasser gehoben, die eigentlich sechs Monate dauern sollte.",
    "Die Geschäfte am Nordkai sagen, dass ihr Umsatz seit dem Ende des Fährbetriebs um ein Fünftel gesunken "
    "ist, weil die Besucher nicht mehr vom Bahnhof herüberkommen.",
]


def test_a_page_in_a_language_it_did_not_learn_keeps_the_passes_verdicts() -> None:
    text = "\n".join([*GERMAN_MENU, *GERMAN_ARTICLE, *GERMAN_MENU]) + "\n"
    doc = clean_text(text)
    assert doc.metadata["language"] == "de"
    assert doc.counters.get("classifier.line-model-other-language") == 1
    assert not [r for r in doc.removals if r.rule == pc.LINE_MODEL]
    # Named among its languages, the model reads it.
    read = clean_text(text, config.load(overrides={"classifier.line_model_languages": ["en", "de"]}))
    assert "classifier.line-model-other-language" not in read.counters
    for paragraph in GERMAN_ARTICLE:
        assert paragraph in doc.text and paragraph in read.text


# Whole pages made of menu labels, headlines and sentences in any order.
LABELS = [*MENU, *FOOTER, "Latest stories", "Share", "More"]
page_line = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from([t for pair in TEASERS for t in pair]),
    st.sampled_from(ARTICLE),
    st.text(min_size=1, max_size=60).filter(str.strip),
)
whole_page = st.lists(page_line, min_size=2, max_size=60)


@given(whole_page)
@settings(max_examples=60, deadline=None)
def test_features_are_finite_and_the_model_only_removes(lines: list[str]) -> None:
    cfg = config.load().classifier
    stoplist = pc.stopwords("english")
    verdicts = pc.classify([Line(i, t) for i, t in enumerate(lines, 1)], cfg, stoplist)
    x = linemodel.features(verdicts, stoplist, cfg)
    assert x.shape == (len(verdicts), len(linemodel.FEATURES))
    assert np.isfinite(x).all()
    p = linemodel.shipped_model().probability(x)
    assert ((p >= 0.0) & (p <= 1.0)).all()
    # Through the pipeline: the model's removals come on top of the passes'.
    text = "\n".join(lines)
    passes = clean_text(text, config.load(overrides={"classifier.line_model": False, "dedup.enabled": False}))
    model = clean_text(text, config.load(overrides={"dedup.enabled": False}))
    removed_by_passes = {(r.pos, r.rule) for r in passes.removals}
    removed_with_model = {(r.pos, r.rule) for r in model.removals}
    assert removed_by_passes <= removed_with_model
    assert {rule for _, rule in removed_with_model - removed_by_passes} <= {pc.LINE_MODEL}
