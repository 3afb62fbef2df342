"""Train the page classifier's line model on the dev sets' visible text.

    python bench/train_line_model.py [--devdata bench/devdata] [--config FILE]
                                     [--folds 5] [--thresholds 0.1,0.15,0.2,0.3]
                                     [--out src/corpusclean/data/line-model.json]
                                     [--no-write] [--sets a,b] [--cache FILE] [--params JSON]

Needs scikit-learn (`pip install -e '.[bench]'`); the shipped model is plain
JSON that corpusclean reads with numpy alone.

For every page of the three dev sets (`../shared/devdata`, unpacked into
`bench/devdata` as `bench/realworld.py` does) whose visible text the page
classifier reads (see `pageclassifier.classify_lines`) in a language the
model is for (`classifier.line_model_languages`), the script runs the
stages before the classifier exactly as `clean` does, computes each line's
features (`linemodel.features`) and labels the line content when more than
half of its word tokens are found in the page's gold text (tokens matched in
page order, each gold token once). Each page weighs the same in training
(a line's weight is its share of the page's tokens), as the figures that
judge the model are means over pages.

It prints, per set, the mean token F1 (`bench/realworld.py`'s measure) of the
visible text cleaned by the jusText passes alone and with the model at each
threshold, from `--folds`-fold cross-validation by page: every page scored
by a model that never saw it. Then it trains on every page and writes the
model. Deterministic: the same data and settings give the same file.
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from corpusclean import config as config_module  # noqa: E402
from corpusclean import linemodel, read  # noqa: E402
from corpusclean import pageclassifier as pc  # noqa: E402
from corpusclean.boilerplate import strip_boilerplate  # noqa: E402
from corpusclean.language import identify_language  # noqa: E402
from corpusclean.metadata import extract_metadata  # noqa: E402
from corpusclean.normalise import normalise  # noqa: E402
from corpusclean.revisions import unwrap_revisions  # noqa: E402

SETS = ("l3s_gn1", "dragnet_2012_sample", "cleaneval_final")
# The sets whose gold holds the headline, byline and date (scored with the
# header lines the record moved to metadata, as bench/realworld.py does).
HEADER_SETS = ("dragnet_2012_sample", "cleaneval_final")
TOKEN = re.compile(r"\w+")
PARAMS = {"max_iter": 80, "max_depth": 4, "learning_rate": 0.1, "early_stopping": False, "random_state": 0}


def tokens(text: str) -> collections.Counter[str]:
    return collections.Counter(t.lower() for t in TOKEN.findall(text))


def token_f1(out: collections.Counter[str], gold: collections.Counter[str]) -> float:
    common = sum((out & gold).values())
    if not common:
        return 0.0
    p, r = common / sum(out.values()), common / sum(gold.values())
    return 2 * p * r / (p + r)


def load_pages(devdata: Path, cfg: config_module.Config, sets: tuple[str, ...] = SETS) -> list[dict]:
    """Each dev page of `sets` with a gold text, after the stages before the classifier."""
    pages = []
    for name in sets:
        folder = devdata / name
        for entry in (json.loads(line) for line in (folder / "manifest.jsonl").open(encoding="utf-8")):
            gold = tokens((folder / entry["gold"]).read_text(encoding="utf-8", errors="replace"))
            if not gold:
                continue
            path = str(folder / entry["visible"])
            page = {"set": name, "id": entry["id"], "gold": gold, "header": "", "lines": [], "x": None}
            pages.append(page)
            doc = next(iter(read.read_documents(read.Source(path, path), cfg.input)))
            if isinstance(doc, read.Skip):
                continue
            normalise(doc, cfg.normalise)
            identify_language(doc, cfg.language)
            unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)
            strip_boilerplate(doc, cfg.rules, cfg.boilerplate)
            if doc.dropped:
                continue
            extract_metadata(doc, cfg.metadata)
            if name in HEADER_SETS:
                page["header"] = "\n".join(r.text for r in doc.removals if r.stage == "metadata")
            page["lines"] = [line.text for line in doc.lines]
            stoplist = pc.stoplist_for(doc, cfg.classifier)
            if stoplist is None:
                continue
            verdicts = pc.classify(doc.lines, cfg.classifier, stoplist)
            if pc.page_share(verdicts) < cfg.classifier["page_min_share"] or all(v.cls == pc.BAD for v in verdicts):
                continue
            page["verdicts"] = [(v.line.text, v.cls == pc.BAD) for v in verdicts]
            # The model reads only the languages it is configured for; the
            # passes' verdicts alone stand in the others.
            if doc.metadata.get("language") not in cfg.classifier["line_model_languages"]:
                continue
            page["x"] = linemodel.features(verdicts, stoplist, cfg.classifier)
            page["y"], page["w"] = labels(page["verdicts"], gold)
    return pages


def labels(verdicts: list[tuple[str, bool]], gold: collections.Counter[str]) -> tuple[np.ndarray, np.ndarray]:
    """(1 for a content line, each line's share of the page's tokens)."""
    left = gold.copy()
    y, n = [], []
    for text, _ in verdicts:
        t = tokens(text)
        hit = t & left
        content = bool(t) and sum(hit.values()) > 0.5 * sum(t.values())
        if content:
            left -= hit
        y.append(int(content))
        n.append(sum(t.values()))
    weights = np.array(n, dtype=np.float64)
    return np.array(y), weights / max(1.0, weights.sum())


def score(page: dict, keep_probability: np.ndarray | None, threshold: float) -> float:
    """The page's token F1: its lines after the rules, the passes' verdicts
    where the classifier reads the page, and the model's when given."""
    if "verdicts" not in page:
        kept = page["lines"]
    else:
        kept = [
            text
            for k, (text, bad) in enumerate(page["verdicts"])
            if not bad and (keep_probability is None or keep_probability[k] >= threshold)
        ]
    return token_f1(tokens(page["header"] + "\n" + "\n".join(kept)), page["gold"])


def fit(pages: list[dict]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p["x"] for p in pages])
    y = np.concatenate([p["y"] for p in pages])
    w = np.concatenate([p["w"] for p in pages])
    return HistGradientBoostingClassifier(**PARAMS).fit(x, y, sample_weight=w)


def export(model, figures: dict) -> dict:
    """The fitted model as linemodel.TreeEnsemble's JSON form."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append(
            {
                "depth": int(nodes["depth"].max()),
                "feature": [
                    int(f) if not leaf else -1 for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)
                ],
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": [int(v) for v in nodes["left"]],
                "right": [int(v) for v in nodes["right"]],
                "value": [float(v) for v in nodes["value"]],
            }
        )
    import sklearn

    return {
        "about": "corpusclean's line model: trained by bench/train_line_model.py on the dev sets' visible text",
        "trainer": f"scikit-learn {sklearn.__version__} HistGradientBoostingClassifier",
        "params": PARAMS,
        "cross_validation": figures,
        "features": list(linemodel.FEATURES),
        "baseline": float(model._baseline_prediction.ravel()[0]),
        "trees": trees,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devdata", type=Path, default=ROOT / "bench" / "devdata")
    parser.add_argument("--config", default=None, help="config file (default: the shipped config.yaml)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", default="0.1,0.15,0.2,0.3")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "corpusclean" / "data" / linemodel.MODEL_FILE)
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument("--sets", default=",".join(SETS), help="train and score on these sets only (with --no-write)")
    parser.add_argument("--cache", type=Path, help="keep the prepared pages in this pickle file (for repeated runs)")
    parser.add_argument("--params", type=json.loads, default={}, help="JSON of trainer settings over the defaults")
    args = parser.parse_args()
    cfg = config_module.load(args.config)
    sets = tuple(args.sets.split(","))
    if sets != SETS and not args.no_write:
        parser.error("--sets other than all three sets is for --no-write runs (the shipped model learns from all)")
    if args.cache and args.cache.exists():
        pages = pickle.loads(args.cache.read_bytes())
    else:
        pages = load_pages(args.devdata, cfg)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(pages))
    pages = [p for p in pages if p["set"] in sets]
    PARAMS.update(args.params)
    thresholds = [float(t) for t in args.thresholds.split(",")]
    read_pages = [i for i, p in enumerate(pages) if p["x"] is not None]
    fold = {i: k % args.folds for k, i in enumerate(np.random.RandomState(0).permutation(read_pages))}
    probability: dict[int, np.ndarray] = {}
    for k in range(args.folds):
        model = fit([pages[i] for i in read_pages if fold[i] != k])
        for i in read_pages:
            if fold[i] == k:
                probability[i] = model.predict_proba(pages[i]["x"])[:, 1]
    figures: dict = {}
    print(f"{args.folds}-fold cross-validation by page; mean token F1 of the visible text")
    for name in sets:
        members = [i for i, p in enumerate(pages) if p["set"] == name]
        row = {"pages": len(members), "read_by_model": sum(pages[i]["x"] is not None for i in members)}
        row["passes"] = float(np.mean([score(pages[i], None, 0.0) for i in members]))
        for t in thresholds:
            row[f"model@{t}"] = float(np.mean([score(pages[i], probability.get(i), t) for i in members]))
        figures[name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
        print(
            f"  {name:22s}", "  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items())
        )
    if args.no_write:
        return 0
    model = fit([pages[i] for i in read_pages])
    data = export(model, figures)
    check = linemodel.TreeEnsemble.from_json(data)
    x = np.vstack([pages[i]["x"] for i in read_pages])
    drift = float(np.max(np.abs(check.probability(x) - model.predict_proba(x)[:, 1])))
    if drift > 1e-9:
        print(f"error: the exported model predicts differently from scikit-learn's (by {drift})", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(data['trees'])} trees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
