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


def _window_mean(values: list[float], prefix: list[float], i: int, k: int) -> float:
    lo, hi = max(0, i - k), min(len(values), i + k + 1)
    return (prefix[hi] - prefix[lo]) / (hi - lo)


def _prefix(values: list[float]) -> list[float]:
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
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
    chars = [len(t) for t in texts]
    total = sum(chars) or 1
    words = [t.split() for t in texts]
    density = [pc.stopword_density(w, stoplist) for w in words]
    sentence = [1.0 if pc.SENTENCE_END.search(t) else 0.0 for t in texts]
    log_chars = [math.log1p(c) for c in chars]
    p_log, p_density, p_sentence = _prefix(log_chars), _prefix(density), _prefix(sentence)
    good = [i for i, v in enumerate(verdicts) if v.initial == pc.GOOD]
    # Lines to the nearest line good on its own, each way.
    to_good = [float(FAR)] * n
    last = None
    for i in range(n):
        if verdicts[i].initial == pc.GOOD:
            last = i
        if last is not None:
            to_good[i] = min(to_good[i], i - last)
    last = None
    for i in reversed(range(n)):
        if verdicts[i].initial == pc.GOOD:
            last = i
        if last is not None:
            to_good[i] = min(to_good[i], last - i)
    # The length of the run of short lines each line stands in (0 if not short).
    short_run = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and chars[j] < cfg["length_low"]:
            j += 1
        for k in range(i, j):
            short_run[k] = j - i
        i = max(j, i + 1)
    # The longest stretch of consecutive prose (good or near-good) lines, in characters.
    longest = run = 0
    for c, v in zip(chars, verdicts, strict=True):
        run = run + c if v.initial in (pc.GOOD, pc.NEARGOOD) else 0
        longest = max(longest, run)
    page = [
        pc.page_share(verdicts),
        sum(c for c, v in zip(chars, verdicts, strict=True) if v.initial == pc.GOOD) / total,
        sum(c for c, v in zip(chars, verdicts, strict=True) if v.cls != pc.BAD) / total,
        sum(v.initial == pc.BAD and v.rule == "link-like" for v in verdicts) / n,
        math.log1p(n),
        math.log(total),
    ]
    page_more = [
        sum(sentence) / n,
        math.log1p(len(good)),
        sum(c for c in chars if c >= cfg["length_high"]) / total,
        math.log1p(longest),
        longest / total,
    ]
    rows = []
    offset = 0
    for i, v in enumerate(verdicts):
        t, w = texts[i], words[i]
        letters = sum(map(str.isalpha, t))
        rows.append([
            log_chars[i], float(len(w)), density[i], sentence[i], float(len(pc.SEPARATORS.findall(t))),
            1.0 if pc.COPYRIGHT.search(t) else 0.0,
            sum(map(str.isupper, t)) / letters if letters else 0.0,
            sum(map(str.isdigit, t)) / (len(t) or 1),
            sum(x[:1].isupper() for x in w) / (len(w) or 1),
            1.0 if BULLET.match(t) else 0.0,
            1.0 if URL.search(t) else 0.0,
            i / n, offset / total, (n - i) / n,
            _window_mean(log_chars, p_log, i, 1), _window_mean(log_chars, p_log, i, 3),
            _window_mean(log_chars, p_log, i, 8), _window_mean(density, p_density, i, 1),
            _window_mean(density, p_density, i, 3), _window_mean(sentence, p_sentence, i, 3),
            _window_mean(sentence, p_sentence, i, 8),
            log_chars[i - 1] if i else 0.0, log_chars[i + 1] if i + 1 < n else 0.0,
            density[i - 1] if i else 0.0, density[i + 1] if i + 1 < n else 0.0,
            math.log1p(to_good[i]), math.log1p(short_run[i]),
            *page[:6], 1.0 if v.heading else 0.0, *page_more,
            *(1.0 if v.initial == c else 0.0 for c in CLASSES),
            *(1.0 if v.cls == c else 0.0 for c in CLASSES),
            *(1.0 if v.cls == pc.BAD and v.rule == r else 0.0 for r in BAD_RULES),
        ])  # fmt: skip
        offset += chars[i]
    return np.array(rows, dtype=np.float64)


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
