"""Cost of the revisions stage against line length: it must grow linearly.

    python bench/revisions.py

For rows of 10k to 1.6M characters of generated prose, times the stage on
four kinds of line: a long line that is not doubled, a line doubled outside
a news-diff page, and on a news-diff page an edited row (old version then
new) and a row only one version holds. Prints milliseconds per row and per
100k characters; the last column stays flat when the cost is linear (a
quadratic split search would grow it a hundredfold over this range).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from corpusclean.config import Config, load
from corpusclean.document import Document
from corpusclean.normalise import normalise
from corpusclean.revisions import unwrap_revisions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_revisions import long_text  # noqa: E402  (the same prose the tests use)

HEAD = (
    "This article is from the source 'echo' and was first published or seen on . "
    "It will not be checked again for changes.\nVersion 1 Version 2\nA title A title\n(about 1 hour later)\n"
)
SIZES = (10_000, 100_000, 400_000, 1_600_000)
REPEATS = 3


def prose(chars: int, seed: int) -> str:
    return long_text(chars, seed)[:chars].rsplit(" ", 1)[0] + "."


def pages(chars: int) -> dict[str, str]:
    half = prose(chars // 2, 1)
    middle = len(half) // 2
    edited = half[:middle] + " The ferry was delayed by fog." + half[middle:].replace("harbour", "port", 3)
    return {
        "plain line": "Title\n" + prose(chars, 2),
        "doubled line": "Title\n" + half + half,
        "edited row": HEAD + half + edited,
        "single-version row": HEAD + prose(chars, 3),
    }


def timed(text: str, cfg: Config) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        doc = Document(id="bench", source="<bench>", raw=text, chars_in=len(text))
        normalise(doc, cfg.normalise)
        start = time.perf_counter()
        unwrap_revisions(doc, cfg.revisions, cfg.header_patterns)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    cfg = load()
    print(f"{'row':<20}{'chars':>10}{'ms':>10}{'ms/100k chars':>16}")
    for chars in SIZES:
        for name, text in pages(chars).items():
            seconds = timed(text, cfg)
            print(f"{name:<20}{chars:>10}{1000 * seconds:>10.2f}{1000 * seconds * 100_000 / chars:>16.3f}")


if __name__ == "__main__":
    main()
