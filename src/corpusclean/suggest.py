"""Suggest boilerplate rules: lines that recur verbatim in many documents.

Site furniture (a share prompt, a footer, a newsletter pitch) repeats word for
word across an outlet's pages, while prose rarely does. The corpus is
streamed once through the per-document stages; only a count of documents per
line hash is held (per outlet where the metadata names one), plus one sample
text per line once it reaches the minimum count. Lines the current rules
already remove are not counted, so the suggestions are what the rules miss.
The output is config.yaml text for a person to review, never applied as is.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml

from .document import Document

# Lines are compared as an `match: exact` rule compares them: stripped and
# without regard to case (the rules' default), with runs of spaces folded.
SPACES = re.compile(r"\s+")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_WORDS = 5
ANY_OUTLET = ""


def line_key(text: str) -> str:
    return SPACES.sub(" ", text.strip()).casefold()


def _digest(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def outlet_of(doc: Document) -> str:
    """The outlet a document came from: its metadata's outlet, else its URL's host."""
    outlet = doc.metadata.get("outlet")
    if isinstance(outlet, str) and outlet:
        return outlet
    url = doc.metadata.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.")
    return ANY_OUTLET


@dataclass(slots=True)
class Candidate:
    outlet: str
    text: str
    documents: int
    outlet_documents: int

    @property
    def fraction(self) -> float:
        return self.documents / self.outlet_documents


@dataclass
class LineCounter:
    """Documents per line hash, per outlet; samples of lines that reached `min_docs`."""

    min_docs: int
    max_chars: int
    documents: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[int]] = field(default_factory=dict)
    samples: dict[tuple[str, int], str] = field(default_factory=dict)

    def add(self, doc: Document) -> None:
        outlet = outlet_of(doc)
        self.documents[outlet] += 1
        counts = self.counts.setdefault(outlet, Counter())
        seen: set[int] = set()
        for line in doc.lines:
            text = line.text.strip()
            if not text or len(text) > self.max_chars:
                continue
            digest = _digest(line_key(text))
            if digest in seen:
                continue
            seen.add(digest)
            counts[digest] += 1
            if counts[digest] == self.min_docs:
                self.samples[(outlet, digest)] = SPACES.sub(" ", text)

    def candidates(self, min_fraction: float) -> list[Candidate]:
        """Lines in at least `min_docs` documents and `min_fraction` of their
        outlet's documents, most frequent first (ties by outlet, then text)."""
        found = []
        for (outlet, digest), text in self.samples.items():
            n, total = self.counts[outlet][digest], self.documents[outlet]
            if n >= self.min_docs and n >= min_fraction * total:
                found.append(Candidate(outlet, text, n, total))
        return sorted(found, key=lambda c: (-c.documents, -c.fraction, c.outlet, c.text.casefold()))


def count_lines(documents: Iterable[Document], min_docs: int, max_chars: int) -> LineCounter:
    counter = LineCounter(min_docs, max_chars)
    for doc in documents:
        counter.add(doc)
    return counter


def rule_name(candidate: Candidate, taken: set[str]) -> str:
    """A stable, readable id: the outlet and the line's first words ("bbc-share-this-page")."""
    words = NOT_SLUG.sub(" ", candidate.text.casefold()).split()[:SLUG_WORDS]
    base = "-".join(([NOT_SLUG.sub("-", candidate.outlet.casefold()).strip("-")] if candidate.outlet else []) + words)
    base = base or "line"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def to_yaml(candidates: list[Candidate], documents: int, min_docs: int, min_fraction: float) -> str:
    """The candidates as a `boilerplate.rules` list in config.yaml syntax, each
    with a comment saying how often and where the line recurs."""
    out = [
        f"# corpusclean suggest-rules: {len(candidates)} candidate rules from {documents} documents",
        f"# (lines in at least {min_docs} documents and {min_fraction:g} of their outlet's documents).",
        "# Review each one before copying it into boilerplate.rules: a line that recurs can still",
        "# be text (a standing quote, a recurring subhead). Add a similar line that must stay to",
        "# `keep`, and widen `match` to a prefix or regex where the line varies.",
        "boilerplate:",
        "  rules:" if candidates else "  rules: []",
    ]
    taken: set[str] = set()
    for c in candidates:
        where = f"outlet {c.outlet}" if c.outlet else "all documents without a known outlet"
        out.append(f"    # {c.documents} of {c.outlet_documents} documents ({c.fraction:.0%}), {where}")
        rule = {
            "name": rule_name(c, taken),
            "category": "suggested",
            "match": "exact",
            "pattern": c.text,
            "scope": "line",
            "action": "remove",
            "examples": {"remove": [c.text], "keep": []},
        }
        dumped = yaml.safe_dump([rule], sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=None)
        out.extend("    " + line for line in dumped.rstrip("\n").split("\n"))
    return "\n".join(out) + "\n"
