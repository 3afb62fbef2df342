"""Seconds spent in each per-document stage, to find the hot spots.

    python bench/stages.py /tmp/corpusclean-bench/corpus-200mb [N]

Runs every stage in this process on the first N files (all by default) of a
corpus made by bench/throughput.py and prints the seconds per stage, and
each as a multiple of the I/O floor (reading the files and writing one JSON
line per document, timed here too). Dedup's sketch runs, as in `clean`, on
batches of documents (numpy's cost per call would swamp one document's).
"""

import glob
import json
import os
import sys
import tempfile
import time

from corpusclean import config, dedup
from corpusclean.boilerplate import strip_boilerplate
from corpusclean.language import identify_language
from corpusclean.metadata import extract_metadata
from corpusclean.normalise import normalise
from corpusclean.paragraphs import split_paragraphs
from corpusclean.read import Source, read_documents
from corpusclean.revisions import unwrap_revisions
from corpusclean.write import document_record, dumps

cfg = config.load()
files = sorted(glob.glob(sys.argv[1] + "/*/*.txt"))[: int(sys.argv[2]) if len(sys.argv) > 2 else None]
STAGES = [
    ("normalise", lambda doc: normalise(doc, cfg.normalise)),
    ("language", lambda doc: identify_language(doc, cfg.language)),
    ("revisions", lambda doc: unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)),
    ("boilerplate", lambda doc: strip_boilerplate(doc, cfg.rules, cfg.boilerplate)),
    ("metadata", lambda doc: extract_metadata(doc, cfg.metadata)),
    ("paragraphs", lambda doc: split_paragraphs(doc, cfg.paragraphs)),
    ("write", lambda doc: dumps(document_record(doc))),
]
BATCH = 16  # documents per sketch call, as pipeline.BATCH_SOURCES


def floor_seconds() -> float:
    """The floor as bench/throughput.py times it (read, decode, one JSON line
    per file into a file), on the same files; the fastest of three."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(3):
            start = time.perf_counter()
            with open(os.path.join(folder, "floor.jsonl"), "w", encoding="utf-8") as out:
                for path in files:
                    with open(path, "rb") as f:
                        text = f.read().decode("utf-8", errors="replace")
                    out.write(json.dumps({"id": path, "source": path, "text": text}, ensure_ascii=False) + "\n")
            best = min(best, time.perf_counter() - start)
    return best


floor = floor_seconds()
seconds = dict.fromkeys(["read", *(name for name, _ in STAGES), "sketch"], 0.0)
batch = []
for i, f in enumerate(files):
    start = time.perf_counter()
    doc = next(read_documents(Source(f, f), cfg.input))
    seconds["read"] += time.perf_counter() - start
    for name, stage in STAGES:
        start = time.perf_counter()
        stage(doc)
        seconds[name] += time.perf_counter() - start
    batch.append(doc)
    if len(batch) == BATCH or i == len(files) - 1:
        start = time.perf_counter()
        dedup.document_rows(batch, cfg.dedup)
        seconds["sketch"] += time.perf_counter() - start
        batch = []
total = sum(seconds.values())
print(f"floor {floor:.2f} s")
for name, value in [*seconds.items(), ("total", total)]:
    print(f"{name:12} {value:6.2f} s {value / floor:6.1f} x floor")
