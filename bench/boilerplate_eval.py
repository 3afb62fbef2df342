"""Precision and recall of boilerplate line removal on a labelled corpus.

    python bench/boilerplate_eval.py [tests/data/labelled] [--config my.yaml] [--misses]

Each file of the corpus is an article whose every line carries a label:

    T| a line of text that must stay (prose, subhead, quote)
    H| a header line (headline, byline, dateline): stays or moves to metadata,
       never removed as boilerplate
    B| a boilerplate line that must leave the text (removed or moved to metadata)
    S| a line with a boilerplate span in [[double brackets]] that must be
       stripped while the rest of the line stays

The labels are cut off and the text goes through the real pipeline
(`corpusclean.clean_text`, dedup off). A boilerplate line or span that left
the text is a true positive; one that stayed a false negative; a T or H line
(or the rest of an S line) that lost text is a false positive.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpusclean import config as config_module
from corpusclean.boilerplate import is_prose
from corpusclean.document import Document
from corpusclean.pipeline import clean_text

SPAN = re.compile(r"\[\[(.*?)\]\]")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled"


@dataclass
class Labelled:
    pos: int
    label: str
    text: str  # the line as the pipeline sees it (labels and [[ ]] removed)
    span: str = ""  # S lines: the boilerplate span
    rest: str = ""  # S lines: what must stay


@dataclass
class Result:
    files: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)
    prose_lost: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "boilerplate_units": self.tp + self.fn,
            "true_positives": self.tp,
            "false_positives": self.fp,
            "false_negatives": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "prose_lines_lost": len(self.prose_lost),
        }


def parse(path: Path) -> tuple[str, list[Labelled]]:
    """The raw text to clean and the labels of its lines."""
    lines: list[str] = []
    labels: list[Labelled] = []
    for pos, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not raw.strip():
            lines.append("")
            continue
        label, sep, text = raw.partition("| ")
        if not sep or label not in {"T", "H", "B", "S"}:
            raise ValueError(f"{path}:{pos}: a line must start with 'T| ', 'H| ', 'B| ' or 'S| '")
        if label == "S":
            span = " ".join(SPAN.findall(text)).strip()
            rest = " ".join(SPAN.sub(" ", text).split())
            text = SPAN.sub(r"\1", text)
            labels.append(Labelled(pos, label, text, span, rest))
        else:
            labels.append(Labelled(pos, label, text))
        lines.append(text)
    return "\n".join(lines), labels


def kept_text(doc: Document, raw_lines: list[str]) -> dict[int, str]:
    """What of each input line is still in the output text, by input position.

    A paragraph starts at its first line; a hard-wrapped paragraph also holds
    the non-blank lines that follow it directly, when their text is in it.
    """
    kept: dict[int, str] = {}
    for paragraph in doc.paragraphs:
        kept[paragraph.pos] = paragraph.text
        pos = paragraph.pos + 1
        while pos <= len(raw_lines) and raw_lines[pos - 1].strip() and raw_lines[pos - 1].strip() in paragraph.text:
            if pos in kept:
                break
            kept[pos] = raw_lines[pos - 1].strip()
            pos += 1
    return kept


def evaluate_file(path: Path, cfg: config_module.Config, result: Result) -> None:
    text, labels = parse(path)
    doc = clean_text(text, cfg, doc_id=path.stem)
    kept = kept_text(doc, text.split("\n"))
    moved = {r.pos for r in doc.removals if r.stage == "metadata"}
    boilerplate_removed = {r.pos for r in doc.removals if r.stage == "boilerplate"}
    result.files += 1
    for item in labels:
        where = f"{path.name}:{item.pos}: {item.text}"
        out = kept.get(item.pos)
        if item.label == "B":
            if out is None:
                result.tp += 1
            else:
                result.fn += 1
                result.false_negatives.append(where)
        elif item.label == "S":
            if out is not None and item.span not in out:
                result.tp += 1
            else:
                result.fn += 1
                result.false_negatives.append(where + "  [span kept]")
            if out is None or item.rest not in out:
                result.fp += 1
                result.false_positives.append(where + "  [rest lost]")
        elif item.label == "H":
            if out is None and (item.pos in boilerplate_removed or item.pos not in moved):
                result.fp += 1
                result.false_positives.append(where)
        elif out is None or item.text.strip() not in out:
            result.fp += 1
            result.false_positives.append(where)
            if is_prose(item.text, cfg.boilerplate["prose_min_words"]):
                result.prose_lost.append(where)


def evaluate(corpus: Path = DEFAULT_CORPUS, config_path: str | None = None) -> Result:
    cfg = config_module.load(config_path, {"dedup.enabled": False})
    result = Result()
    for path in sorted(corpus.glob("*.txt")):
        evaluate_file(path, cfg, result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--config", help="YAML file laid over the default config")
    parser.add_argument("--misses", action="store_true", help="list every false positive and false negative")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus, args.config)
    print(json.dumps(result.to_dict(), indent=2))
    if args.misses:
        for line in result.false_positives:
            print(f"FP {line}", file=sys.stderr)
        for line in result.false_negatives:
            print(f"FN {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
