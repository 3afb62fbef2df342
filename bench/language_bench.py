"""Cost and outcome of language identification and of the metadata stage on real pages.

    python bench/language_bench.py bench/devdata

For each dev set (see ../shared/devdata/README.md) and each input kind
(visible text, gold text) it runs normalise, identify_language and, after
the boilerplate rules, extract_metadata on every page, in this process, and
prints: CPU milliseconds per document for identification (first call, which
loads the model, apart) and for the metadata stage (which calls dateparser
on date-like header lines), the languages found, the confidence's
quantiles, and how many titles, bylines and dates were taken.
"""

from __future__ import annotations

import glob
import statistics
import sys
import time
from collections import Counter

from corpusclean import config
from corpusclean.boilerplate import strip_boilerplate
from corpusclean.document import Document
from corpusclean.language import identifier, identify_language
from corpusclean.metadata import extract_metadata
from corpusclean.normalise import normalise
from corpusclean.revisions import unwrap_revisions

cfg = config.load()
t0 = time.process_time()
identifier()
print(f"model load: {time.process_time() - t0:.2f} s (once per process)")

for folder in sorted(glob.glob(sys.argv[1] + "/*/")):
    for kind in ("visible", "gold"):
        files = sorted(glob.glob(f"{folder}*.{kind}.txt"))
        if not files:
            continue
        ident = meta = 0.0
        languages: Counter[str] = Counter()
        confidences: list[float] = []
        taken: Counter[str] = Counter()
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            doc = Document(id=path, source=path, raw=text, chars_in=len(text))
            normalise(doc, cfg.normalise)
            t = time.process_time()
            identify_language(doc, cfg.language)
            ident += time.process_time() - t
            languages[doc.metadata["language"] or "und"] += 1
            if doc.metadata["language_confidence"] is not None:
                confidences.append(doc.metadata["language_confidence"])
            unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)
            strip_boilerplate(doc, cfg.rules, cfg.boilerplate)
            t = time.process_time()
            extract_metadata(doc, cfg.metadata)
            meta += time.process_time() - t
            taken.update(k for k in ("author", "date", "section") if doc.metadata.get(k))
            taken["title"] += doc.title is not None
        n = len(files)
        q = statistics.quantiles(confidences, n=10) if len(confidences) > 1 else []
        print(
            f"{folder.rstrip('/').split('/')[-1]} {kind}: {n} pages; identify {1000 * ident / n:.2f} ms/doc; "
            f"metadata {1000 * meta / n:.2f} ms/doc; languages {dict(languages.most_common(8))}; "
            f"confidence p10 {q[0] if q else '-'} median {statistics.median(confidences) if confidences else '-'}; "
            f"taken {dict(sorted(taken.items()))}"
        )
