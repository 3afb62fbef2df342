"""Token precision, recall and F1 of `clean` on real pages with human gold text.

    python bench/realworld.py [--sets l3s_gn1,dragnet_2012_sample,cleaneval_final]
                              [--kinds html,visible] [--limit N] [--config FILE] [--dedup]
                              [--jobs N] [--parallel N] [--json FILE] [--compare OLD.json]
                              [--devdata DIR] [--source DIR] [--title auto|yes|no]

The dev sets (see ../shared/devdata/README.md) are read from `bench/devdata/`
(git-ignored); a set missing there is unpacked from `<source>/<set>.tar.gz`
(default `../shared/devdata` beside the repository). Each set holds, per page,
the original `<id>.html`, its visible text `<id>.visible.txt` (html-text's
`extract_text`: menus, footers and all) and the human gold `<id>.gold.txt`.

The real CLI runs once per set and input kind (`python -m corpusclean clean`
with this interpreter, the set's `.html` or `.visible.txt` files in manifest
order, `--audit` and `--report` to temporary files, `--no-dedup` unless
`--dedup`: the pages come from different sites). Output records are mapped
back to pages by their `source` field's file name.

Metric, per page: the bag (multiset) of lower-cased `\\w+` tokens (Python
`re`, Unicode) of the output against that of the gold; matches are the size
of the multiset intersection; P = matches / output tokens, R = matches / gold
tokens, F1 their harmonic mean. An empty output (a page dropped whole, or one
trafilatura finds nothing in) scores P = R = F1 = 0. Pages whose gold has no
token are skipped and counted. Figures are the mean over pages of one set,
never pooled across sets: the sets' gold conventions differ.

What is scored of a `clean` record: its `text`, with the header lines the
record moved to metadata put in front (its title, and the section label,
byline and date lines, as the audit gives them: `metadata.title`, `.section`,
`.byline`, `.date`, `.byline-date`; an HTML page's title when no line was
taken) where the set's gold holds the header (`dragnet_2012_sample`: headline,
byline and date lines; `cleaneval_final`: headings and blog dates), and not
where the gold leaves it out (`l3s_gn1`); `--title yes|no` forces one way.
Those lines were moved, not deleted, so a gold that keeps them scores them. The baselines are
scored as they come: the visible text unchanged, and trafilatura's
`extract(html)` with default options (cached under `bench/out/`, keyed by
the trafilatura version).

Per set it prints the table (HTML -> clean, trafilatura alone, visible ->
clean, visible unchanged), the pages dropped whole by reason (from the audit
and the report), and the pages that lose most F1 against the unchanged input
(visible) and against trafilatura (HTML). `--json FILE` keeps every page's
scores; `--compare OLD.json` prints the change from an earlier run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT / "bench" / "devdata"
SOURCE = ROOT.parent / "shared" / "devdata"
OUT = ROOT / "bench" / "out"
SETS = ("l3s_gn1", "dragnet_2012_sample", "cleaneval_final")
KINDS = ("html", "visible")
# Sets whose gold includes the header (devdata README): the lines moved to metadata are scored with the text.
TITLE_IN_GOLD = {"l3s_gn1": False, "dragnet_2012_sample": True, "cleaneval_final": True}
LONG_GOLD = 500  # characters: a page with this much gold text is an article that must not be dropped
WORST = 10
ROWS = (
    ("html", "HTML -> clean"),
    ("trafilatura", "trafilatura alone"),
    ("visible", "visible -> clean"),
    ("unchanged", "visible unchanged"),
)
TOKEN = re.compile(r"\w+")
# Audit rules of the header lines `clean` moves to metadata (metadata.py), in the record's order.
HEADER_RULES = frozenset({"title", "section", "byline", "date", "byline-date"})


def tokens(text: str) -> Counter[str]:
    """The bag of lower-cased `\\w+` tokens of `text` (Unicode word characters)."""
    return Counter(TOKEN.findall(text.lower()))


def prf(output: str, gold: str) -> tuple[float, float, float]:
    """Token (precision, recall, F1) of `output` against `gold`, each in [0, 1].

    Bags of lower-cased `\\w+` tokens, matched as a multiset intersection (a
    word twice in the gold matches at most twice). An output without tokens
    scores (0, 0, 0). Raises ValueError when `gold` has no token: the caller
    decides whether such a page counts.
    """
    want = tokens(gold)
    if not want:
        raise ValueError("gold has no token")
    got = tokens(output)
    if not got:
        return 0.0, 0.0, 0.0
    common = sum((got & want).values())
    if not common:
        return 0.0, 0.0, 0.0
    p = common / sum(got.values())
    r = common / sum(want.values())
    return p, r, 2 * p * r / (p + r)


@dataclass
class Page:
    id: str
    html: Path
    visible: Path
    gold: str

    def file(self, kind: str) -> Path:
        return self.html if kind == "html" else self.visible


@dataclass
class Run:
    """One `clean` run over a set's files of one kind: scored text by page id, drop reasons."""

    texts: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def ensure_set(name: str, devdata: Path, source: Path) -> Path:
    """The folder of set `name`, unpacked from `source/name.tar.gz` first if it is missing."""
    folder = devdata / name
    if (folder / "manifest.jsonl").is_file():
        return folder
    archive = source / f"{name}.tar.gz"
    if not archive.is_file():
        sys.exit(f"realworld: {folder} is missing and there is no {archive} to unpack (see --source)")
    print(f"unpacking {archive} into {devdata}", file=sys.stderr)
    devdata.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(devdata, filter="data")
    return folder


def load_pages(folder: Path, limit: int | None) -> list[Page]:
    """The set's pages in manifest order (the first `limit` of them)."""
    pages = []
    with open(folder / "manifest.jsonl", encoding="utf-8") as manifest:
        for line in manifest:
            if not line.strip():
                continue
            entry = json.loads(line)
            pages.append(
                Page(
                    str(entry["id"]),
                    folder / entry["html"],
                    folder / entry["visible"],
                    read_text(folder / entry["gold"]),
                )
            )
            if limit is not None and len(pages) >= limit:
                break
    return pages


def page_names(pages: list[Page], kind: str) -> dict[str, str]:
    """Page id by the names a record's `source` or `id` can give its file.

    A source ends in the file's name; an id is the file's stem today and is
    about to become its relative path, so the name and the name without its
    last or all suffixes all lead to the page (`a/123.visible.txt`,
    `123.visible`, `123`).
    """
    names = {}
    for page in pages:
        name = page.file(kind).name
        for key in (name, name.rsplit(".", 1)[0], name.split(".", 1)[0]):
            names.setdefault(key, page.id)
    return names


def page_of(name: str, names: dict[str, str]) -> str | None:
    """The page id of a record's source or id (a name or a path), or None."""
    return names.get(Path(name).name)


def drop_reasons(
    dropped: Iterable[str], names: dict[str, str], audit: Path, report: dict[str, Any]
) -> tuple[dict[str, str], list[str]]:
    """Why each page in `dropped` (page ids without an output record) left the corpus.

    A skipped input is `skipped.<reason>` (report). Otherwise the reason is the
    audit reason of the page's lines that the report counts among
    `documents_dropped` (a boilerplate document rule, `filter.duplicate-document`),
    else `filter.empty`: a document whose lines all went by line rules leaves
    no audit line under the filter's name. Also returns warnings where these
    counts disagree with the report's.
    """
    missing = set(dropped)
    reasons: dict[str, str] = {}
    for skip in report.get("skipped", []):
        pid = page_of(skip["source"], names)
        if pid in missing:
            reasons[pid] = f"skipped.{skip['reason']}"
    drop_keys = set(report.get("documents_dropped", {}))
    seen: dict[str, set[str]] = {}
    with open(audit, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            pid = page_of(str(record["id"]), names)
            if pid in missing and record["reason"] in drop_keys:
                seen.setdefault(pid, set()).add(record["reason"])
    for pid in missing - set(reasons):
        found = sorted(seen.get(pid, set()) - {"filter.empty"})
        reasons[pid] = found[0] if found else "filter.empty"
    warnings = []
    counted = Counter(r for r in reasons.values() if not r.startswith("skipped."))
    if counted != Counter(report.get("documents_dropped", {})):
        warnings.append(
            f"drop reasons read from the audit {dict(counted)} differ from the report's {report.get('documents_dropped')}"
        )
    return reasons, warnings


def run_clean(name: str, kind: str, pages: list[Page], args: argparse.Namespace) -> Run:
    """Run the CLI on the set's files of `kind`; the scored text of each page that has a record."""
    with tempfile.TemporaryDirectory(prefix=f"realworld-{name}-{kind}-") as tmp:
        out, audit, report_path = Path(tmp, "out.jsonl"), Path(tmp, "audit.jsonl"), Path(tmp, "report.json")
        command = [sys.executable, "-m", "corpusclean", "clean", *(str(p.file(kind)) for p in pages)]
        command += ["-o", str(out), "--audit", str(audit), "--report", str(report_path), "-q"]
        command += ["--jobs", str(args.jobs)]
        if not args.dedup:
            command.append("--no-dedup")
        if args.config:
            command += ["--config", str(args.config)]
        started = time.monotonic()
        with open(Path(tmp, "stderr"), "w+", encoding="utf-8") as stderr:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
            # wait4 gives the CPU time of this run alone (its workers included), which other
            # load on the machine does not inflate as it does the wall-clock time.
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            stderr.seek(0)
            errors = stderr.read()
        run = Run(seconds=time.monotonic() - started, cpu_seconds=usage.ru_utime + usage.ru_stime)
        if process.returncode != 0:
            sys.exit(f"realworld: clean failed on {name} {kind} (exit {process.returncode}):\n{errors}")
        run.report = json.loads(report_path.read_text(encoding="utf-8"))
        names = page_names(pages, kind)
        unknown = []
        moved = header_lines(audit)
        with open(out, encoding="utf-8") as records:
            for line in records:
                record = json.loads(line)
                pid = page_of(record["source"], names)
                if pid is None:
                    unknown.append(record["source"])
                    continue
                run.texts[pid] = record.get("text") or ""
                lines = moved.get(record["id"], [])
                if record.get("title") and not any(rule == "title" for _, rule, _ in lines):
                    lines.insert(0, (-1, "title", record["title"]))
                run.headers[pid] = "\n".join(text for _, _, text in sorted(lines))
        if unknown:
            run.warnings.append(f"{len(unknown)} records whose source is no page of the set, e.g. {unknown[0]}")
        run.dropped, warnings = drop_reasons({p.id for p in pages} - set(run.texts), names, audit, run.report)
        run.warnings += warnings
    return run


def _extract(path: str) -> str:
    import trafilatura

    return trafilatura.extract(Path(path).read_bytes()) or ""


def trafilatura_texts(name: str, pages: list[Page], workers: int) -> dict[str, str]:
    """`trafilatura.extract(html)` (default options) per page id, cached in bench/out/."""
    import trafilatura

    cache = OUT / f"trafilatura-{trafilatura.__version__}" / f"{name}.json"
    texts: dict[str, str] = json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else {}
    todo = [p for p in pages if p.id not in texts]
    if todo:
        print(f"trafilatura.extract on {len(todo)} pages of {name} (cached in {cache})", file=sys.stderr)
        with ProcessPoolExecutor(workers) as pool:
            for page, text in zip(todo, pool.map(_extract, [str(p.html) for p in todo], chunksize=8), strict=True):
                texts[page.id] = text
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(texts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return texts


def header_lines(audit: Path) -> dict[str, list[tuple[int, str, str]]]:
    """The header lines each record moved to metadata, from the audit:
    record id -> [(position, rule, text)] for the rules in HEADER_RULES."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    with open(audit, encoding="utf-8") as entries:
        for line in entries:
            entry = json.loads(line)
            if entry.get("stage") == "metadata" and entry.get("rule") in HEADER_RULES:
                found.setdefault(entry["id"], []).append((entry["position"], entry["rule"], entry["text"]))
    return found


def scored_text(run: Run, pid: str, header: bool) -> str:
    """What is scored of a page's record: its text, after the header lines it
    moved to metadata (title, byline, date) when `header`."""
    text = run.texts.get(pid, "")
    if header and run.headers.get(pid):
        return f"{run.headers[pid]}\n\n{text}"
    return text


def mean(values: list[list[float]]) -> dict[str, Any]:
    """Mean P, R and F1 of per-page [P, R, F1] lists, and how many pages."""
    return {key: sum(v[i] for v in values) / len(values) for i, key in enumerate(("P", "R", "F1"))} | {
        "pages": len(values)
    }


def score_set(pages: list[Page], runs: dict[str, Run], extracted: dict[str, str] | None, title: bool) -> dict[str, Any]:
    """Per-page scores and per-row means of one set (pages with a token-less gold skipped).

    The record's title is scored with its text when `title`; the means with the
    other convention are kept too (`other_title`), to check the choice.
    """
    scored: dict[str, dict[str, Any]] = {}
    other: dict[str, list[list[float]]] = {kind: [] for kind in runs}
    skipped = []
    for page in pages:
        if not tokens(page.gold):
            skipped.append(page.id)
            continue
        entry: dict[str, Any] = {"gold_chars": len(page.gold.strip())}
        outputs: dict[str, str] = {}
        for kind, run in runs.items():
            outputs[kind] = scored_text(run, page.id, title)
            other[kind].append(list(prf(scored_text(run, page.id, not title), page.gold)))
            if page.id in run.dropped:
                entry[f"{kind}_dropped"] = run.dropped[page.id]
        if "visible" in runs:
            outputs["unchanged"] = read_text(page.visible)
        if extracted is not None:
            outputs["trafilatura"] = extracted.get(page.id, "")
        for row, text in outputs.items():
            entry[row] = list(prf(text, page.gold))
        scored[page.id] = entry
    summary = {}
    for row, _ in ROWS:
        values = [e[row] for e in scored.values() if row in e]
        if values:
            summary[row] = mean(values)
            if other.get(row):
                summary[row]["other_title"] = mean(other[row])
    dropped: dict[str, dict[str, list[int]]] = {}
    for kind, run in runs.items():
        counts: dict[str, list[int]] = {}
        for pid, reason in sorted(run.dropped.items()):
            count = counts.setdefault(reason, [0, 0])
            count[0] += 1
            if pid in scored and scored[pid]["gold_chars"] >= LONG_GOLD:
                count[1] += 1
        dropped[kind] = dict(sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0])))
    return {
        "summary": summary,
        "pages": scored,
        "skipped_empty_gold": skipped,
        "dropped": dropped,
        "clean_seconds": {kind: round(run.seconds, 1) for kind, run in runs.items()},
        "clean_cpu_seconds": {kind: round(run.cpu_seconds, 1) for kind, run in runs.items()},
        "warnings": [w for run in runs.values() for w in run.warnings],
    }


def losers(result: dict[str, Any], row: str, base: str) -> list[tuple[float, str, dict[str, Any]]]:
    """The pages whose F1 in `row` falls furthest below their F1 in `base`, worst first."""
    pages = result["pages"]
    found = [(e[row][2] - e[base][2], pid, e) for pid, e in pages.items() if row in e and base in e]
    return sorted(f for f in found if f[0] < 0)


def print_set(name: str, result: dict[str, Any], title: str) -> None:
    print(
        f"\n== {name} ({title}; {len(result['pages'])} pages scored, {len(result['skipped_empty_gold'])} skipped for an empty gold)"
    )
    other = "with" if not result["title_scored"] else "without"
    print(f"   {'':20} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6}   (F1 {other} the header)")
    for row, label in ROWS:
        s = result["summary"].get(row)
        if s:
            alt = f"   ({s['other_title']['F1']:.3f})" if "other_title" in s else ""
            print(f"   {label:20} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['pages']:6d}{alt}")
    for kind, counts in result["dropped"].items():
        total = sum(c[0] for c in counts.values())
        long_ = sum(c[1] for c in counts.values())
        print(f"   dropped whole ({kind}): {total} pages, {long_} with gold >= {LONG_GOLD} chars")
        for reason, (n, n_long) in counts.items():
            print(f"     {reason:40} {n:4d}  ({n_long} with gold >= {LONG_GOLD})")
    pages = result["pages"]
    if "visible" in result["summary"]:
        below = [e for e in pages.values() if e["visible"][2] < e["unchanged"][2] - 0.10]
        print(f"   visible pages more than 0.10 F1 below their unchanged input: {len(below)}")
    for kind in result["dropped"]:
        long_ = sum(1 for e in pages.values() if f"{kind}_dropped" in e and e["gold_chars"] >= LONG_GOLD)
        print(f"   {kind} pages with gold >= {LONG_GOLD} chars dropped whole: {long_}")
    for row, base, label in (("visible", "unchanged", "unchanged input"), ("html", "trafilatura", "trafilatura")):
        worst = losers(result, row, base)[:WORST]
        if not worst:
            continue
        print(f"   {len(worst)} pages losing most ({row} -> clean vs {label}): id, F1 clean, F1 {label}, drop reason")
        for delta, pid, e in worst:
            reason = e.get(f"{row}_dropped", "")
            print(f"     {pid:40} {e[row][2]:.3f} {e[base][2]:.3f} {delta:+.3f} {reason}")
    for warning in result["warnings"]:
        print(f"   warning: {warning}")


def compare(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Per-set change of each row's means, and the pages whose F1 moved most."""
    print(f"\n== compared with the earlier run: {old.get('command', '?')}")
    for name, result in new["sets"].items():
        before = old.get("sets", {}).get(name)
        if before is None:
            print(f"   {name}: not in the earlier run")
            continue
        print(f"   {name}: {'':12} {'dP':>7} {'dR':>7} {'dF1':>7}  (old F1 -> new F1)")
        for row, label in ROWS:
            a, b = before["summary"].get(row), result["summary"].get(row)
            if a and b:
                d = [b[k] - a[k] for k in ("P", "R", "F1")]
                print(f"     {label:20} {d[0]:+7.3f} {d[1]:+7.3f} {d[2]:+7.3f}  ({a['F1']:.3f} -> {b['F1']:.3f})")
        for kind in KINDS:
            moved = [
                (e[kind][2] - before["pages"][pid][kind][2], pid, before["pages"][pid], e)
                for pid, e in result["pages"].items()
                if kind in e and kind in before["pages"].get(pid, {})
            ]
            moved = [m for m in moved if abs(m[0]) >= 0.001]
            if not moved:
                continue
            up = sum(1 for m in moved if m[0] > 0)
            print(f"     {kind}: {up} pages up, {len(moved) - up} down; most changed (old F1 -> new F1):")
            for delta, pid, a, b in sorted(moved, key=lambda m: (-abs(m[0]), m[1]))[:WORST]:
                was, now = a.get(f"{kind}_dropped"), b.get(f"{kind}_dropped")
                note = f"{was or 'kept'} -> {now or 'kept'}" if was or now else ""
                print(f"       {pid:40} {a[kind][2]:.3f} -> {b[kind][2]:.3f} {delta:+.3f} {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated sets (default: all three)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="html, visible or both (default)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each manifest")
    parser.add_argument("--config", type=Path, help="passed to clean --config")
    parser.add_argument("--dedup", action="store_true", help="run clean with dedup (default --no-dedup)")
    parser.add_argument("--jobs", type=int, default=1, help="clean --jobs per run (default 1)")
    parser.add_argument(
        "--parallel", type=int, default=2, help="clean runs at once, and trafilatura workers (default 2)"
    )
    parser.add_argument(
        "--title",
        choices=("auto", "yes", "no"),
        default="auto",
        help="score the header lines moved to metadata (title, byline, date) with the text",
    )
    parser.add_argument("--json", type=Path, help="write every page's scores and the summary here")
    parser.add_argument("--compare", type=Path, help="an earlier --json file to compare with")
    parser.add_argument("--devdata", type=Path, default=DEVDATA, help=f"unpacked sets (default {DEVDATA})")
    parser.add_argument(
        "--source", type=Path, default=SOURCE, help=f"the sets' .tar.gz, unpacked when missing (default {SOURCE})"
    )
    parser.add_argument("--no-trafilatura", action="store_true", help="leave out the trafilatura baseline")
    args = parser.parse_args(argv)
    names = [s for s in args.sets.split(",") if s]
    kinds = [k for k in args.kinds.split(",") if k]
    if bad := [k for k in kinds if k not in KINDS]:
        parser.error(f"--kinds: unknown {bad}")
    # Read before anything runs: --json may name the same file.
    old = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    started = time.monotonic()
    pages = {name: load_pages(ensure_set(name, args.devdata, args.source), args.limit) for name in names}
    extracted: dict[str, dict[str, str]] = {}
    if not args.no_trafilatura:
        for name in names:
            extracted[name] = trafilatura_texts(name, pages[name], args.parallel)
    # PYTHONPATH is inherited: a worktree's sources run when it points at them.
    # The largest inputs start first, so that the runs in parallel end close together.
    order = sorted(
        ((n, k) for n in names for k in kinds), key=lambda nk: -sum(p.file(nk[1]).stat().st_size for p in pages[nk[0]])
    )
    with ThreadPoolExecutor(args.parallel) as pool:
        futures = {(n, k): pool.submit(run_clean, n, k, pages[n], args) for n, k in order}
        runs = {(n, k): futures[n, k].result() for n in names for k in kinds}
    results = {}
    for name in names:
        title = args.title == "yes" or (args.title == "auto" and TITLE_IN_GOLD.get(name, False))
        result = score_set(pages[name], {k: runs[name, k] for k in kinds}, extracted.get(name), title)
        result["title_scored"] = title
        results[name] = result
        print_set(name, result, "header + text scored" if title else "text scored, header not")
    seconds = time.monotonic() - started
    command = " ".join(["python", "bench/realworld.py", *(argv if argv is not None else sys.argv[1:])])
    cpu = sum(r.cpu_seconds for r in runs.values())
    print(f"\n{seconds:.0f} s in all; clean runs {cpu:.0f} CPU s (wall-clock s / CPU s):")
    for (n, k), r in runs.items():
        print(f"   {n} {k}: {r.seconds:.0f} / {r.cpu_seconds:.0f}")
    data = {
        "command": command,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "pythonpath": os.environ.get("PYTHONPATH", ""),
        "sets": results,
        "seconds": round(seconds, 1),
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    if old is not None:
        compare(old, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
