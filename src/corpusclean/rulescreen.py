"""Which boilerplate rules can fire on a line, found without running them.

Running every rule's regex on every line is the boilerplate stage's whole
cost: on prose, where nothing fires, each of some eighty patterns still has
to fail. The screen reads each pattern once, at load, for the facts that
rule it out cheaply:

- how a match begins: nearly every rule is anchored at the line's start, and
  most can begin with only a few strings ("subs", "vide", "©"); a line meets
  only the rules listed under its own first characters (a few dict lookups);
- how long a match can be: a rule anchored at both ends ("^...$") with a
  bounded pattern cannot match a longer line, and prose lines are long;
- a string every match contains ("contributed", "getty images/"): the rule
  is only tried when the lower-cased line contains one of them (a character
  they all share, such as the "(" of "(ap " and "(pic", is tested first);
- for a rule that may begin anyhow, whether a match can begin with a letter
  or digit at all: a separator line ("* * *") cannot, so a line of prose
  never meets it.

A line in decoration ("[Advertisement]", "■ Share this") meets the rules of
its bare form as well, since the boilerplate stage tries that form too. A
span rule is not anchored: it has no prefix and is screened by the strings
it holds. A rule the screen keeps still runs its own regex, so the screen changes the
cost, never the outcome (tests/test_boilerplate.py checks it on every
example, in every case). Each fact is a superset: when a pattern is too
complex to read, the screen keeps the rule.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from re import _casefix  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, TypeVar

from .config import Rule

# Prefixes are read up to this many characters: enough to tell "Subscribe"
# from "Sources said", few enough that the lookups stay cheap.
PREFIX_CHARS = 4
# Sets larger than this are not worth enumerating: the screen keeps the rule.
MAX_STRINGS = 1024
# A required-string set with more members than this is cut down (_shrink).
MAX_REQUIRED = 8
# Line beginnings whose candidate rules are remembered.
MAX_HEADS = 50_000
K = TypeVar("K")
V = TypeVar("V")
# A character range wider than this is not enumerated.
MAX_RANGE = 256
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT)
BEGIN = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
END = (sre.AT_END, sre.AT_END_STRING)

# Under IGNORECASE a few characters match others that str.lower() keeps apart
# (the long s and "s", the dotless i and "i", the micro sign and mu, ...): a
# line that holds one is given every rule, as is one whose lower-casing
# changes its length (the dotted capital I).
_SPECIAL = {chr(c) for c, others in _casefix._EXTRA_CASES.items() for c in (c, *others) if c > 127} | {"\u0307"}
SPECIAL = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + "]")


def fold(text: str) -> str | None:
    """`text` lower-cased as the screen compares it; None when lower-casing
    cannot stand in for the regex engine's case folding."""
    lowered = text.lower()
    if not lowered.isascii() and SPECIAL.search(lowered):
        return None
    return lowered


# The decoration real pages put around a line of chrome: bullets, brackets
# and arrows ("■ Share this article", "[Advertisement]", "» Follow us on X"). A line rule fires on the line as it is or
# on the line without them (`bare`, boilerplate._fires_at), so each rule need
# not spell them out; the screen gives a decorated line the rules of both.
# Not "|": a table row ("| Electricians | 9 | 3.7 |") would read as a link
# bar; nor a closing colon: "Review of membership:" heads a list of content.
DECORATION = re.compile(r"^(?:[\[(■□▪▫►▶▸•·◦*»›>~–—-]\s*)+|(?:\s*[\])»›…])+$")
_DECORATED_START = frozenset("[(■□▪▫►▶▸•·◦*»›>~–—-")
_DECORATED_END = frozenset("])»›…")


def bare(text: str) -> str:
    """`text` (stripped) without the bullets, brackets and arrows
    around it; `text` itself when it has none or nothing with a letter is left."""
    if not text or (text[0] not in _DECORATED_START and text[-1] not in _DECORATED_END):
        return text
    stripped = DECORATION.sub("", text).strip()
    return stripped if any(c.isalpha() for c in stripped) else text


# --- reading a parsed pattern ---------------------------------------------------


@functools.cache
def _category(kind: Any) -> frozenset[str] | None:
    """The characters of \\s or \\d as the regex engine reads them in a str pattern."""
    if kind is sre.CATEGORY_SPACE:
        return frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())
    if kind is sre.CATEGORY_DIGIT:
        return frozenset(chr(c) for c in range(0x20000) if chr(c).isdecimal())
    return None  # \\w, \\W, \\S, \\D: too many to list


def _char_set(op: Any, arg: Any) -> set[str] | None:
    """The characters one LITERAL or IN item matches (lower-cased); None if unknown or many."""
    if op is sre.LITERAL:
        return {chr(arg).lower()}
    if op is sre.CATEGORY:
        found = _category(arg)
        return None if found is None else set(found)
    if op is not sre.IN:
        return None
    chars: set[str] = set()
    for kind, value in arg:
        if kind is sre.LITERAL:
            chars.add(chr(value).lower())
        elif kind is sre.RANGE and value[1] - value[0] <= MAX_RANGE:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        elif kind is sre.CATEGORY and _category(value) is not None:
            chars |= _category(value)  # type: ignore[arg-type]
        else:  # \\w, a negation: too many to list
            return None
    return chars


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > MAX_STRINGS:
        return None
    return {a + b for a in left for b in right}


def _exact(items: Any) -> set[str] | None:
    """Every string a parsed sequence can match, if they are few; else None."""
    strings = {""}
    for op, arg in items:
        if op is sre.AT or op in ZERO_WIDTH:
            continue
        part = _exact_item(op, arg)
        found = None if part is None else _product(strings, part)
        if found is None:
            return None
        strings = found
    return strings


def _exact_item(op: Any, arg: Any) -> set[str] | None:
    if op is sre.SUBPATTERN:
        return _exact(arg[-1])
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            part = _exact(branch)
            if part is None:
                return None
            union |= part
        return union
    if op in REPEATS:
        low, high, item = arg
        part = _exact(item)
        if part is None or high > 4:
            return None
        found, power = (set() if low else {""}), {""}
        for count in range(1, high + 1):
            power = _product(power, part)  # type: ignore[assignment]
            if power is None:
                return None
            if count >= low:
                found |= power
        return found
    return _char_set(op, arg)


def _shrink(strings: set[str]) -> set[str]:
    """At most MAX_REQUIRED strings such that each of `strings` contains one:
    the members cut to their longest heads or tails that are few enough."""
    for length in range(max(map(len, strings), default=0), 0, -1):
        cuts = [cut for cut in ({s[:length] for s in strings}, {s[-length:] for s in strings}) if cut]
        few = [cut for cut in cuts if len(cut) <= MAX_REQUIRED]
        if few:
            return min(few, key=len)
    return {""}


def _selective(strings: set[str] | None) -> bool:
    """Whether testing for these strings rules out much: each is at least three
    characters long, or one character that is neither a letter nor a space (">", "|")."""
    return bool(strings) and all(len(s) >= 3 or (len(s) == 1 and not s.isalnum() and not s.isspace()) for s in strings)  # type: ignore[union-attr]


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two required-string sets: longer shortest member, then fewer members."""
    usable = [s for s in (a, b) if s and _selective(s)]
    return max(usable, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _required(items: Any) -> set[str] | None:
    """A set of strings one of which every match of the sequence contains."""
    best: set[str] | None = None
    run: set[str] = {""}  # the strings the current stretch of fixed items spells
    for op, arg in items:
        if op is sre.AT or op in ZERO_WIDTH:
            continue
        part = _exact_item(op, arg)
        joined = None if part is None else _product(run, part)
        if joined is not None:
            if len(joined) > MAX_REQUIRED >= len(run):
                best = _better(best, run)  # the last stretch that was still few strings
            run = joined
            continue
        best = _better(best, _shrink(run))
        run = part if part is not None else {""}
        if part is None:  # look inside for a requirement of its own
            if op is sre.SUBPATTERN:
                best = _better(best, _required(arg[-1]))
            elif op is sre.BRANCH:
                parts = [_required(branch) for branch in arg[1]]
                if all(p is not None for p in parts):
                    best = _better(best, _shrink(set().union(*parts)))  # type: ignore[arg-type]
            elif op in REPEATS and arg[0] >= 1:
                best = _better(best, _required(arg[2]))
    return _better(best, _shrink(run))


def _close(strings: set[str], size: int) -> set[str]:
    return {s[:size] for s in strings}


def _prefixes(items: Any, open_: set[str], size: int) -> tuple[set[str], set[str]]:
    """How matches of a parsed sequence begin, given the strings read so far.

    Returns (open, closed): open strings may go on (a match may end there or
    continue with what follows); closed ones are prefixes of every match on
    their path, cut at `size` characters or where the pattern stops being
    readable. Lines are stripped: no match begins with whitespace.
    """
    closed: set[str] = set()
    for op, arg in items:
        done = {s for s in open_ if len(s) >= size}
        closed |= _close(done, size)
        open_ -= done
        if not open_:
            break
        open_, more = _item_prefixes(op, arg, open_, size)
        closed |= more
    return open_, closed


def _item_prefixes(op: Any, arg: Any, open_: set[str], size: int) -> tuple[set[str], set[str]]:
    if op is sre.AT:
        return (set(), set(open_)) if arg in END else (open_, set())
    if op in ZERO_WIDTH:
        return open_, set()
    if op is sre.SUBPATTERN:
        return _prefixes(arg[-1], open_, size)
    if op is sre.BRANCH:
        opened: set[str] = set()
        closed: set[str] = set()
        for branch in arg[1]:
            o, c = _prefixes(branch, set(open_), size)
            opened |= o
            closed |= c
        return opened, closed
    if op in REPEATS:
        low, high, item = arg
        opened = set(open_) if low == 0 else set()
        closed = set()
        current = open_
        for count in range(1, min(high, size + 1) + 1):
            current, more = _prefixes(item, set(current), size)
            closed |= more
            if count >= low:
                opened |= current
            if not current:
                break
        else:
            if high > size + 1:  # more repeats may follow: stop reading here
                closed |= _close(current, size)
                opened -= current
        return opened, closed
    chars = _char_set(op, arg)
    if chars is None or len(open_) * len(chars) > MAX_STRINGS:
        return set(), set(open_)  # unreadable from here on: what was read so far must do
    return {s + c for s in open_ for c in chars if s or not c.isspace()}, set()


def _alnum_start(items: Any) -> bool:
    """Whether a match of the sequence may begin with a letter or digit;
    True unless that is sure not to happen."""
    for op, arg in items:
        if op is sre.AT or op in ZERO_WIDTH:
            continue
        if op is sre.SUBPATTERN:
            return _alnum_start(arg[-1])  # an empty group reads as True: the safe side
        if op is sre.BRANCH:
            return any(_alnum_start(branch) for branch in arg[1])
        if op in REPEATS:
            if arg[0] == 0:
                return True  # it may be skipped: whatever follows may begin the match
            return _alnum_start(arg[2])
        if op is sre.LITERAL:
            return chr(arg).isalnum()
        if op is sre.IN and arg and arg[0][0] is sre.NEGATE:  # [^\\w...]: \\w holds every letter and digit
            return not any(kind is sre.CATEGORY and value is sre.CATEGORY_WORD for kind, value in arg[1:])
        if op is sre.IN:
            return any(kind is not sre.LITERAL or chr(value).isalnum() for kind, value in arg)
        return True
    return True


def _anchored(items: Any, where: tuple[Any, ...]) -> bool:
    """Whether the sequence begins (BEGIN) or ends (END) with that anchor on every branch."""
    if not len(items):
        return False
    op, arg = items[0] if where is BEGIN else items[-1]
    if op is sre.AT:
        return bool(arg in where)
    if op is sre.SUBPATTERN:
        return _anchored(arg[-1], where)
    if op is sre.BRANCH:
        return all(_anchored(branch, where) for branch in arg[1])
    return False


@dataclass(frozen=True)
class Gate:
    """What the screen knows of one rule's matches."""

    prefixes: frozenset[str]  # lower-cased; "" when a match may begin anyhow
    max_chars: int | None  # the longest line it can fire on
    required: tuple[str, ...]  # lower-cased; every match holds one (empty: unknown)
    alnum_start: bool = True  # False: no match begins with a letter or digit ("---", "* * *")
    guard: str = ""  # a character every required string holds ("(" of "(ap ", "(pic"), or ""


def gate(rule: Rule) -> Gate:
    """Read `rule`'s pattern; a pattern the parser cannot read gets an open gate.

    Read once per pattern in a process: the screens of a rule set's
    languages share their rules' gates (and the strings of their prefixes).
    """
    return _gate(rule.regex.pattern, rule.regex.flags, rule.max_chars)


@functools.lru_cache(maxsize=1024)
def _gate(pattern: str, flags: int, max_chars: int | None) -> Gate:
    try:
        items = sre_parse.parse(pattern, flags)
    except Exception:  # an internal parser we cannot read
        return Gate(frozenset({""}), max_chars, ())
    anchored = _anchored(items, BEGIN)
    prefixes = {""}
    # Whole prefixes where they can be read; else at least the first character.
    for size in (PREFIX_CHARS, 1) if anchored else ():
        opened, closed = _prefixes(items, {""}, size)
        prefixes = _close(opened | closed, size)
        if "" not in prefixes:
            break
    longest = max_chars
    if anchored and _anchored(items, END):
        width = items.getwidth()[1]
        if width < sre.MAXREPEAT - 1:
            longest = width if longest is None else min(longest, width)
    required = _required(items) or set()
    # A string that holds another of the set adds nothing ("changes." beside "changes").
    required = {s for s in required if not any(t != s and t in s for t in required)}
    # One character all of them hold, if one is not a letter, digit or space:
    # testing for it first rules most lines out in one step.
    shared = set.intersection(*map(set, required)) if required else set()
    guard = min((c for c in shared if not c.isalnum() and not c.isspace()), default="")
    return Gate(frozenset(prefixes), longest, tuple(sorted(required)), not anchored or _alnum_start(items), guard)


def is_anchored(regex: re.Pattern[str]) -> bool:
    """Whether every match of `regex` starts at position 0 of the line."""
    try:
        return _anchored(sre_parse.parse(regex.pattern, regex.flags), BEGIN)
    except Exception:
        return False


class RuleScreen:
    """The rules of a rule set that may fire on a line, in their config order."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.gates = [gate(rule) for rule in self.rules]
        self.anywhere: list[int] = []  # rules with no prefix to look up
        by_prefix: dict[str, list[int]] = {}
        for i, g in enumerate(self.gates):
            if "" in g.prefixes:
                self.anywhere.append(i)
            else:
                for prefix in g.prefixes:
                    by_prefix.setdefault(prefix, []).append(i)
        # Tens of thousands of prefixes name a few sets of rules: one tuple per set.
        sets: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.by_prefix = {prefix: sets.setdefault(tuple(found), tuple(found)) for prefix, found in by_prefix.items()}
        # Lines that begin alike meet the same rules: the lookups are done once
        # per beginning ("the ", "he s"), bounded so memory stays flat, and the
        # beginnings that meet the same rules share one _Meets.
        self._heads: dict[str, _Meets] = {}
        self._meets_of: dict[frozenset[int], _Meets] = {}

    def _meets(self, head: str) -> _Meets:
        """The rules a line that begins with `head` can meet."""
        found = set(self.anywhere)
        for n in range(1, len(head) + 1):
            found.update(self.by_prefix.get(head[:n], ()))
        if head[:1].isalnum():
            found = {i for i in found if self.gates[i].alnum_start}
        key = frozenset(found)
        meets = self._meets_of.get(key)
        return meets if meets is not None else _remember(self._meets_of, key, self._meets_for(found))

    def _meets_for(self, found: set[int]) -> _Meets:
        plain = sorted((i for i in found if not self.gates[i].required), key=lambda i: (-_longest(self.gates[i]), i))
        needing = sorted((i for i in found if self.gates[i].required), key=lambda i: (-_longest(self.gates[i]), i))
        return _Meets(
            [-_longest(self.gates[i]) for i in plain],
            [tuple(sorted(plain[:k])) for k in range(len(plain) + 1)],
            [(i, _longest(self.gates[i]), self.gates[i].guard, self.gates[i].required) for i in needing],
        )

    def _head(self, head: str) -> _Meets:
        meets = self._heads.get(head)
        return meets if meets is not None else _remember(self._heads, head, self._meets(head))

    def candidates(self, text: str) -> list[Rule]:
        """The rules that can fire on `text` (a stripped line), in order."""
        return self.lines([text])[0]

    def lines(self, texts: Sequence[str]) -> list[list[Rule]]:
        """The rules that can fire on each of `texts` (a document's stripped lines), in config order."""
        found = self._lines_of(texts)
        for k, text in enumerate(texts):
            plain = bare(text)
            if plain is not text:  # a decorated line: the rules of both forms, in config order
                both = set(map(id, found[k] + self._lines_of([plain])[0]))
                found[k] = [rule for rule in self.rules if id(rule) in both]
        return found

    def _lines_of(self, texts: Sequence[str]) -> list[list[Rule]]:
        rules = self.rules
        found: list[list[Rule]] = []
        for text in texts:
            low = fold(text)
            if low is None:
                found.append(list(rules))
                continue
            meets = self._head(low[:PREFIX_CHARS])
            size = len(text)
            # The plain rules are sorted longest bound first: those bounded at
            # or above the line's length are a leading slice.
            kept = meets.plain[bisect.bisect_right(meets.bounds, -size)]
            extra = []
            for i, longest, guard, required in meets.needing:
                if size > longest:
                    break  # the rest are bounded shorter still
                if guard and guard not in low:
                    continue
                for part in required:  # plain `in` tests: far cheaper than one regex alternation
                    if part in low:
                        extra.append(i)
                        break
            if extra:
                kept = tuple(sorted(kept + tuple(extra)))
            found.append([rules[i] for i in kept])
        return found


def _remember(memo: dict[K, V], key: K, value: V) -> V:
    """Store `value` under `key` while `memo` holds fewer than MAX_HEADS
    entries (a bound on the screen's memory on text of endless variety), and
    return it."""
    if len(memo) < MAX_HEADS:
        memo[key] = value
    return value


def _longest(g: Gate) -> int:
    return sys.maxsize if g.max_chars is None else g.max_chars


@dataclass
class _Meets:
    """The rules a line beginning with one head can meet. Those without
    required strings, by descending bound: `plain[k]` holds (in config order)
    the first k of them, and `bounds` the negated bounds to bisect for k.
    Those with required strings: (rule, bound, guard, strings), by descending bound."""

    bounds: list[int]
    plain: list[tuple[int, ...]]
    needing: list[tuple[int, int, str, tuple[str, ...]]]


# Built once per rule set. Looked up by identity first: hashing a tuple of
# rules on every document would cost more than the screen saves (the rules are
# kept in the entry so that an id is never reused while it lives); then by
# value, so that a config loaded again (each run of the CLI in one process)
# does not pay for the reading of the patterns again.
_SCREENS: dict[int, tuple[tuple[Rule, ...], RuleScreen]] = {}
_BY_RULES: dict[tuple[Rule, ...], RuleScreen] = {}
MAX_SCREENS = 16


def screen(rules: tuple[Rule, ...]) -> RuleScreen:
    """The screen of a rule set, built on first use."""
    entry = _SCREENS.get(id(rules))
    if entry is None or entry[0] is not rules:
        built = _BY_RULES.get(rules)
        if built is None:
            built = RuleScreen(rules)
            if len(_BY_RULES) >= MAX_SCREENS:
                _BY_RULES.clear()
            _BY_RULES[rules] = built
        if len(_SCREENS) >= MAX_SCREENS:
            _SCREENS.clear()
        entry = (rules, built)
        _SCREENS[id(rules)] = entry
    return entry[1]
