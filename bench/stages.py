"""Seconds spent in each per-document stage, to find the hot spots.

    python bench/stages.py /tmp/ccb/corpus-20mb [N]

Runs every stage in this process on the first N files (all by default) of a
corpus made by bench/throughput.py and prints the seconds per stage.
"""

import glob
import sys
import time

from corpusclean import config, dedup
from corpusclean.boilerplate import strip_boilerplate
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
    ("revisions", lambda doc: unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)),
    ("boilerplate", lambda doc: strip_boilerplate(doc, cfg.rules, cfg.boilerplate)),
    ("metadata", lambda doc: extract_metadata(doc, cfg.metadata)),
    ("paragraphs", lambda doc: split_paragraphs(doc, cfg.paragraphs)),
    ("sketch", lambda doc: dedup.sketch([p.text for p in doc.paragraphs], cfg.dedup)),
    ("write", lambda doc: dumps(document_record(doc))),
]
seconds = dict.fromkeys(["read", *(name for name, _ in STAGES)], 0.0)
for f in files:
    start = time.perf_counter()
    doc = next(read_documents(Source(f, f), cfg.input))
    seconds["read"] += time.perf_counter() - start
    for name, stage in STAGES:
        start = time.perf_counter()
        stage(doc)
        seconds[name] += time.perf_counter() - start
print({k: round(v, 2) for k, v in seconds.items()}, "total", round(sum(seconds.values()), 2))
