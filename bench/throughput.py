"""Throughput benchmark: `clean` against the I/O floor on a generated corpus.

    python bench/throughput.py --mb 200 --dir /tmp/cc-bench

Generates (once, reused if present) a corpus of news-like articles with
boilerplate lines, mojibake and CRLF files, and near-duplicate paragraphs
across documents; then measures in one run:

- the floor: read every file and write one JSON line per document, no cleaning
  (run twice, the faster counting, so that it reads the same warm page cache
  as the runs after it);
- `clean --no-dedup` and full `clean`, with --jobs 1 and --jobs 2;

each in MB/s, as a ratio of its time to the floor's, and with peak memory
(max RSS of the process tree). With --repeat N every run is done N times,
in N rounds of all of them (a slow spell of a shared machine then hits
every run alike), and the fastest of each counts.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_paragraphs import Generator  # noqa: E402

BOILERPLATE = [
    "Subscribe",
    "Video Loading",
    "Share this article",
    "Related: More stories from the region",
    "COMMENT:",
    "From \u00a312 / month",
    "Watch: the moment the bridge reopened",
    "Image copyright Getty Images",
    "Read more: How the scheme works",
]
BYLINES = ["By Ana Lima", "By Tom Okafor", "By Lee Berg", "By Sara Ng", "Hana Sato, Health correspondent"]


def article(rng: random.Random, title: str, paragraphs: list[str]) -> str:
    """One scraped page: headline, byline, paragraphs with boilerplate lines
    among them; a few pages carry mojibake or CRLF line ends."""
    lines = [title, "", rng.choice(BYLINES), ""]
    for text in paragraphs:
        if rng.random() < 0.08:
            lines += [rng.choice(BOILERPLATE), ""]
        lines += [text, ""]
    text = "\n".join(lines)
    if rng.random() < 0.05:
        text = text.replace("'", "\u2019").encode("utf-8").decode("cp1252", errors="replace")  # mojibake
    if rng.random() < 0.10:
        text = text.replace("\n", "\r\n")
    return text


def generate(folder: Path, megabytes: float, seed: int = 7) -> None:
    """News-like prose (bench/gen_paragraphs.py: a Markov chain with names,
    quotes and about 10% near-duplicate paragraphs across documents)."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == f"{megabytes}:{seed}:v2":
        return
    rng = random.Random(seed)
    paragraphs = Generator(seed, dup_rate=0.10).documents(10**12)
    folder.mkdir(parents=True, exist_ok=True)
    written, n = 0, 0
    doc, text = next(paragraphs)
    while written < megabytes * 1e6:
        number, body = doc, [text]
        for doc, text in paragraphs:
            if doc != number:
                break
            body.append(text)
        title = " ".join(body[0].split()[:9]).rstrip(".,")
        sub = folder / f"{n // 1000:04d}"
        sub.mkdir(exist_ok=True)
        data = article(rng, title, body[1:]).encode("utf-8")
        (sub / f"doc{n:07d}.txt").write_bytes(data)
        written += len(data)
        n += 1
    marker.write_text(f"{megabytes}:{seed}:v2")


FLOOR = """
import json, os, sys
out = open(sys.argv[2], "w", encoding="utf-8")
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.startswith("."):
            continue
        path = os.path.join(root, name)
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        out.write(json.dumps({"id": name, "source": path, "text": text}, ensure_ascii=False) + "\\n")
out.close()
"""


WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of `cmd`, and the peak RSS (MB) of its largest process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=200, help="corpus size in MB")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/corpusclean-bench"), help="where the corpus lives")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all runs; the fastest of each counts")
    args = parser.parse_args()
    corpus = args.dir / f"corpus-{args.mb:g}mb"
    generate(corpus, args.mb)
    size = sum(p.stat().st_size for p in corpus.rglob("*.txt"))
    files = sum(1 for _ in corpus.rglob("*.txt"))
    out = args.dir / "out.jsonl"
    print(f"corpus: {corpus} ({size / 1e6:.1f} MB, {files} files)")
    runs = [("floor", [sys.executable, "-c", FLOOR, str(corpus), str(out)])]
    for jobs in args.jobs:
        base = [sys.executable, "-m", "corpusclean", "clean", str(corpus), "-o", str(out), "-q", "-j", str(jobs)]
        runs.append((f"clean --no-dedup --jobs {jobs}", [*base, "--no-dedup"]))
        runs.append((f"clean --jobs {jobs}", base))
    best: dict[str, tuple[float, float, dict[str, Any]]] = {}
    for round_ in range(1, max(args.repeat, 1) + 1):
        for name, cmd in runs:
            report = args.dir / "report.json"
            report.unlink(missing_ok=True)
            if name == "floor":
                # Twice, the faster counting: the first run may read a cold page
                # cache, and every run after it reads a warm one.
                seconds, peak = min(timed(cmd), timed(cmd))
            else:
                seconds, peak = timed([*cmd, "--report", str(report)])
            counts = json.loads(report.read_text()) if report.exists() else {}
            print(f"round {round_}: {name}: {seconds:.2f} s", file=sys.stderr, flush=True)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, peak, counts)
    results = {}
    floor = best["floor"][0]
    print(f"{'run':<28}{'seconds':>9}{'MB/s':>9}{'x floor':>9}")
    print(f"{'':<55}{'peak MB (main / workers)':>26}")
    for name, _ in runs:
        seconds, peak, counts = best[name]
        memory = counts.get("peak_rss_mb", {"main": peak, "workers": 0})
        results[name] = {
            "seconds": round(seconds, 2),
            "mb_per_s": round(size / 1e6 / seconds, 2),
            "ratio_to_floor": round(seconds / floor, 2),
            "peak_mb_main": memory["main"],
            "peak_mb_workers": memory["workers"],
        }
        if "dedup" in counts.get("stages", {}):  # the serial part: resolve in the main process
            results[name]["dedup_resolve_seconds"] = counts["stages"]["dedup"]["seconds"]
        r = results[name]
        print(
            f"{name:<28}{r['seconds']:>9}{r['mb_per_s']:>9}{r['ratio_to_floor']:>9}"
            f"{r['peak_mb_main']:>16} / {r['peak_mb_workers']}",
            flush=True,
        )
    for jobs in args.jobs[1:]:
        for run in ("clean", "clean --no-dedup"):
            speedup = results[f"{run} --jobs 1"]["seconds"] / results[f"{run} --jobs {jobs}"]["seconds"]
            print(f"speed-up of --jobs {jobs} over --jobs 1 ({run}): {speedup:.2f}x")
    for name, r in results.items():
        if "dedup_resolve_seconds" in r:
            print(f"dedup resolve in {name}: {r['dedup_resolve_seconds']}")
    (args.dir / "throughput.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
