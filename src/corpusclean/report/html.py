"""The HTML report: one self-contained page (charts, the run at a glance, the
gates, and documents with every removal highlighted) that works offline.

The page is rendered from the JSON report (`Report.to_dict()`) and the views
of the documents it shows, by a Jinja2 template with autoescape on: every
text from the corpus is untrusted and reaches the page escaped. Charts are
Vega-Lite specs drawn by vega-embed; the libraries (assets/, versions and
licences in assets/README.md) are inlined, and the page's
Content-Security-Policy forbids every network request.

A document's view is its input text rebuilt from the run: the kept paragraphs
at the input lines they came from (recorded in the report's
`documents.shown[].paragraphs` as [first, last] line), and each audit record
at its `position`. A removal from within a kept line (a stripped span, the
unchanged copy of a news-diff row) is shown just before that line's kept
text; a hard-wrapped paragraph shows once, joined.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from .. import __version__
from ..read import open_compressed
from .counts import Report
from .gates import check as gate_check

# Vega's "tableau20" scheme: a rule's colour on the page and in the charts.
PALETTE = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#e45756",
    "#b279a2",
    "#439894",
    "#d67195",
    "#b79a20",
    "#9e765f",
    "#79706e",
    "#9ecae9",
    "#ffbf79",
    "#88d27a",
    "#ff9d98",
    "#d6a5c9",
    "#83bcb6",
    "#fcbfd2",
    "#f2cf5b",
    "#d8b5a5",
    "#bab0ac",
)
ASSETS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
# The most rows and characters of one document's view (the rest are counted):
# a view is then at most about 100 KB of HTML, and with html_documents 200 and
# html_most_removed 25 a page stays under 0.9 MB of scripts + 225 x 100 KB,
# whatever the corpus (news pages: about 10 KB a view).
MAX_VIEW_ROWS = 300
MAX_VIEW_CHARS = 20_000
# Paths named in the page's header; the rest are counted.
MAX_INPUTS = 10
# Skipped inputs listed on the page; the rest are counted.
MAX_SKIPPED_ROWS = 500


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("corpusclean.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _asset(name: str) -> str:
    """A vendored script, ready to inline: its source-map comment dropped (a
    browser's developer tools would fetch it) and any `</script` written
    `<\\/script` (the same string or regex in JavaScript), so that the script
    cannot end its <script> element early."""
    text = resources.files("corpusclean.report").joinpath("assets", name).read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL="))
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def views_of(report: Report) -> list[dict[str, Any]]:
    """The shown documents of a run that kept their views (Pipeline.run(views=True))."""
    views = []
    for shown in report.documents.shown():
        if shown.view is None:
            raise ValueError("the report kept no document text: run the pipeline with views=True")
        views.append({**shown.figures(), **shown.view})
    return views


def views_from_files(report: dict[str, Any], output: str, audit: str) -> list[dict[str, Any]]:
    """The shown documents of an earlier run, from its JSON report (which
    documents, where their paragraphs stood), its output (text, title,
    metadata) and its audit (the removals). Only the shown documents' lines
    are decoded. Raises OSError for a file that cannot be read, ValueError for
    a line that is not JSON."""
    shown = report["documents"]["shown"]
    wanted = {(s["id"], s["source"]): i for i, s in enumerate(shown)}
    ids = {s["id"] for s in shown}
    # A dropped document's title and metadata are in the report (it has no output record).
    views: list[dict[str, Any]] = [{"title": None, "metadata": {}, **s, "texts": [], "audit": []} for s in shown]
    for number, line in enumerate(open_compressed(output), 1):
        if not line.strip() or not _may_be(line, ids):
            continue
        record = _json(line, output, number)
        i = wanted.get((record.get("id"), record.get("source")))
        if i is not None and not views[i]["texts"]:
            views[i]["title"] = record.get("title")
            views[i]["metadata"] = {k: v for k, v in (record.get("metadata") or {}).items() if v is not None}
            views[i]["texts"] = record.get("text", "").split("\n\n") if record.get("text") else []
    # The audit names documents by id only: a record goes to the shown
    # document with that id (ids are unique in a corpus; the first one wins).
    first: dict[str, int] = {}
    for i, s in enumerate(shown):
        first.setdefault(s["id"], i)
    for number, line in enumerate(open_compressed(audit), 1):
        if not line.strip() or not _may_be(line, ids):
            continue
        record = _json(line, audit, number)
        i = first.get(str(record.get("id")))
        if i is not None:
            views[i]["audit"].append(record)
    for view in views:
        view["audit"].sort(key=lambda r: r.get("position", 0))
    return views


def _may_be(line: str, ids: set[str]) -> bool:
    """A cheap test before decoding: the line's id field names a wanted document."""
    start = line.find('"id": "')
    if start < 0:
        return True
    end = line.find('"', start + 7)
    return end < 0 or "\\" in line[start + 7 : end] or line[start + 7 : end] in ids


def _json(line: str, path: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{number}: not valid JSON: {exc.msg}") from None
    if not isinstance(record, dict):
        raise ValueError(f"{path}:{number}: not a JSON object")
    return record


def _colours(report: dict[str, Any]) -> dict[str, str]:
    """Each reason that fired, in sorted order, and its colour."""
    return {reason: PALETTE[i % len(PALETTE)] for i, reason in enumerate(sorted(report["removals"]))}


def _tip(record: dict[str, Any]) -> str:
    """The text shown on hover or focus of a removal: its reason and evidence."""
    parts = [str(record.get("reason", ""))]
    if record.get("kept_id") is not None:
        where = f"{record['kept_id']}"
        if record.get("kept_position") is not None:
            where += f" line {record['kept_position']}"
        score = f", score {record['score']}" if record.get("score") is not None else ""
        parts.append(f"copy of {where}{score}")
    if record.get("coverage") is not None:
        parts.append(f"kept text covers {record['coverage']:.0%}")
    position, end = record.get("position"), record.get("end_position")
    parts.append(f"line {position}" + (f"-{end}" if end else ""))
    return " · ".join(parts)


def _segments(view: dict[str, Any], anchors: dict[str, int], index: int) -> list[dict[str, Any]]:
    """The rows of a document's view in input order: kept paragraphs and removals."""
    rows: list[tuple[int, int, int, dict[str, Any]]] = []
    layout = view.get("paragraphs") or []
    texts = view.get("texts") or []
    for k, text in enumerate(texts):
        pos, end = layout[k] if k < len(layout) else (0, 0)
        rows.append((pos, 1, k, {"kind": "kept", "pos": pos, "end": end, "text": text, "anchor": f"d{index}-{pos}"}))
    for k, record in enumerate(view.get("audit") or []):
        pos = int(record.get("position") or 0)
        links = []
        parts = record.get("kept_parts") or (
            [{"id": record["kept_id"], "position": record.get("kept_position")}] if record.get("kept_id") else []
        )
        for part in parts:
            target = anchors.get(part["id"])
            label = f"{part['id']}" + (f":{part['position']}" if part.get("position") is not None else "")
            href = f"#d{target}-{part['position']}" if target is not None and part.get("position") else None
            links.append({"label": label, "href": href or (f"#d{target}" if target is not None else None)})
        rows.append(
            (
                pos,
                0,
                k,
                {
                    "kind": "removed",
                    "pos": pos,
                    "end": record.get("end_position") or pos,
                    "text": record.get("text", ""),
                    "reason": record.get("reason", ""),
                    "tip": _tip(record),
                    "links": links,
                },
            )
        )
    rows.sort(key=lambda r: r[:3])
    return [r[3] for r in rows]


def _capped(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The first rows of a document's view within MAX_VIEW_ROWS and
    MAX_VIEW_CHARS (a row that crosses the limit is cut), and how many rows
    were left out: a huge document cannot make the page huge."""
    kept: list[dict[str, Any]] = []
    budget = MAX_VIEW_CHARS
    for row in rows[:MAX_VIEW_ROWS]:
        if budget <= 0:
            break
        if len(row["text"]) > budget:
            row = {**row, "text": row["text"][:budget] + " …"}
        budget -= len(row["text"])
        kept.append(row)
    return kept, len(rows) - len(kept)


def _charts(report: dict[str, Any], colours: dict[str, str]) -> dict[str, Any]:
    """The Vega-Lite specs: removals by rule and by stage (counts and
    characters), and the distribution of fraction removed per document."""
    removals, chars = report["removals"], report["removed_chars"]
    order = sorted(removals, key=lambda r: (-removals[r], r))
    rules = [
        {"reason": r, "stage": r.split(".", 1)[0], "count": removals[r], "characters": chars.get(r, 0)} for r in order
    ]
    colour = {
        "field": "reason",
        "type": "nominal",
        "scale": {"domain": list(colours), "range": list(colours.values())},
        "legend": None,
    }

    def bars(field: str, title: str, y: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": y,
                "x": {"field": field, "type": "quantitative", "title": title},
                "tooltip": [
                    {"field": y["field"], "type": "nominal"},
                    {"field": "count", "type": "quantitative", "title": "removals", "format": ","},
                    {"field": "characters", "type": "quantitative", "format": ","},
                ],
                **extra,
            },
        }

    rule_y = {"field": "reason", "type": "nominal", "sort": order, "title": None}
    by_rule = {
        "data": {"values": rules},
        "hconcat": [
            {**bars("count", "removals", rule_y, color=colour), "height": {"step": 16}},
            {
                **bars("characters", "characters removed", {**rule_y, "axis": None}, color=colour),
                "height": {"step": 16},
            },
        ],
    }
    stages: dict[str, dict[str, Any]] = {}
    for row in rules:
        stage = stages.setdefault(row["stage"], {"stage": row["stage"], "count": 0, "characters": 0})
        stage["count"] += row["count"]
        stage["characters"] += row["characters"]
    # Both charts of a stage list in the same order: by removals.
    stage_order = [s["stage"] for s in sorted(stages.values(), key=lambda s: (-s["count"], s["stage"]))]
    stage_y = {"field": "stage", "type": "nominal", "sort": stage_order, "title": None}
    stage_colour = {"field": "stage", "type": "nominal", "legend": None}
    by_stage = {
        "data": {"values": sorted(stages.values(), key=lambda s: s["stage"])},
        "hconcat": [
            {**bars("count", "removals", stage_y, color=stage_colour), "height": {"step": 22}},
            {
                **bars("characters", "characters removed", {**stage_y, "axis": None}, color=stage_colour),
                "height": {"step": 22},
            },
        ],
    }
    width = report["documents"]["bin_width"]
    bins = [
        {"from": round(i * width, 4), "to": round((i + 1) * width, 4), "documents": n}
        for i, n in enumerate(report["documents"]["fraction_removed_bins"])
    ]
    histogram = {
        "data": {"values": bins},
        "mark": {"type": "bar", "tooltip": True, "color": "#4c78a8"},
        "width": 560,
        "height": 180,
        "encoding": {
            "x": {
                "field": "from",
                "type": "quantitative",
                "bin": {"binned": True, "step": width},
                "title": "fraction of the document's characters removed",
                "axis": {"format": ".0%"},
                "scale": {"domain": [0, 1]},
            },
            "x2": {"field": "to"},
            "y": {
                "field": "documents",
                "type": "quantitative",
                "title": "documents",
                "axis": {"tickMinStep": 1, "format": ",d"},
            },
            "tooltip": [
                {"field": "from", "type": "quantitative", "format": ".0%", "title": "from"},
                {"field": "to", "type": "quantitative", "format": ".0%", "title": "to"},
                {"field": "documents", "type": "quantitative", "format": ","},
            ],
        },
    }
    return {"chart-rules": by_rule, "chart-stages": by_stage, "chart-fraction": histogram}


def render(report: dict[str, Any], views: list[dict[str, Any]]) -> str:
    """The page for a run's report (`Report.to_dict()`) and its shown documents."""
    colours = _colours(report)
    anchors: dict[str, int] = {}
    for i, view in enumerate(views):
        anchors.setdefault(view["id"], i)
    documents = []
    for i, view in enumerate(views):
        reasons = sorted({r.get("reason", "") for r in view.get("audit") or []})
        segments, cut = _capped(_segments(view, anchors, i))
        documents.append({**view, "index": i, "segments": segments, "cut": cut, "reasons": reasons})
    removed = sum(report["removed_chars"].values())
    total = removed + report["chars_out"]
    rules = [
        {
            "reason": r,
            "count": n,
            "characters": report["removed_chars"].get(r, 0),
            "share": report["removed_chars"].get(r, 0) / total if total else 0.0,
            "colour": colours[r],
            "index": i,
        }
        for i, (r, n) in enumerate(sorted(report["removals"].items()))
    ]
    seconds = report.get("seconds") or 0.0
    most = report["documents"]["most_removed"]
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            version=__version__,
            report=report,
            documents=documents,
            rules=rules,
            rules_by_reason={r["reason"]: r for r in rules},
            charts=_charts(report, colours),
            scripts=[_asset(name) for name in ASSETS],
            page_script=_page_asset("report.js"),
            style=_page_asset("report.css"),
            inputs=", ".join(report["inputs"][:MAX_INPUTS])
            + (f" and {len(report['inputs']) - MAX_INPUTS:,} more" if len(report["inputs"]) > MAX_INPUTS else ""),
            removed_chars=removed,
            removed_fraction=removed / total if total else 0.0,
            docs_per_second=report["documents_in"] / seconds if seconds > 0 else 0.0,
            most_removed=[{**m, "anchor": anchors.get(m["id"])} for m in most],
            skipped=report["skipped"][:MAX_SKIPPED_ROWS],
            sample_note=len(views) < report["documents_in"],
        )
    )


@cache
def _page_asset(name: str) -> str:
    """The page's own script or style (assets/), inlined."""
    return resources.files("corpusclean.report").joinpath("assets", name).read_text(encoding="utf-8")


def render_run(report: Report) -> str:
    """The page of a run just made (its report kept the views)."""
    return render(report.to_dict(), views_of(report))


def rebuild(
    report_path: str, output: str, audit: str, limits: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    """The page of an earlier run from its files, and the gates' verdict: the
    run's own limits with `limits` ({"gates.name": value}) laid over them.
    Raises OSError for a file that cannot be read, ValueError for one that is
    not what this version of the tool wrote."""
    with open(report_path, encoding="utf-8") as stream:
        try:
            report = json.load(stream)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{report_path}: not valid JSON: {exc.msg}") from None
    if not isinstance(report, dict) or "documents" not in report:
        raise ValueError(f"{report_path}: not a report of corpusclean {__version__} (no 'documents' section)")
    recorded = (report.get("gates") or {}).get("limits", {})
    given = {key.removeprefix("gates."): value for key, value in (limits or {}).items()}
    report["gates"] = gate_check(report, {**recorded, **given})
    return render(report, views_from_files(report, output, audit)), report["gates"]
