"""A line classifier for text that still carries its whole page.

When all visible text of a page was saved, menus, footers and link lists sit
in the text as short lines. This stage follows jusText (Pomikálek 2011): each
line is first classed good, near-good, short or bad by its length and
stopword density, then short and near-good lines take the verdict of their
neighbours. jusText's strongest cue, link density, does not survive
flattening; separator characters between menu items, title-case link labels
and the © sign stand in for it here. It runs after the boilerplate rules, on
documents that read as a whole page (many short lines), not on article text,
where it would take datelines and trailers the rules already name better.
A learned line model (`linemodel`) then removes what the passes kept and
it finds to be chrome.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from . import linemodel
from .document import Document, Line

STAGE = "classifier"
GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"
T = TypeVar("T")
# The reason of a line the learned line model removed (see linemodel.py).
LINE_MODEL = "line-model"
# Characters that stand between items of a flattened menu or breadcrumb
# ("Home | News | Sport", "Home › News › Local"). Not dashes: spaced dashes
# set off clauses in prose ("The move - which the council says ... - is").
SEPARATORS = re.compile(r"(?:^|\s)[|•·›»/>](?=\s|$)")
COPYRIGHT = re.compile(r"©|&copy|\(c\)\s*\d{4}|\ball rights reserved\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)]*$")
# Inside the article's core (see `classify`), the bad verdicts that still
# remove a line, per `keep_inside_core` setting: "lines" keeps single lines
# bad by context or length; "lists" also keeps runs of short lines (list
# items) inside the core.
CORE_EVIDENCE = {
    "lines": ("copyright", "link-list", "short-run"),
    "lists": ("copyright", "link-list"),
}
# Heading-like lines in a row that make a list of links to other stories.
LISTED_HEADINGS = 3
WORD_EDGE = "\"'“”‘’()[]{},.;:!?…*"


# jusText's stoplists (about 100, named in English) by the ISO 639-1 code
# language identification gives; a language not listed has no stoplist.
JUSTEXT_STOPLISTS = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian",
    "az": "Azerbaijani", "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian",
    "br": "Breton", "bg": "Bulgarian", "ca": "Catalan", "hr": "Croatian", "cs": "Czech", "da": "Danish",
    "nl": "Dutch", "en": "English", "eo": "Esperanto", "et": "Estonian", "fi": "Finnish", "fr": "French",
    "gl": "Galician", "ka": "Georgian", "de": "German", "el": "Greek", "gu": "Gujarati", "ht": "Haitian",
    "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "is": "Icelandic", "io": "Ido", "ig": "Igbo",
    "id": "Indonesian", "ga": "Irish", "it": "Italian", "jv": "Javanese", "kn": "Kannada", "kk": "Kazakh",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian", "lt": "Lithuanian",
    "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam", "mt": "Maltese",
    "mr": "Marathi", "ne": "Nepali", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian",
    "es": "Spanish", "su": "Sundanese", "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil",
    "te": "Telugu", "tr": "Turkish", "tk": "Turkmen", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "vo": "Volapuk", "wa": "Walloon", "cy": "Welsh", "fy": "West_Frisian",
    "yo": "Yoruba",
}  # fmt: skip
# `classifier.stopwords: auto`: the document's language chooses the list.
AUTO = "auto"


@lru_cache(maxsize=8)
def stopwords(name: str) -> frozenset[str]:
    """A stopword list shipped in the package (data/stopwords-<name>.txt), lowercased."""
    path = resources.files("corpusclean").joinpath("data", f"stopwords-{name}.txt")
    if not path.is_file():
        raise ValueError(f"classifier.stopwords: no stopword list named {name!r}")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=16)
def language_stopwords(language: str | None) -> frozenset[str] | None:
    """jusText's stoplist for an ISO 639-1 `language` (lowercased), or None
    when jusText has none for it (or the language is undetermined). English
    uses the packaged copy of jusText's English list (the same 453 words)."""
    if language == "en":
        return stopwords("english")
    name = JUSTEXT_STOPLISTS.get(language or "")
    if name is None:
        return None
    import justext

    return frozenset(w.lower() for w in justext.get_stoplist(name))


def stoplist_for(doc: Document, cfg: dict[str, Any]) -> frozenset[str] | None:
    """The stopword list the classifier reads `doc` with: the named list, or
    with `auto` the list of the document's language, English when the
    language is undetermined (None: its language has no list, the document
    is left alone)."""
    name = cfg["stopwords"]
    if name != AUTO:
        return stopwords(name)
    language = doc.metadata.get("language")
    # Undetermined (too little text, or mixed): jusText's default, English.
    return language_stopwords(language) if language else stopwords("english")


@dataclass(slots=True)
class Verdict:
    """A line's class on the way through the passes, and why it is bad."""

    line: Line
    initial: str
    cls: str
    rule: str
    heading: bool


def stopword_density(words: list[str], stoplist: frozenset[str]) -> float:
    if not words:
        return 0.0
    return sum(w.strip(WORD_EDGE).lower() in stoplist for w in words) / len(words)


def is_link_like(text: str, words: list[str], stoplist: frozenset[str], max_words: int) -> bool:
    """A short title-case label with no sentence punctuation: a menu item or a
    link to another page ("Contact Us", "Privacy Policy", "Local News")."""
    if len(words) > max_words or SENTENCE_END.search(text):
        return False
    alpha = [w for w in (w.strip(WORD_EDGE) for w in words) if w and w[0].isalpha()]
    # Function words may stay lower case ("Terms of Use"); a label made only
    # of stopwords ("About", "More") must be capitalised throughout.
    content = [w for w in alpha if w.lower() not in stoplist] or alpha
    return bool(content) and all(w[0].isupper() for w in content)


def initial_class(text: str, stoplist: frozenset[str], cfg: dict[str, Any]) -> tuple[str, str, bool]:
    """(class, rule if bad, looks like a heading) from the line alone."""
    words = text.split()
    length = len(text)
    if COPYRIGHT.search(text):
        return BAD, "copyright", False
    if len(SEPARATORS.findall(text)) >= cfg["min_separators"] and not SENTENCE_END.search(text):
        return BAD, "link-list", False
    if length < cfg["length_low"]:
        if cfg["link_like_max_words"] and is_link_like(text, words, stoplist, cfg["link_like_max_words"]):
            return BAD, "link-like", False
        # A short line that reads like a subhead (a few words with function
        # words, no sentence punctuation) is treated as jusText treats <h1-6>.
        heading = len(words) >= cfg["heading_min_words"] and not SENTENCE_END.search(text)
        return SHORT, "short", heading and stopword_density(words, stoplist) > 0
    # Beyond jusText: a line that ends like a sentence and has no menu
    # separators is text whatever its share of stopwords (race results,
    # a list of names, a table row set as a sentence). On the dev sets'
    # visible text this kept 0.008 / 0.003 / 0.002 more token F1 (L3S-GN1 /
    # dragnet / CleanEval) and five fewer pages lost.
    sentence = SENTENCE_END.search(text) is not None and SEPARATORS.search(text) is None
    density = 1.0 if sentence else stopword_density(words, stoplist)
    if density >= cfg["stopwords_high"]:
        return (GOOD if length > cfg["length_high"] else NEARGOOD), "bad-context", False
    if density >= cfg["stopwords_low"]:
        return NEARGOOD, "bad-context", False
    return BAD, "stopword-density", False


def _neighbour(verdicts: list[Verdict], i: int, step: int, ignore_neargood: bool) -> str:
    """The class of the nearest good or bad line (or near-good one, unless
    ignored) in direction `step`; the edge of the page counts as bad."""
    i += step
    while 0 <= i < len(verdicts):
        cls = verdicts[i].cls
        if cls in (GOOD, BAD) or (cls == NEARGOOD and not ignore_neargood):
            return cls
        i += step
    return BAD


def _good_within(verdicts: list[Verdict], i: int, max_distance: int) -> bool:
    """Whether a good line follows line i before `max_distance` characters of other lines."""
    distance = 0
    for j in range(i + 1, len(verdicts)):
        if distance > max_distance:
            return False
        if verdicts[j].cls == GOOD:
            return True
        distance += len(verdicts[j].line.text)
    return False


def runs(items: Sequence[T], inside: Callable[[T], bool], min_length: int) -> Iterator[range]:
    """The maximal runs of consecutive items for which `inside` holds, as
    index ranges, those of at least `min_length` only."""
    start = 0
    for end in range(len(items) + 1):
        if end < len(items) and inside(items[end]):
            continue
        if end - start >= min_length:
            yield range(start, end)
        start = end + 1


def _heading_streaks(verdicts: list[Verdict], min_length: int) -> set[int]:
    """Indices of heading-like lines that stand in a row of at least `min_length`."""
    return {i for run in runs(verdicts, lambda v: v.heading, min_length) for i in run}


def classify(lines: list[Line], cfg: dict[str, Any], stoplist: frozenset[str] | None = None) -> list[Verdict]:
    """Each non-blank line's final verdict, by jusText's passes, with `stoplist`
    (by default the list `cfg` names; with `auto`, English)."""
    if stoplist is None:
        stoplist = stopwords("english" if cfg["stopwords"] == AUTO else cfg["stopwords"])
    verdicts = []
    for line in lines:
        if line.text.strip():
            cls, rule, heading = initial_class(line.text.strip(), stoplist, cfg)
            verdicts.append(Verdict(line, cls, cls, rule, heading))
    # Beyond jusText: a long run of short lines is a flattened list of links
    # (a menu, other stories' headlines), whatever stands around it. Lines
    # that read like headings stay for the heading pass, since an article's
    # headline stands among a byline, a date and a share bar; but three or
    # more heading-like lines in a row are a list of other stories.
    run_min = cfg["short_run_min_lines"]
    if run_min:
        listed = _heading_streaks(verdicts, LISTED_HEADINGS)
        short = cfg["length_low"]
        for run in runs(verdicts, lambda v: len(v.line.text.strip()) < short, run_min):
            for k in run:
                v = verdicts[k]
                if v.cls == SHORT and (k in listed or not v.heading):
                    v.initial, v.cls, v.rule, v.heading = BAD, BAD, "short-run", False
    # Beyond jusText: near-good lines in a row are one paragraph set a
    # sentence per line (an article whose every sentence is a line, with no
    # line long enough to be good alone): enough of them, long enough
    # together, are good.
    min_lines = cfg["paragraph_min_lines"]
    if min_lines:
        for run in runs(verdicts, lambda v: v.cls == NEARGOOD, min_lines):
            block = verdicts[run.start : run.stop]
            if sum(len(v.line.text.strip()) for v in block) >= cfg["paragraph_min_chars"]:
                for v in block:
                    v.initial = v.cls = GOOD
    distance = cfg["max_heading_distance"]
    # A short heading followed closely by good text is near-good.
    for i, v in enumerate(verdicts):
        if v.heading and v.cls == SHORT and _good_within(verdicts, i, distance):
            v.cls = NEARGOOD
    # Short lines take the verdict of the good or bad lines around them; between
    # a good and a bad one they stay when near-good text stands next to the bad side.
    decided: dict[int, str] = {}
    for i, v in enumerate(verdicts):
        if v.cls != SHORT:
            continue
        prev, next_ = _neighbour(verdicts, i, -1, True), _neighbour(verdicts, i, 1, True)
        if prev == next_:
            decided[i] = prev
        elif (prev == BAD and _neighbour(verdicts, i, -1, False) == NEARGOOD) or (
            next_ == BAD and _neighbour(verdicts, i, 1, False) == NEARGOOD
        ):
            decided[i] = GOOD
        else:
            decided[i] = BAD
    for i, cls in decided.items():
        verdicts[i].cls = cls
    # Near-good lines go only when bad lines stand on both sides.
    for i, v in enumerate(verdicts):
        if v.cls == NEARGOOD:
            both_bad = _neighbour(verdicts, i, -1, True) == BAD and _neighbour(verdicts, i, 1, True) == BAD
            v.cls = BAD if both_bad else GOOD
    # A heading the context pass turned bad stays when good text follows it.
    for i, v in enumerate(verdicts):
        if v.heading and v.cls == BAD and v.initial != BAD and _good_within(verdicts, i, distance):
            v.cls = GOOD
    # Beyond jusText: a good line of moderate length alone between bad lines is
    # a promo or a notice set in prose (a newsletter pitch, an author's bio).
    limit = cfg["isolated_max_chars"]
    if limit:
        final = [v.cls for v in verdicts]
        for i, v in enumerate(verdicts):
            if (
                final[i] == GOOD
                and len(v.line.text) <= limit
                and (i == 0 or final[i - 1] == BAD)
                and (i == len(verdicts) - 1 or final[i + 1] == BAD)
            ):
                v.cls, v.rule = BAD, "isolated"
    # The article's core runs from its first good line to its last: a line
    # inside it that is bad only by its context or its length (a list item, a
    # table row, a subhead between paragraphs) stays; only lines bad on their
    # own evidence (a copyright line, a flattened menu) go from inside it.
    if cfg["keep_inside_core"] != "none":
        good = [i for i, v in enumerate(verdicts) if v.cls == GOOD]
        if good:
            for v in verdicts[good[0] : good[-1] + 1]:
                if v.cls == BAD and v.rule not in CORE_EVIDENCE[cfg["keep_inside_core"]]:
                    v.cls = GOOD
    return verdicts


def page_share(verdicts: list[Verdict]) -> float:
    """The share of non-blank lines that are short or bad on their own (their
    initial class): 0.0 to 1.0, 0.0 for a document with no line."""
    if not verdicts:
        return 0.0
    return sum(v.initial in (SHORT, BAD) for v in verdicts) / len(verdicts)


def classify_lines(doc: Document, cfg: dict[str, Any]) -> Document:
    """Remove the lines the classifier finds bad, each under the reason it had.

    The classifier is for a whole page's visible text: it leaves alone a
    document where fewer than `cfg["page_min_share"]` of the lines are short
    or bad on their own (article text, which the rules handle), and a
    document it would empty entirely (no good line to anchor the context:
    a page of short lines, a table, a log), counted as
    `classifier.skipped-article` and `classifier.abstained`. A document in
    a language without a stoplist is left alone too,
    counted as `classifier.no-stoplist`.

    Then the learned line model (`linemodel`) removes the lines the passes
    kept whose probability of content is below
    `cfg["line_model_min_probability"]`, as `line-model` with the
    probability as the removal's score, in documents of the languages in
    `cfg["line_model_languages"]` (others are counted as
    `classifier.line-model-other-language`).
    """
    stoplist = stoplist_for(doc, cfg)
    if stoplist is None:
        doc.count("classifier.no-stoplist")
        return doc
    verdicts = classify(doc.lines, cfg, stoplist)
    if page_share(verdicts) < cfg["page_min_share"]:
        doc.count("classifier.skipped-article")
        return doc
    if verdicts and all(v.cls == BAD for v in verdicts):
        doc.count("classifier.abstained")
        return doc
    bad: dict[int, tuple[str, float | None]] = {id(v.line): (v.rule, None) for v in verdicts if v.cls == BAD}
    threshold = cfg["line_model_min_probability"]
    use_model = cfg["line_model"] and threshold > 0
    # The model learned from English pages only: in another language its
    # verdicts are unmeasured, and the passes' stand alone.
    if use_model and doc.metadata.get("language") not in cfg["line_model_languages"]:
        doc.count("classifier.line-model-other-language")
        use_model = False
    if use_model:
        probability = linemodel.shipped_model().probability(linemodel.features(verdicts, stoplist, cfg))
        for v, p in zip(verdicts, probability, strict=True):
            if v.cls != BAD and p < threshold:
                bad[id(v.line)] = (LINE_MODEL, round(float(p), 4))
    kept: list[Line] = []
    for line in doc.lines:
        reason = bad.get(id(line))
        if reason is None:
            kept.append(line)
        else:
            doc.remove(STAGE, reason[0], line, score=reason[1])
    doc.lines = kept
    return doc
