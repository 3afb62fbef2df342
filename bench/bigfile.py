"""Memory of one large document: `clean` on a single generated text file.

    python bench/bigfile.py --mb 20 [--jobs 2] [--dir /tmp/cc-bigfile]

Generates (once, reused if present) one plain-text file of news-like
paragraphs, with boilerplate lines and about 10% near-duplicate paragraphs
within it, and runs `clean FILE -o out.jsonl --report r.json` on it. Prints
the file's size, the run's seconds, and the peak resident memory (max RSS,
from the report's `peak_rss_mb`) of the main process and of the largest
worker, each also as a multiple of the file size; then the same command's
peaks on a file of the first few lines (the processes at rest: interpreter,
libraries, config, rule screens, the language model's pages a worker reads),
and what the long document added to them, as a multiple of its size. The
README's limits quote this script's figures; exits 1 when either peak
passes --max-ratio times the file size (default 10).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_paragraphs import Generator  # noqa: E402

BOILERPLATE = ["Subscribe", "Video Loading", "Share this article", "Image copyright Getty Images"]


def generate(path: Path, megabytes: float, seed: int = 11) -> None:
    """One document of about `megabytes` MB: paragraphs separated by blank
    lines, a boilerplate line now and then, and near-copies of earlier
    paragraphs (about one in ten)."""
    rng = random.Random(seed)
    gen = Generator(seed)
    target = int(megabytes * 1e6)
    written = 0
    earlier: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        out.write("One very long page\n\nBy Ana Lima\n\n")
        while written < target:
            if earlier and rng.random() < 0.1:
                words = rng.choice(earlier).split()
                words[rng.randrange(len(words))] = "changed"
                text = " ".join(words)
            else:
                text = gen.paragraph()
                if len(earlier) < 5000:
                    earlier.append(text)
            if rng.random() < 0.05:
                text = rng.choice(BOILERPLATE) + "\n\n" + text
            out.write(text + "\n\n")
            written += len(text.encode("utf-8")) + 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/corpusclean-bigfile"))
    parser.add_argument("--max-ratio", type=float, default=10.0)
    parser.add_argument("--no-dedup", action="store_true")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / f"page-{args.mb:g}mb.txt"
    if not source.exists():
        generate(source, args.mb)
    size_mb = source.stat().st_size / 1e6
    rest = args.dir / "page-rest.txt"
    with source.open(encoding="utf-8") as lines:
        rest.write_text("".join(next(lines) for _ in range(20)), encoding="utf-8")
    seconds, (main_mb, worker_mb) = run(source, "", args)
    _, (main_rest, worker_rest) = run(rest, "-rest", args)
    print(f"file {size_mb:,.1f} MB, --jobs {args.jobs}: {seconds:,.1f} s")
    print(
        f"peak RSS main {main_mb:,.0f} MB ({main_mb / size_mb:.1f}x), workers {worker_mb:,.0f} MB ({worker_mb / size_mb:.1f}x)"
    )
    added_main, added_worker = main_mb - main_rest, worker_mb - worker_rest
    print(
        f"at rest (a file of {rest.stat().st_size:,} bytes): main {main_rest:,.0f} MB, workers {worker_rest:,.0f} MB;"
        f" the document added main {added_main:,.0f} MB ({added_main / size_mb:.1f}x),"
        f" workers {added_worker:,.0f} MB ({added_worker / size_mb:.1f}x)"
    )
    sys.exit(1 if max(main_mb, worker_mb) > args.max_ratio * size_mb else 0)


def run(source: Path, tag: str, args: argparse.Namespace) -> tuple[float, tuple[float, float]]:
    """`clean` on one file with this interpreter (so it runs the corpusclean
    on its path), writing out{tag}.jsonl and report{tag}.json: the seconds,
    and the main process's and the largest worker's peak RSS in MB."""
    report = args.dir / f"report{tag}.json"
    cmd = [sys.executable, "-m", "corpusclean", "clean", str(source), "-o", str(args.dir / f"out{tag}.jsonl"), "-q"]
    cmd += ["--report", str(report), "-j", str(args.jobs)] + (["--no-dedup"] if args.no_dedup else [])
    started = time.monotonic()
    subprocess.run(cmd, check=True)
    seconds = time.monotonic() - started
    peaks = json.loads(report.read_text(encoding="utf-8"))["peak_rss_mb"]
    return seconds, (peaks["main"], peaks["workers"])


if __name__ == "__main__":
    main()
