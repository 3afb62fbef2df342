"""A learned line model on top of the page classifier's jusText passes.

Boilerpipe (Kohlschütter, Fankhauser and Nejdl, "Boilerplate detection using
shallow text features", WSDM 2010) classifies a page's blocks with a decision
tree over shallow text features, trained on L3S-GN1. This is the same idea
for text that lost its HTML: each line is described by shallow features of
itself, its neighbourhood and its page (`FEATURES`: length, stopword density,
punctuation, capitals, digits, menu separators, position, the jusText
classes before and after context smoothing, runs of short lines, the page's
share of prose), and a gradient-boosted tree ensemble gives the probability
that the line is main content. The model is trained on the dev sets' visible
text with their human gold (`bench/train_line_model.py`, scikit-learn's
HistGradientBoostingClassifier) and shipped as data
(`data/line-model.json`); predicting needs only numpy.

The model only removes: a line the jusText passes kept goes when its
probability is below `classifier.model_min_probability`. Lines the passes
found bad stay bad, so the model sharpens the passes rather than replacing
them; at the shipped threshold it removes menus and teasers the passes keep
and costs inclusive pages (CleanEval's gold) almost nothing, figures in
config.yaml.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .pageclassifier import Verdict

# The jusText classes and the bad verdicts' reasons, in feature order.
CLASSES = ("good", "neargood", "short", "bad")
BAD_RULES = (
    "short-run", "link-like", "short", "bad-context", "stopword-density", "link-list", "isolated", "copyright",
)  # fmt: skip
# A line that opens with a list bullet or an arrow ("• ", "» ", "- ").
BULLET = re.compile(r"^[\s\-*•·»>◦■□▪●○–—]+")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# Lines between a line and the nearest prose line are counted up to this many.
FAR = 50

# One name per column of `features`, in order; the model file lists the
# names it was trained on and must list these.
FEATURES = (
    # the line itself
    "log_chars", "words", "stopword_density", "sentence_end", "separators", "copyright",
    "upper_share", "digit_share", "titlecase_share", "bullet", "url",
    # where it stands
    "rel_line", "rel_offset", "rel_from_end",
    # its neighbourhood: means over windows of 1, 3 and 8 lines each side
    "log_chars_w1", "log_chars_w3", "log_chars_w8", "stopwords_w1", "stopwords_w3",
    "sentence_w3", "sentence_w8",
    "log_chars_prev", "log_chars_next", "stopwords_prev", "stopwords_next",
    "log_lines_to_good", "log_short_run",
    # its page
    "page_share", "page_good_chars", "page_kept_chars", "page_link_like", "log_page_lines", "log_page_chars",
    "heading",
    "page_sentence_share", "log_page_good_lines", "page_long_chars", "log_longest_text_run",
    "longest_text_run_share",
    # the jusText passes' verdicts
    *(f"initial_{c}" for c in CLASSES), *(f"final_{c}" for c in CLASSES), *(f"bad_{r}" for r in BAD_RULES),
)  # fmt: skip
MODEL_FILE = "line-model.json"


def _window_means(values: np.ndarray, k: int) -> np.ndarray:
    """The mean of `values` over a window of k lines each side of each line
    (fewer at the edges of the page)."""
    n = len(values)
    prefix = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    lo, hi = np.maximum(index - k, 0), np.minimum(index + k + 1, n)
    means: np.ndarray = (prefix[hi] - prefix[lo]) / (hi - lo)
    return means


def _shifted(values: np.ndarray, step: int) -> np.ndarray:
    """values[i - step] for each line i (0.0 beyond the page's edges)."""
    out = np.zeros_like(values)
    if step > 0:
        out[step:] = values[:-step]
    else:
        out[:step] = values[-step:]
    return out


def features(verdicts: list[Verdict], stoplist: frozenset[str], cfg: dict[str, Any]) -> np.ndarray:
    """The feature matrix of a page's lines: shape (len(verdicts), len(FEATURES)),
    float64, one row per verdict in order, from the jusText passes' verdicts
    (`pageclassifier.classify`) and the line texts. Deterministic: the same
    verdicts give the same bytes."""
    from . import pageclassifier as pc

    n = len(verdicts)
    if not n:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    texts = [v.line.text.strip() for v in verdicts]
    words = [t.split() for t in texts]
    chars = np.array([len(t) for t in texts], dtype=np.float64)
    total = float(chars.sum()) or 1.0
    density = np.array([pc.stopword_density(w, stoplist) for w in words])
    sentence = np.array([1.0 if pc.SENTENCE_END.search(t) else 0.0 for t in texts])
    # math's logarithms, as the model was trained with (numpy's may pick
    # another implementation per CPU).
    log_chars = np.array([math.log1p(c) for c in chars])
    initial = [v.initial for v in verdicts]
    final = [v.cls for v in verdicts]
    good = np.array([c == pc.GOOD for c in initial])
    prose = np.array([c in (pc.GOOD, pc.NEARGOOD) for c in initial])
    # Lines to the nearest line good on its own, either way (FAR when none).
    index = np.arange(n)
    to_good = np.full(n, float(FAR))
    if good.any():
        before = np.maximum.accumulate(np.where(good, index, -1))
        after = np.minimum.accumulate(np.where(good, index, n)[::-1])[::-1]
        to_good = np.minimum(to_good, np.where(before >= 0, index - before, FAR))
        to_good = np.minimum(to_good, np.where(after < n, after - index, FAR))
    # The length of the run of short lines each line stands in (0 if not short).
    short_run = np.zeros(n)
    for run in pc.runs(list(chars < cfg["length_low"]), bool, 1):
        short_run[run.start : run.stop] = len(run)
    # The longest stretch of consecutive prose (good or near-good) lines, in characters.
    longest = max((float(chars[run.start : run.stop].sum()) for run in pc.runs(list(prose), bool, 1)), default=0.0)
    letters = np.array([sum(map(str.isalpha, t)) for t in texts], dtype=np.float64)
    upper = np.array([sum(map(str.isupper, t)) for t in texts], dtype=np.float64)
    digits = np.array([sum(map(str.isdigit, t)) for t in texts], dtype=np.float64)
    page = {
        "page_share": pc.page_share(verdicts),
        "page_good_chars": chars[good].sum() / total,
        "page_kept_chars": chars[[c != pc.BAD for c in final]].sum() / total,
        "page_link_like": sum(v.initial == pc.BAD and v.rule == "link-like" for v in verdicts) / n,
        "log_page_lines": math.log1p(n),
        "log_page_chars": math.log(total),
        "page_sentence_share": sentence.sum() / n,
        "log_page_good_lines": math.log1p(int(good.sum())),
        "page_long_chars": chars[chars >= cfg["length_high"]].sum() / total,
        "log_longest_text_run": math.log1p(longest),
        "longest_text_run_share": longest / total,
    }
    columns: dict[str, Any] = {
        "log_chars": log_chars,
        "words": np.array([len(w) for w in words], dtype=np.float64),
        "stopword_density": density,
        "sentence_end": sentence,
        "separators": np.array([len(pc.SEPARATORS.findall(t)) for t in texts], dtype=np.float64),
        "copyright": np.array([1.0 if pc.COPYRIGHT.search(t) else 0.0 for t in texts]),
        "upper_share": np.divide(upper, letters, out=np.zeros(n), where=letters > 0),
        "digit_share": digits / np.maximum(chars, 1.0),
        "titlecase_share": np.array([sum(x[:1].isupper() for x in w) / (len(w) or 1) for w in words]),
        "bullet": np.array([1.0 if BULLET.match(t) else 0.0 for t in texts]),
        "url": np.array([1.0 if URL.search(t) else 0.0 for t in texts]),
        "rel_line": index / n,
        "rel_offset": (np.cumsum(chars) - chars) / total,
        "rel_from_end": (n - index) / n,
        "log_chars_w1": _window_means(log_chars, 1),
        "log_chars_w3": _window_means(log_chars, 3),
        "log_chars_w8": _window_means(log_chars, 8),
        "stopwords_w1": _window_means(density, 1),
        "stopwords_w3": _window_means(density, 3),
        "sentence_w3": _window_means(sentence, 3),
        "sentence_w8": _window_means(sentence, 8),
        "log_chars_prev": _shifted(log_chars, 1),
        "log_chars_next": _shifted(log_chars, -1),
        "stopwords_prev": _shifted(density, 1),
        "stopwords_next": _shifted(density, -1),
        "log_lines_to_good": np.array([math.log1p(x) for x in to_good]),
        "log_short_run": np.array([math.log1p(x) for x in short_run]),
        "heading": np.array([1.0 if v.heading else 0.0 for v in verdicts]),
        **{f"initial_{c}": np.array([1.0 if x == c else 0.0 for x in initial]) for c in CLASSES},
        **{f"final_{c}": np.array([1.0 if x == c else 0.0 for x in final]) for c in CLASSES},
        **{
            f"bad_{r}": np.array([1.0 if v.cls == pc.BAD and v.rule == r else 0.0 for v in verdicts]) for r in BAD_RULES
        },
    }
    out = np.empty((n, len(FEATURES)), dtype=np.float64)
    for k, name in enumerate(FEATURES):
        out[:, k] = columns[name] if name in columns else page[name]
    return out


@dataclass(frozen=True)
class TreeEnsemble:
    """Gradient-boosted regression trees for a binary class, packed in flat
    arrays: node k tests `feature[k]` (-1 for a leaf) against `threshold[k]`
    (left when the value is at most the threshold, as scikit-learn's
    histogram gradient boosting predicts), and a leaf holds `value[k]`. The
    log-odds of content is `baseline` plus one leaf value per tree, summed in
    tree order."""

    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeEnsemble:
        """A model from its JSON form (`to_json`); ValueError when its
        feature names are not `FEATURES` (a model trained on other features)."""
        if tuple(data["features"]) != FEATURES:
            raise ValueError("line model: trained on other features than this version computes")
        roots: list[int] = []
        feature: list[int] = []
        left: list[int] = []
        right: list[int] = []
        threshold: list[float] = []
        value: list[float] = []
        depth = 0
        for tree in data["trees"]:
            base = len(feature)
            roots.append(base)
            for f, t, lo, hi, v in zip(
                tree["feature"], tree["threshold"], tree["left"], tree["right"], tree["value"], strict=True
            ):
                feature.append(f)
                threshold.append(t)
                left.append(base + lo if f >= 0 else 0)
                right.append(base + hi if f >= 0 else 0)
                value.append(v)
            depth = max(depth, tree["depth"])
        return cls(
            baseline=float(data["baseline"]),
            roots=np.array(roots, dtype=np.int64),
            feature=np.array(feature, dtype=np.int64),
            threshold=np.array(threshold, dtype=np.float64),
            left=np.array(left, dtype=np.int64),
            right=np.array(right, dtype=np.int64),
            value=np.array(value, dtype=np.float64),
            depth=depth,
        )

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of content per row of `x` (shape (lines, len(FEATURES))): shape (lines,)."""
        n = x.shape[0]
        if not n:
            return np.zeros(0)
        node = np.tile(self.roots, (n, 1))
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            feature = self.feature[node]
            leaf = feature < 0
            go_left = x[rows, np.where(leaf, 0, feature)] <= self.threshold[node]
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        leaves = self.value[node]
        # Summed tree by tree, an element-wise addition each: the same bytes
        # on every machine, whatever reductions numpy vectorises.
        total = np.full(n, self.baseline)
        for k in range(leaves.shape[1]):
            total += leaves[:, k]
        return total

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Probability of content per row of `x`: shape (lines,), in [0, 1]."""
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-self.log_odds(x)))
        return probability


@lru_cache(maxsize=1)
def shipped_model() -> TreeEnsemble:
    """The model shipped in the package (data/line-model.json)."""
    path = resources.files("corpusclean").joinpath("data", MODEL_FILE)
    return TreeEnsemble.from_json(json.loads(path.read_text(encoding="utf-8")))
