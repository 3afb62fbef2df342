"""Precision and recall of the page classifier on flattened invented pages.

The pages are tests/pages/*.html (six invented sites, eighteen invented
articles); tests/pages/flatten.py turns each into all its visible lines with a
label per line (article content or boilerplate). A line counts as removed
when the classifier (alone), or the whole per-document pipeline with the
classifier on, takes it out of the text. Positives are boilerplate lines.

    python bench/classifier_eval.py [--verbose]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pages.flatten import labelled_pages  # noqa: E402

from corpusclean import config  # noqa: E402
from corpusclean.document import Document, Line  # noqa: E402
from corpusclean.pageclassifier import BAD, classify  # noqa: E402
from corpusclean.pipeline import clean_document  # noqa: E402

# The pages whose errors were looked at while the plain-text cues were chosen;
# the rest were not, and are reported on their own.
DEV_PAGES = 6


def removed_by_classifier(lines: list[str], cfg: config.Config) -> list[bool]:
    verdicts = classify([Line(i, t) for i, t in enumerate(lines, 1)], cfg.classifier)
    return [v.cls == BAD for v in verdicts]


def removed_by_pipeline(lines: list[str], cfg: config.Config) -> list[bool]:
    """Lines that do not reach the paragraphs (metadata, rules, classifier)."""
    doc = Document(id="page", source="page", raw="\n".join(lines))
    clean_document(doc, cfg)
    kept = {p.pos for p in doc.paragraphs}
    return [i not in kept for i in range(1, len(lines) + 1)]


def score(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """pairs of (is boilerplate, was removed)."""
    tp = sum(b and r for b, r in pairs)
    fp = sum(r and not b for b, r in pairs)
    fn = sum(b and not r for b, r in pairs)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "content_lost": fp,
        "content": sum(not b for b, _ in pairs),
        "boilerplate": sum(b for b, _ in pairs),
    }


def evaluate(cfg: config.Config, method: str = "classifier", verbose: bool = False) -> dict[str, dict[str, float]]:
    run = removed_by_classifier if method == "classifier" else removed_by_pipeline
    groups: dict[str, list[tuple[bool, bool]]] = {"dev": [], "held-out": [], "all": []}
    for index, (name, labelled) in enumerate(labelled_pages()):
        lines = [t for t, _ in labelled]
        removed = run(lines, cfg)
        pairs = [(not content, r) for (_, content), r in zip(labelled, removed, strict=True)]
        groups["dev" if index < DEV_PAGES else "held-out"].extend(pairs)
        groups["all"].extend(pairs)
        if verbose:
            for (text, content), r in zip(labelled, removed, strict=True):
                if content == r:
                    print(f"{name}: {'LOST' if content else 'LEFT'} {text[:100]}")
    return {k: score(v) for k, v in groups.items()}


def main() -> None:
    verbose = "--verbose" in sys.argv
    cfg = config.load(overrides={"classifier.enabled": True})
    for method in ("classifier", "pipeline"):
        for group, s in evaluate(cfg, method, verbose and method == "classifier").items():
            print(
                f"{method:<10} {group:<8} precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
                f"content lines lost {s['content_lost']} of {s['content']}  (boilerplate lines {s['boilerplate']})"
            )


if __name__ == "__main__":
    main()
