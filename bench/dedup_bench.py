"""Benchmark paragraph dedup: speed, peak memory, and recall and precision
against brute-force rapidfuzz.

    python bench/gen_paragraphs.py 1000000 -o bench/out/paras-1m.tsv
    python bench/dedup_bench.py bench/out/paras-1m.tsv --jobs 2 --sample 1000 --seed 0 --seed 1 \
        --truth-cache bench/out/truth

Sketching (keys, digests, MinHash, sentence hashes) runs in --jobs worker
processes over chunks of whole documents, as the pipeline's workers do; the
index, candidates, verification and decisions run in this process, exactly
as in `clean`. Peak memory is resource.getrusage's ru_maxrss of this process
and of the largest worker, taken before the evaluation loads any text.

Recall: --sample paragraphs (long enough for the near-duplicate index) are
compared by process.cdist with every indexed paragraph; a pair at or above
the threshold whose facts agree (dedup.facts_agree, the rule the index
verifies with) is a true pair, and counts as found when the index put both
in one exact group or verified them as a near-duplicate pair. Pairs at the
threshold whose facts disagree are counted apart (truth_pairs_facts_disagree). With --sample 0 all pairs of all
indexed paragraphs are compared (feasible up to about 50,000 paragraphs).
Precision: the share of the index's verified pairs (a sample) whose score,
recomputed from the original texts, reaches the threshold and whose facts agree.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rapidfuzz import process

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corpusclean import config as config_module  # noqa: E402
from corpusclean import dedup  # noqa: E402
from corpusclean.filters import verdict  # noqa: E402

CHUNK = 20_000
_cfg: dict[str, Any] = {}


def _init(cfg: dict[str, Any]) -> None:
    _cfg.update(cfg)


def _sketch(chunk: list[tuple[str, str]]) -> tuple[list[str], list[int], np.ndarray, np.ndarray, dedup.Sketch]:
    """One chunk of whole documents -> what Index.add_documents takes."""
    texts = [t for _, t in chunk]
    ids: list[str] = []
    sizes: list[int] = []
    positions: list[int] = []
    for doc, _ in chunk:
        if not ids or ids[-1] != doc:
            ids.append(doc)
            sizes.append(0)
        positions.append(sizes[-1] + 1)
        sizes[-1] += 1
    chars = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return ids, sizes, np.array(positions, dtype=np.int32), chars, dedup.sketch(texts, _cfg)


def chunks(path: str, limit: int | None) -> Iterator[list[tuple[str, str]]]:
    """Lines of whole documents, about CHUNK paragraphs at a time."""
    chunk: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as stream:
        for n, line in enumerate(stream):
            if limit is not None and n >= limit:
                break
            doc, _, text = line.rstrip("\n").partition("\t")
            if len(chunk) >= CHUNK and doc != chunk[-1][0]:
                yield chunk
                chunk = []
            chunk.append((doc, text))
    if chunk:
        yield chunk


def brute_force(
    keys: list[str], eligible: np.ndarray, queries: np.ndarray, scorer: Any, threshold: float, all_pairs: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (query, other) of eligible paragraphs at or above the threshold, by process.cdist."""
    choice_keys = [keys[i] for i in eligible]
    truth_p: list[np.ndarray] = []
    truth_q: list[np.ndarray] = []
    for lo in range(0, len(queries), 500):
        part = queries[lo : lo + 500]
        scores = process.cdist(
            [keys[i] for i in part], choice_keys, scorer=scorer, score_cutoff=threshold, dtype=np.uint8, workers=-1
        )
        rows, cols = np.nonzero(scores >= threshold)
        p, q = part[rows], eligible[cols]
        keep = p < q if all_pairs else p != q
        truth_p.append(p[keep])
        truth_q.append(q[keep])
    return np.concatenate(truth_p), np.concatenate(truth_q)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def evaluate(
    index: dedup.Index, args: argparse.Namespace, keys: list[str], texts: list[str], eligible: np.ndarray, seed: int
) -> dict[str, Any]:
    """Recall against brute force on one sample of queries, and precision on a sample of verified pairs."""
    dcfg = index.cfg
    scorer = dedup.SCORERS[dcfg["scorer"]]
    threshold = dcfg["threshold"]
    rng = random.Random(seed)
    queries = eligible if args.sample == 0 else np.array(sorted(rng.sample(list(eligible), args.sample)))
    clock = time.perf_counter()
    cache = None
    if args.truth_cache:
        stat = Path(args.input).stat()
        name = f"{Path(args.input).name}-{stat.st_size}-{stat.st_mtime_ns}-{args.limit}-{args.sample}-{seed}"
        name += f"-{dcfg['scorer']}-{threshold}-{dcfg['min_chars']}.npz"
        cache = Path(args.truth_cache) / name
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            tp, tq = saved["p"], saved["q"]
    else:
        tp, tq = brute_force(keys, eligible, queries, scorer, threshold, all_pairs=args.sample == 0)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, p=tp, q=tq)
    words = dedup.fact_words(dcfg)
    facts: dict[int, tuple[str, ...]] = {}

    def agree(p: int, q: int) -> bool:
        for i in (p, q):
            if i not in facts:
                facts[i] = dedup.key_facts(keys[i], words)
        return dedup.facts_agree(facts[p], facts[q])

    same_facts = np.array([agree(p, q) for p, q in zip(tp.tolist(), tq.tolist(), strict=True)], dtype=bool)
    disagree = int((~same_facts).sum())
    tp, tq = tp[same_facts], tq[same_facts]
    found = index.linked(tp, tq)
    missed = [(int(a), int(b)) for a, b in zip(tp[~found], tq[~found], strict=True)][:5]
    # Precision: recompute the score of a sample of the index's verified pairs from the texts.
    codes = index.near_codes
    pick = codes if len(codes) <= args.precision_sample else np.array(rng.sample(list(codes), args.precision_sample))
    reps = index.group_rep
    good = sum(
        scorer(keys[reps[c // index.n_groups]], keys[reps[c % index.n_groups]]) >= threshold
        and agree(int(reps[c // index.n_groups]), int(reps[c % index.n_groups]))
        for c in pick.tolist()
    )
    return {
        "queries": len(queries),
        "truth_pairs": len(tp),
        "truth_pairs_facts_disagree": disagree,
        "found": int(found.sum()),
        "recall": round(float(found.mean()), 5) if len(tp) else None,
        "precision": round(good / len(pick), 5) if len(pick) else None,
        "precision_pairs_checked": len(pick),
        "brute_force_seconds": round(time.perf_counter() - clock, 1),
        "missed_examples": [
            {"a": texts[a], "b": texts[b], "score": round(scorer(keys[a], keys[b]), 1)} for a, b in missed
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="document<TAB>paragraph lines (bench/gen_paragraphs.py)")
    parser.add_argument("--limit", type=int, help="use only the first N paragraphs")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=1000, help="queries for brute-force recall; 0 = all pairs")
    parser.add_argument(
        "--seed", type=int, action="append", help="seed of the sample of queries (repeat for several samples; 0)"
    )
    parser.add_argument(
        "--truth-cache",
        help="folder that keeps brute-force pairs between runs (they depend on the input, not the index)",
    )
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--precision-sample", type=int, default=20_000)
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="config override, e.g. dedup.num_perm=128"
    )
    parser.add_argument("--json", help="append the figures as one JSON line to this file")
    args = parser.parse_args()

    overrides: dict[str, Any] = {"dedup.threshold": args.threshold} if args.threshold is not None else {}
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    cfg = config_module.load(None, overrides)
    dcfg, fcfg = cfg.dedup, cfg.filter

    start = time.perf_counter()
    index = dedup.Index(dcfg, lambda kept, dup: verdict(kept, dup, fcfg), args.jobs)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.jobs, initializer=_init, initargs=(dcfg,)) as pool:
        for ids, sizes, positions, chars, sk in pool.imap(_sketch, chunks(args.input, args.limit)):
            index.add_documents(ids, sizes, positions, chars, sk)
    sketched = time.perf_counter()
    index.resolve()
    done = time.perf_counter()
    peak_parent, peak_worker = peak_mb(resource.RUSAGE_SELF), peak_mb(resource.RUSAGE_CHILDREN)
    n = index.n
    removed = len(index._decisions)
    figures: dict[str, Any] = {
        "paragraphs": n,
        "jobs": args.jobs,
        "threshold": dcfg["threshold"],
        "wall_seconds": round(done - start, 2),
        "paragraphs_per_second": round(n / (done - start)),
        "seconds": {"read+sketch (workers)": round(sketched - start, 2), **index.stats["seconds"]},
        "peak_rss_mb": {"parent": round(peak_parent), "largest_worker": round(peak_worker)},
        "removed_paragraphs": removed,
        "rules": {},
        **{k: v for k, v in index.stats.items() if k != "seconds"},
    }
    for decision in index._decisions.values():
        figures["rules"][decision.rule] = figures["rules"].get(decision.rule, 0) + 1
    print(json.dumps(figures, indent=2), flush=True)

    # -- evaluation (not timed): keys of every paragraph, brute force on a sample
    texts = [t for chunk in chunks(args.input, args.limit) for _, t in chunk]
    keys = [dedup.match_key(t) for t in texts]
    eligible = np.flatnonzero(np.fromiter(map(len, keys), dtype=np.int64) >= dcfg["min_chars"])
    evaluation: dict[str, Any] = {}
    for seed in args.seed or [0]:
        evaluation[f"sample seed {seed}"] = evaluate(index, args, keys, texts, eligible, seed)
    short = len(keys) - len(eligible)
    evaluation["paragraphs_below_min_chars_exact_only"] = short
    print(json.dumps(evaluation, indent=2, ensure_ascii=False))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as out:
            out.write(json.dumps({**figures, "evaluation": evaluation}, ensure_ascii=False) + "\n")
    index.close()


if __name__ == "__main__":
    main()
