"""The HTML report: rendered in headless Chromium (Debian's `chromium`, which
.ci/run installs) with the network cut off, its DOM read after the scripts ran
and a screenshot taken; and, without a browser, what the page holds and how
the documents it shows are chosen."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner

from corpusclean.cli import clean_command, main
from corpusclean.config import load
from corpusclean.document import Document, Paragraph, Removal
from corpusclean.report.documents import DocumentTally

from .conftest import SEEDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="no chromium here (CI installs Debian's package and runs these tests)",
)
CHARTS = ("chart-rules", "chart-stages", "chart-fraction")
# What an escaping bug would run: it marks the page.
PAYLOAD = "<script>document.documentElement.setAttribute('data-pwned', '1')</script>"


def chromium(page: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on `page` with the network cut off: every host name
    fails to resolve and every request goes to a dead proxy."""
    assert CHROMIUM is not None, "CI=true, so chromium must be installed (see .ci/run)"
    argv = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=15000",
        *flags,
        page.as_uri(),
    ]
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, check=False)


def rendered(page: Path, tmp_path: Path) -> tuple[Any, list[str]]:
    """The page's DOM after its scripts ran, and the console messages Chromium logged."""
    result = chromium(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return lxml.html.fromstring(result.stdout), console


def screenshot(page: Path, tmp_path: Path, png: Path) -> None:
    result = chromium(page, tmp_path, f"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars")
    assert result.returncode == 0, result.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    # A blank page compresses to a few KB; charts, tables and text do not.
    assert len(data) > 60_000


def check_page(dom: Any, console: list[str], report: dict[str, Any]) -> None:
    """What every rendered report must show: no error, the charts drawn, every rule with its count."""
    assert console == []
    assert dom.get("data-errors") is None
    assert dom.get("data-charts-drawn") == "3"
    for chart in CHARTS:
        (node,) = dom.xpath(f'//*[@id="{chart}"]')
        assert node.get("data-drawn") == "true"
        marks = node.xpath('.//*[local-name()="g"][contains(@class, "mark-rect")]/*[local-name()="path"]')
        assert marks, f"{chart}: no bars drawn"
    rows = dom.xpath('//table[@id="rules"]/tbody/tr')
    assert {row.get("data-reason"): int(row.xpath('./td[contains(@class, "count")]')[0].text) for row in rows} == (
        report["removals"]
    )
    # The rule chart labels a bar for every rule that fired.
    labels = {t.text for t in dom.xpath('//*[@id="chart-rules"]//*[local-name()="text"]')}
    assert set(report["removals"]) <= labels
    # The histogram's data are the report's bins, which count every document.
    assert sum(report["documents"]["fraction_removed_bins"]) == report["documents_in"]
    # Every removal shown can be focused (Tab) and tells its rule on hover or focus.
    marks = dom.xpath('//mark[contains(@class, "rm")]')
    assert marks and all(m.get("tabindex") == "0" and m.get("data-tip").startswith(m.get("data-reason")) for m in marks)


def run_clean(tmp_path: Path, *args: str) -> tuple[Path, dict[str, Any]]:
    page, report = tmp_path / "report.html", tmp_path / "report.json"
    argv = [*args, "-o", str(tmp_path / "out.jsonl"), "--audit", str(tmp_path / "audit.jsonl")]
    result = CliRunner().invoke(clean_command, [*argv, "--report", str(report), "--html-report", str(page), "-q"])
    assert result.exit_code == 0, result.stderr
    return page, json.loads(report.read_text(encoding="utf-8"))


def generated_corpus(folder: Path) -> Path:
    """Invented pages: one quoting a <script> in its title and text, one copied
    whole (dropped as a duplicate document), one with boilerplate, one skipped."""
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Council approves the library budget\n\n"
        "The council approved the new budget for libraries on Tuesday evening after a long debate.\n\n"
        "Members said the extra money would keep three branches open on Saturdays.\n\n"
        "Subscribe\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        f"Readers write {PAYLOAD}\n\n"
        f"A reader pasted {PAYLOAD} into a comment about the plan, and the site printed it.\n\n"
        "The library service said opening hours would be published next month.\n",
        encoding="utf-8",
    )
    (folder / "c.txt").write_text((folder / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "d.jsonl").write_text(
        "".join(
            json.dumps({"id": f"feed-{i}", "text": f"Item {i} of the feed says the branch at Elm Road opens at {i}."})
            + "\n"
            for i in range(12)
        ),
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    return folder


# -- in Chromium ------------------------------------------------------------------------


@needs_chromium
def test_seeds_report_in_chromium(tmp_path: Path) -> None:
    page, report = run_clean(tmp_path, str(SEEDS))
    dom, console = rendered(page, tmp_path)
    check_page(dom, console, report)
    assert len(dom.xpath("//article[@class='doc']")) == 5
    # A duplicate links to the kept paragraph it copies, and that paragraph is on the page.
    links = dom.xpath('//span[@class="dup"]/a/@href')
    assert links and all(dom.xpath(f'//*[@id="{href[1:]}"]') for href in links)
    screenshot(page, tmp_path, tmp_path / "seeds.png")


@needs_chromium
def test_generated_corpus_report_in_chromium(tmp_path: Path) -> None:
    page, report = run_clean(tmp_path, str(generated_corpus(tmp_path / "in")), "--no-dedup")
    dom, console = rendered(page, tmp_path)
    check_page(dom, console, report)
    # The <script> in a document is text, never run.
    assert dom.get("data-pwned") is None
    (doc,) = dom.xpath('//article[@data-id="b"]')
    assert doc.xpath(".//h3/a")[0].text_content() == f"Readers write {PAYLOAD}"
    assert PAYLOAD in doc.xpath('.//div[@class="text"]')[0].text_content()
    assert not doc.xpath(".//script")
    assert dom.xpath('//*[@id="skipped-count"]')[0].text_content().strip() == "1: empty 1"
    screenshot(page, tmp_path, tmp_path / "generated.png")


@needs_chromium
def test_rebuilt_report_in_chromium_with_a_dropped_document(tmp_path: Path) -> None:
    _, report = run_clean(tmp_path, str(generated_corpus(tmp_path / "in")))
    files = ["--report", "report.json", "--output", "out.jsonl", "--audit", "audit.jsonl", "-o", "again.html"]
    result = CliRunner().invoke(main, ["report", *[x if x[0] == "-" else str(tmp_path / x) for x in files]])
    assert result.exit_code == 0, result.stderr
    dom, console = rendered(tmp_path / "again.html", tmp_path)
    check_page(dom, console, report)
    (dropped,) = dom.xpath('//article[@data-id="c"]')
    assert "dropped: duplicate-document" in dropped.text_content()
    # Its paragraphs link to the copies kept in a.txt, shown above it.
    hrefs = dropped.xpath('.//span[@class="dup"]/a/@href')
    (kept,) = dom.xpath('//article[@data-id="a"]')
    assert hrefs and all(h[1:] in kept.xpath(".//div/@id") for h in hrefs)


# -- without a browser -------------------------------------------------------------------


def test_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    page, report = run_clean(tmp_path, str(generated_corpus(tmp_path / "in")))
    html = page.read_text(encoding="utf-8")
    # Nothing is loaded from elsewhere, and the page's policy forbids it.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, re.IGNORECASE)
    assert "<link" not in html and "sourceMappingURL" not in html
    assert "default-src 'none'" in html and "connect-src" not in html
    # Only the page's own scripts: an error trap, three libraries, the chart specs, the page script.
    assert html.count("<script") == 6
    assert (
        "&lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;, &#39;1&#39;)&lt;/script&gt;" in html
    )
    assert report["documents_in"] == 15 and report["documents"]["fraction_removed_bins"][-1] == 1


@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_clean_and_corpusclean_report_make_the_same_page(tmp_path: Path, corpus: str) -> None:
    page, _ = run_clean(tmp_path, str(SEEDS if corpus == "seeds" else generated_corpus(tmp_path / "in")))
    files = ["--report", "report.json", "--output", "out.jsonl", "--audit", "audit.jsonl", "-o", "again.html"]
    result = CliRunner().invoke(main, ["report", *[x if x[0] == "-" else str(tmp_path / x) for x in files]])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == page.read_text(encoding="utf-8")


def test_corpusclean_report_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('{"files": 1}', encoding="utf-8")
    (tmp_path / "o.jsonl").write_text("", encoding="utf-8")
    argv = ["report", "--report", str(tmp_path / "r.json"), "--output", str(tmp_path / "o.jsonl")]
    argv += ["--audit", str(tmp_path / "gone.jsonl"), "-o", str(tmp_path / "p.html")]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"corpusclean: error: {tmp_path / 'r.json'}: not a report of corpusclean 0.1.0 (no 'documents' section)\n"
    )
    (tmp_path / "r.json").write_text('{"files": ', encoding="utf-8")
    result = CliRunner().invoke(main, argv)
    assert result.stderr == f"corpusclean: error: {tmp_path / 'r.json'}: not valid JSON: Expecting value\n"
    assert not (tmp_path / "p.html").exists()


def test_large_run_shows_a_sample_and_the_tail_the_same_for_any_jobs(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = []
    for i in range(400):
        # Every 37th document is mostly boilerplate: the tail.
        junk = "\n".join(["Subscribe"] * 30) if i % 37 == 0 else "Subscribe"
        lines.append(
            json.dumps({"id": f"doc-{i:04d}", "text": f"Paragraph {i} tells of the branch at Elm Road.\n{junk}"})
        )
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = tmp_path / "small.yaml"
    cfg.write_text("report:\n  html_documents: 30\n  html_most_removed: 5\n", encoding="utf-8")
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        out.mkdir()
        page, report = run_clean(out, str(feed), "--config", str(cfg), "--no-dedup", "-j", jobs)
        pages.append(page.read_text(encoding="utf-8").split("<footer>")[0].split('<section id="removals">')[1])
        shown = [d["id"] for d in report["documents"]["shown"]]
        tail = [d["id"] for d in report["documents"]["most_removed"]]
        assert len(tail) == 5 and set(tail) <= set(shown) and 30 <= len(shown) <= 35
        fractions = [d["fraction"] for d in report["documents"]["most_removed"]]
        assert all(int(i[4:]) % 37 == 0 for i in tail) and fractions == sorted(fractions, reverse=True)
        assert shown == sorted(shown)  # input order
        assert sum(report["documents"]["fraction_removed_bins"]) == 400
        assert report["config_changed"] == {
            "dedup.enabled": False,
            "report.html_documents": 30,
            "report.html_most_removed": 5,
        }
    assert pages[0] == pages[1]


def test_a_huge_document_is_cut_in_its_view(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [f"Line {i} of a very long page about the branch libraries and their opening hours." for i in range(1000)]
    (folder / "long.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    page, _ = run_clean(tmp_path, str(folder))
    dom = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    rows = dom.xpath('//article//div[@class="text"]/div')
    # A row's text: the kept paragraph, or the removal (lines alike enough are near-duplicates here).
    texts = [(row.xpath("./p/mark") or row.xpath("./p"))[0].text_content() for row in rows]
    # 20,000 characters of text, the last row cut short.
    assert sum(len(t) for t in texts) == 20_000 + len(" …") and texts[-1].endswith(" …")
    cut = dom.xpath('//p[@class="cut"]')[0].text_content()
    assert cut.startswith(f"… {1000 - len(rows)} more lines not shown")
    assert len(page.read_bytes()) < 1_000_000


def _doc(i: int, removed: int) -> Document:
    doc = Document(id=f"d{i}", source="s", chars_in=100)
    doc.paragraphs = [Paragraph(1, "x" * (100 - removed))]
    if removed:
        doc.removals = [Removal("boilerplate", "r", 2, "y" * removed)]
    return doc


def test_tally_merged_in_batches_equals_one_pass() -> None:
    whole = DocumentTally(sample_size=7, most_removed_size=3)
    batches: list[DocumentTally] = []
    for i in range(100):
        doc = _doc(i, (i * 37) % 100)
        whole.add(doc)
        if i % 9 == 0:
            batches.append(DocumentTally(sample_size=7, most_removed_size=3))
        batches[-1].add(_doc(i, (i * 37) % 100))
    merged = DocumentTally(sample_size=7, most_removed_size=3)
    for batch in batches:
        merged.merge(batch)
    assert merged.to_dict() == whole.to_dict()
    assert [s["id"] for s in whole.to_dict()["most_removed"]] == ["d27", "d54", "d81"]  # 99%, 98%, 97% removed
    assert sum(whole.bins) == 100


def test_packaged_config_sections() -> None:
    cfg = load()
    assert cfg.report == {"html_documents": 200, "html_most_removed": 25}
