"""Gates: limits a CI pipeline sets on a run, checked once everything is
written; a run that breaks one exits 1 with one line per failed gate.

Each gate reads the report's figures (`Report.to_dict()`), so a gate set on
`corpusclean report` judges an earlier run the same way. Characters removed
are the audit's characters (moved to metadata included) over those plus the
characters written: see documents.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PREFIX = "corpusclean: gate failed: "


@dataclass(frozen=True)
class Gate:
    """A gate: its config key (under `gates:`), its command-line option, and
    what it limits. `kind` is "fraction" (a number in [0, 1], tripped when the
    figure is above it), "minimum" (a whole number, tripped below it) or
    "flag" (true trips on any skipped input)."""

    name: str
    option: str
    kind: str
    help: str


GATES = (
    Gate(
        "max_removed_fraction",
        "--max-removed-fraction",
        "fraction",
        "Exit 1 if more than this fraction of the characters was removed overall.",
    ),
    Gate(
        "max_dropped_fraction",
        "--max-dropped-fraction",
        "fraction",
        "Exit 1 if more than this fraction of the documents was dropped.",
    ),
    Gate(
        "max_document_removed_fraction",
        "--max-document-removed-fraction",
        "fraction",
        "Exit 1 if any written document lost more than this fraction of its characters.",
    ),
    Gate(
        "max_rule_fraction",
        "--max-rule-fraction",
        "fraction",
        "Exit 1 if any one rule removed more than this fraction of the characters.",
    ),
    Gate("min_documents_out", "--min-documents-out", "minimum", "Exit 1 if fewer documents than this were written."),
    Gate("fail_on_skipped", "--strict", "flag", "Exit 1 if any input was skipped."),
)


def check_limits(section: dict[str, Any]) -> str | None:
    """The first problem with a `gates:` config section as "gates.key: ...", or None."""
    for gate in GATES:
        value = section.get(gate.name)
        where = f"gates.{gate.name}"
        if gate.kind == "flag":
            if not isinstance(value, bool):
                return f"{where}: must be true or false, not {value!r}"
        elif value is None:
            continue
        elif gate.kind == "fraction":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                return f"{where}: must be a fraction between 0 and 1, or null, not {value!r}"
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{where}: must be a whole number, 0 or more, or null, not {value!r}"
    return None


def _percent(value: float, limit: float) -> tuple[str, str]:
    """Both as percentages, with as many decimals (1 to 4) as it takes to tell them apart."""
    for digits in range(1, 5):
        a, b = f"{value:.{digits}%}", f"{limit:.{digits}%}"
        if a != b:
            break
    return a, b


def _removed(report: dict[str, Any]) -> tuple[int, int]:
    removed = sum(report["removed_chars"].values())
    return removed, removed + report["chars_out"]


def _max_removed(report: dict[str, Any], limit: float) -> tuple[float, str] | None:
    removed, total = _removed(report)
    value = removed / total if total else 0.0
    if value <= limit:
        return None
    shown, cap = _percent(value, limit)
    return value, f"{shown} of the characters were removed ({removed:,} of {total:,}), over the limit of {cap}"


def _max_dropped(report: dict[str, Any], limit: float) -> tuple[float, str] | None:
    dropped, total = report["documents_in"] - report["documents_out"], report["documents_in"]
    value = dropped / total if total else 0.0
    if value <= limit:
        return None
    shown, cap = _percent(value, limit)
    return value, f"{shown} of the documents were dropped ({dropped:,} of {total:,}), over the limit of {cap}"


def _max_document(report: dict[str, Any], limit: float) -> tuple[float, str] | None:
    worst = report["documents"]["max_fraction_removed_written"]
    if worst is None or worst["fraction"] <= limit:
        return None
    shown, cap = _percent(worst["fraction"], limit)
    return worst["fraction"], f"document {worst['id']} lost {shown} of its characters, over the limit of {cap}"


def _max_rule(report: dict[str, Any], limit: float) -> tuple[float, str] | None:
    _, total = _removed(report)
    if not total:
        return None
    shares = sorted(((n / total, reason) for reason, n in report["removed_chars"].items()), key=lambda s: (-s[0], s[1]))
    over = [(share, reason) for share, reason in shares if share > limit]
    if not over:
        return None
    value, reason = over[0]
    shown, cap = _percent(value, limit)
    others = len(over) - 1
    more = f" ({others} other rule{'s' if others > 1 else ''} over it too)" if others else ""
    return value, f"{reason} removed {shown} of the characters, over the limit of {cap}{more}"


def _min_out(report: dict[str, Any], limit: int) -> tuple[float, str] | None:
    out = report["documents_out"]
    if out >= limit:
        return None
    return out, f"{out:,} documents were written, fewer than the minimum of {limit:,}"


def _skipped(report: dict[str, Any], limit: bool) -> tuple[float, str] | None:
    skipped = len(report["skipped"])
    if not limit or not skipped:
        return None
    return skipped, f"{skipped:,} input{'s were' if skipped != 1 else ' was'} skipped (--strict)"


CHECKS: dict[str, Callable[[dict[str, Any], Any], tuple[float, str] | None]] = {
    "max_removed_fraction": _max_removed,
    "max_dropped_fraction": _max_dropped,
    "max_document_removed_fraction": _max_document,
    "max_rule_fraction": _max_rule,
    "min_documents_out": _min_out,
    "fail_on_skipped": _skipped,
}


def check(report: dict[str, Any], limits: dict[str, Any]) -> dict[str, Any]:
    """The gates' verdict on a run's report: the limits set (unset gates are
    left out) and each failed gate as {gate, limit, value, message}, in the
    order of GATES. The message is the line printed after PREFIX."""
    active = {g.name: limits[g.name] for g in GATES if limits.get(g.name) not in (None, False)}
    failed = []
    for name, limit in active.items():
        outcome = CHECKS[name](report, limit)
        if outcome is not None:
            value, message = outcome
            failed.append({"gate": name, "limit": limit, "value": value, "message": f"gates.{name}: {message}"})
    return {"limits": active, "failed": failed}


def lines(verdict: dict[str, Any]) -> list[str]:
    """The stderr lines of the failed gates."""
    return [PREFIX + f["message"] for f in verdict.get("failed", [])]
