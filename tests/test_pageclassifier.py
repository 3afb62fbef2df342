"""The page classifier: jusText's passes on plain-text lines, measured on flattened invented pages."""

from __future__ import annotations

from corpusclean import clean_text, config
from corpusclean.document import Line
from corpusclean.pageclassifier import BAD, GOOD, NEARGOOD, classify, initial_class, stopwords

from .pages.flatten import flatten, labelled_pages

# bench/classifier_eval.py measures 0.965 precision and 0.932 recall over all
# eighteen pages (0.953 / 0.934 on the twelve held-out ones); the floors sit a
# little below so that a regression fails and noise does not.
MIN_PRECISION = 0.94
MIN_RECALL = 0.91

PROSE_2 = (
    "Residents who want to take part can fill in a form at the library or online until the end of March, "
    "and a public meeting will be held in the town hall in the first week of April."
)
PROSE = (
    "The council said on Tuesday that it would consult residents about the plans before any of the work "
    "began, and that the results of the consultation would be published in the spring."
)


def on_cfg() -> config.Config:
    return config.load(overrides={"classifier.enabled": True})


def test_on_by_default_for_pages_not_for_article_text() -> None:
    assert config.load().classifier["enabled"] is True
    # Article text (one menu line among prose) is left to the rules: the
    # menu names no item the default pack knows, and it stays.
    text = "Council to consult on plans\n\nOur Partners | Local Events\n\n" + PROSE + "\n\n" + PROSE_2
    doc = clean_text(text)
    assert doc.text.startswith("Our Partners")
    assert doc.counters["classifier.skipped-article"] == 1
    # A whole page's visible text (mostly short lines) is classified.
    page = "\n".join(
        [
            "Our Partners",
            "Market Days",
            "Harbour Tours",
            "Council to consult on plans",
            PROSE,
            PROSE_2,
            "Ferry Times",
            "Local Events",
        ]
    )
    doc = clean_text(page)
    assert PROSE in doc.text and PROSE_2 in doc.text
    assert "Harbour Tours" not in doc.text and "Local Events" not in doc.text
    # Switched off, the page keeps its menu.
    off = clean_text(page, config.load(overrides={"classifier.enabled": False}))
    assert "Harbour Tours" in off.text and "Local Events" in off.text


def test_abstains_on_a_page_with_no_good_line() -> None:
    # A timetable or a log is all short lines: with nothing to anchor the
    # context, every line would go; the classifier leaves such a page alone.
    lines = ["Departures", "Harbour 07:15", "Quay Street 07:22", "Mill Lane 07:30", "Station 07:41", "Arrivals"]
    doc = clean_text("\n".join(lines))
    assert doc.counters.get("classifier.abstained") == 1
    assert all(line in doc.text for line in lines[1:])


def test_a_paragraph_set_a_sentence_per_line_is_good() -> None:
    # No sentence is long enough to be good alone; between a menu and a list
    # of other stories each would go as near-good between bad lines.
    sentences = [
        f"The harbour board said on day {n} that the ferry would start in the spring, a year late." for n in range(10)
    ]
    menu = ["Home", "News", "Sport", "Weather", "Travel", "Jobs"]
    lines = [*menu, *sentences, *menu]
    verdicts = classify([Line(i, t) for i, t in enumerate(lines, 1)], on_cfg().classifier)
    assert [v.line.text for v in verdicts if v.cls == GOOD] == sentences
    # Two such lines are not enough: a teaser and its standfirst between menus go.
    lines = [*menu, *sentences[:2], *menu]
    verdicts = classify([Line(i, t) for i, t in enumerate(lines, 1)], on_cfg().classifier)
    assert [v.line.text for v in verdicts if v.cls == GOOD] == []


def test_lines_inside_the_core_stay() -> None:
    # A subhead and a one-line quote between paragraphs are bad by length
    # alone; inside the article's core they stay, while the menu around it goes.
    lines = ["Home", "News", "Sport", PROSE, "What happens next", PROSE, "Jobs", "Contact us", "Sign in"]
    kept = [
        v.line.text
        for v in classify([Line(i, t) for i, t in enumerate(lines, 1)], on_cfg().classifier)
        if v.cls == GOOD
    ]
    assert kept == [PROSE, "What happens next", PROSE]


def test_initial_classes(cfg: config.Config) -> None:
    sw = stopwords("english")
    c = on_cfg().classifier
    assert initial_class("© 2024 Harbour Media Ltd", sw, c)[:2] == (BAD, "copyright")
    assert initial_class("Home | News | Sport | Weather", sw, c)[:2] == (BAD, "link-list")
    assert initial_class("Privacy Policy", sw, c)[:2] == (BAD, "link-like")
    assert initial_class("Oslo Bergen Trondheim Stavanger Drammen Fredrikstad Kristiansand Sandnes Tromsø", sw, c)[
        :2
    ] == (BAD, "stopword-density")
    assert initial_class(PROSE, sw, c)[0] == GOOD
    # Few stopwords but set as a sentence (a results line): text, judged by its length.
    results = "Harbour Cup (1,200m), rated 40 to 66: 1. Blue Gull (3) Ames 59, 2. Storm Petrel (1) Berg 57 and 3. Kittiwake (2) Cole 55."
    assert initial_class(results, sw, c)[0] == NEARGOOD
    assert initial_class(results + " " + results, sw, c)[0] == GOOD
    assert initial_class(results.rstrip("."), sw, c)[:2] == (BAD, "stopword-density")
    # Spaced dashes set off a clause in prose; they are not menu separators.
    aside = "The move - which the board says is its own choice - is part of a plan to run the ferry for the town."
    assert initial_class(aside, sw, c)[0] != BAD
    # A short line of prose is left to its neighbours, not condemned.
    assert initial_class("He said it was the right decision.", sw, c)[0] == "short"


def test_short_lines_take_their_neighbours_verdict() -> None:
    lines = [PROSE, "A long road back", PROSE, "Contact us", "Home", "Jobs", "Sign in", "Weather"]
    verdicts = classify([Line(i, t) for i, t in enumerate(lines, 1)], on_cfg().classifier)
    assert [v.cls for v in verdicts] == [GOOD, GOOD, GOOD, BAD, BAD, BAD, BAD, BAD]


def test_removals_are_recorded_with_rules() -> None:
    text = "\n".join(
        [
            "Council to consult on plans",
            "",
            "Gardening",
            "Local Events",
            "Family Notices",
            "Days Out",
            "",
            PROSE,
            "",
            PROSE.replace("council", "board"),
            "Our Partners",
            "Terms of Use",
            "© 2024 Example Media",
        ]
    )
    doc = clean_text(text, on_cfg())
    reasons = {r.text: r.reason for r in doc.removals}
    # The rule pack knows legal links by name; the classifier takes the rest.
    assert reasons["Terms of Use"] in ("classifier.link-like", "boilerplate.legal-footer")
    assert reasons["Our Partners"] == "classifier.link-like"
    assert reasons["© 2024 Example Media"] in ("classifier.copyright", "boilerplate.copyright-footer")
    assert all(
        reasons[t].startswith("classifier.") for t in ("Gardening", "Local Events", "Family Notices", "Days Out")
    )
    assert PROSE in doc.text


def test_flatten_labels_lines() -> None:
    html = (
        "<html><body><nav><ul><li><a>Home</a></li><li><a>News</a></li></ul></nav>"
        '<article><h1 itemprop="headline">A headline</h1><div itemprop="articleBody"><p>First <b>bold</b> text.</p>'
        "<figure><figcaption>A caption</figcaption></figure></div></article><footer><p>© 2024</p></footer>"
        "<script>var x = 1;</script></body></html>"
    )
    assert flatten(html) == [
        ("Home", False),
        ("News", False),
        ("A headline", True),
        ("First bold text.", True),
        ("A caption", False),
        ("© 2024", False),
    ]


def test_precision_and_recall_on_flattened_pages() -> None:
    # jusText's passes alone (keep_inside_core: none). The default keeps lines
    # inside the article's core, which real pages' gold asks for (CleanEval
    # counts list items as text) at a cost in recall on these invented pages.
    cfg = config.load(overrides={"classifier.keep_inside_core": "none"}).classifier
    tp = fp = fn = 0
    pages = labelled_pages()
    assert len(pages) >= 15
    for _, labelled in pages:
        verdicts = classify([Line(i, t) for i, (t, _) in enumerate(labelled, 1)], cfg)
        for v, (_, content) in zip(verdicts, labelled, strict=True):
            removed = v.cls == BAD
            tp += removed and not content
            fp += removed and content
            fn += not removed and not content
    assert tp / (tp + fp) >= MIN_PRECISION
    assert tp / (tp + fn) >= MIN_RECALL


def test_seeds_keep_their_text_when_on(cfg: config.Config) -> None:
    # The golden test covers the seeds with the default (off). Turned on, the
    # classifier takes nothing from these real articles (they carry no page
    # chrome beyond what the rules remove).
    from .conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")):
        off = clean_text(path.read_text(encoding="utf-8"), cfg)
        on = clean_text(path.read_text(encoding="utf-8"), on_cfg())
        assert on.text == off.text, path.name
