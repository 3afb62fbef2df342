"""Generate news-like paragraphs with realistic near-duplicates, for the dedup
benchmark and tests.

The prose comes from an order-2 word Markov chain trained on the Python
documentation that ships with CPython (pydoc_data), decorated with names,
organisations, numbers and quotes. Documents hold 10-40 paragraphs, some of
them short (subheads, "He said:"). About `dup_rate` of the paragraphs copy a
paragraph of an earlier document with one or two of the edits outlets make:
quote style, a word replaced, a clause added, punctuation, case, an acronym
for an organisation's name, a lead-in before a quote, two paragraphs merged,
one sentence of a longer paragraph, or a verbatim copy.

    python bench/gen_paragraphs.py 1000000 -o bench/out/paras.tsv

writes one `document<TAB>paragraph` line per paragraph.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from pathlib import Path

NAMES = [
    "Amira Khan", "Tomas Berg", "Lucia Ferreira", "Owen Price", "Hana Sato", "Jonas Weber", "Grace Mensah",
    "Pedro Alves", "Ines Dubois", "Ravi Patel", "Marta Nowak", "Colm Byrne", "Sofia Rossi", "Felix Braun",
]  # fmt: skip
ORGS = [
    ("Department for Transport", "DfT"), ("National Health Service", "NHS"), ("Environment Agency", "EA"),
    ("Office for National Statistics", "ONS"), ("Food Standards Agency", "FSA"), ("Health and Safety Executive", "HSE"),
    ("Crown Prosecution Service", "CPS"), ("Local Government Association", "LGA"),
]  # fmt: skip
LEAD_INS = [
    "A spokesman said:", "A spokeswoman said:", "In a statement the agency said:", "A council statement said:",
    "The minister told reporters:", "In a statement on Tuesday the board said:", "She added:", "He told the BBC:",
]  # fmt: skip
CLAUSES = [
    ", the council said", ", according to officials", ", it emerged on Monday", ", a report found",
    ", campaigners warned", " last year", ", sources said", " in recent months",
]  # fmt: skip
SUBHEADS = ["Reaction", "What happens next?", "Background", "He said:", "Analysis", "Key facts", "She said:"]


def _chain() -> tuple[dict[tuple[str, str], list[str]], list[tuple[str, str]]]:
    from pydoc_data import topics

    words = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]|[.,]", " ".join(topics.topics.values()))
    chain: dict[tuple[str, str], list[str]] = {}
    for a, b, c in zip(words, words[1:], words[2:], strict=False):
        chain.setdefault((a, b), []).append(c)
    starts = [k for k in chain if k[0] == "." and k[1][:1].isalpha()]
    return chain, starts


class Generator:
    """Deterministic for a given seed."""

    def __init__(self, seed: int = 0, dup_rate: float = 0.15) -> None:
        self.rng = random.Random(seed)
        self.dup_rate = dup_rate
        self.chain, self.starts = _chain()
        self.vocab = sorted({w for k in self.chain for w in k if w[:1].isalpha()})
        self.pool: list[str] = []  # earlier paragraphs that copies are made from

    def sentence(self) -> str:
        rng = self.rng
        key = rng.choice(self.starts)
        out: list[str] = []
        target = rng.randint(8, 28)
        while len(out) < target or out[-1] in {",", "the", "a", "of"}:
            nxt = rng.choice(self.chain.get(key) or ["."])
            if nxt == ".":
                if len(out) >= 6:
                    break
                key = rng.choice(self.starts)
                continue
            out.append(nxt)
            key = (key[1], nxt)
            if len(out) > 40:
                break
            roll = rng.random()
            if roll < 0.03:
                out.append(rng.choice(NAMES))
            elif roll < 0.05:
                out.append(rng.choice(ORGS)[0])
            elif roll < 0.07:
                out.append(str(rng.randint(2, 2000)))
        text = " ".join(out).replace(" ,", ",").strip(", ")
        return text[:1].upper() + text[1:] + "."

    def paragraph(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return rng.choice(SUBHEADS)
        if roll < 0.14:
            words = self.sentence().rstrip(".").split()[: rng.randint(3, 9)]
            return " ".join(words).title()
        body = " ".join(self.sentence() for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))))
        if roll < 0.40:
            quote = rng.choice(('"{}"', "\u201c{}\u201d"))
            body = quote.format(body)
            if rng.random() < 0.5:
                body = f"{rng.choice(LEAD_INS)} {body}"
        return body

    def edit(self, text: str) -> str:
        rng = self.rng
        kind = rng.choice(
            ["quotes", "word", "clause", "punct", "case", "acronym", "lead-in", "merge", "sentence", "copy", "dash"]
        )
        if kind == "quotes":
            if "\u201c" in text:
                return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
            return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")
        if kind == "word":
            words = text.split()
            words[rng.randrange(len(words))] = rng.choice(self.vocab)
            return " ".join(words)
        if kind == "clause":
            at = [m.start() for m in re.finditer(r"[.,]", text)] or [len(text)]
            i = rng.choice(at)
            return text[:i] + rng.choice(CLAUSES) + text[i:]
        if kind == "punct":
            return text.replace(",", "", 1) if "," in text else text.replace(". ", "; ", 1)
        if kind == "case":
            words = text.split()
            i = rng.randrange(len(words))
            words[i] = words[i].upper() if rng.random() < 0.3 else words[i].capitalize()
            return " ".join(words)
        if kind == "acronym":
            for name, short in ORGS:
                if name in text:
                    return text.replace(name, short, 1)
            return text.replace(" and ", " & ", 1)
        if kind == "lead-in":
            bare = text.strip('"\u201c\u201d')
            return f"{rng.choice(LEAD_INS)} \u201c{bare}\u201d"
        if kind == "merge":
            return f"{text} {rng.choice(self.pool)}"
        if kind == "sentence":
            parts = re.split(r"(?<=[.!?])\s+", text)
            return rng.choice(parts) if len(parts) > 1 else text
        if kind == "dash":
            return text.replace(", ", " - ", 1)
        return text

    def documents(self, n_paragraphs: int) -> Iterator[tuple[int, str]]:
        """(document number, paragraph) pairs, n_paragraphs in all."""
        rng = self.rng
        made = 0
        doc = 0
        while made < n_paragraphs:
            for _ in range(min(rng.randint(10, 40), n_paragraphs - made)):
                if self.pool and rng.random() < self.dup_rate:
                    text = rng.choice(self.pool)
                    for _ in range(rng.choice((1, 1, 2))):
                        text = self.edit(text)
                else:
                    text = self.paragraph()
                    if len(text) > 60:
                        if len(self.pool) < 50_000:
                            self.pool.append(text)
                        else:
                            self.pool[rng.randrange(len(self.pool))] = text
                made += 1
                yield doc, text
            doc += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paragraphs", type=int)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dup-rate", type=float, default=0.15)
    args = parser.parse_args()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        for doc, text in Generator(args.seed, args.dup_rate).documents(args.paragraphs):
            out.write(f"{doc}\t{text}\n")


if __name__ == "__main__":
    main()
