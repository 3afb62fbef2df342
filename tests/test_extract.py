"""HTML extraction: trafilatura's text, the fallback to visible text, and the
account of visible text that extraction left out."""

from __future__ import annotations

from typing import Any

import pytest
import trafilatura

from corpusclean import config
from corpusclean.extract import extract_html, unextracted_blocks, visible_text

PAGE = """<!DOCTYPE html>
<html><head><title>Quay Works Finish Early | Harbour News</title></head><body>
<nav><a href="/">Home</a> | <a href="/local">Local</a></nav>
<article><h1>Quay Works Finish Early</h1>
<p>Repairs to the north quay finished a week ahead of plan, the harbour board said on Monday, and fishing boats can tie up there again from Wednesday.</p>
<p>The board had closed the quay in March after a survey found cracks in the old stone facing along its seaward edge.</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Lifeboat crew honoured</a></li><li><a href="/b">Ferry fares to rise</a></li></ul></aside>
<footer>© 2024 Harbour News</footer>
</body></html>"""


def html_cfg(**changes: Any) -> dict[str, Any]:
    cfg = dict(config.load().input["html"])
    cfg.update(changes)
    return cfg


def test_visible_text_leaves_out_the_head() -> None:
    lines = [line.strip() for line in visible_text(PAGE).split("\n") if line.strip()]
    assert "Quay Works Finish Early | Harbour News" not in lines  # the <title>
    assert lines[0] == "Home | Local"
    assert lines[-1] == "© 2024 Harbour News"


def test_unextracted_blocks_are_runs_of_lines_missing_from_the_text() -> None:
    visible = "Home\nNews\n\nFirst paragraph here.\nSecond one.\nMost read\nFooter"
    extracted = "First   paragraph HERE.\nSecond one."
    assert unextracted_blocks(visible, extracted) == [(1, 2, "Home\nNews"), (6, 7, "Most read\nFooter")]
    assert unextracted_blocks("", extracted) == []


def test_extraction_accounts_for_every_block_it_left_out() -> None:
    found = extract_html(PAGE, html_cfg())
    assert found.method == "trafilatura"
    assert found.title == "Quay Works Finish Early"
    assert found.text.startswith("Quay Works Finish Early\nRepairs to the north quay")
    left_out = [r.text for r in found.removals]
    assert all(r.reason == "extract.not-extracted" and r.pos == 0 for r in found.removals)
    assert "Home | Local" in left_out[0]
    assert "© 2024 Harbour News" in left_out[-1]
    # Nothing the text holds is reported as left out.
    assert not any("Repairs to the north quay" in text for text in left_out)
    assert found.visible_chars == len(visible_text(PAGE))
    assert extract_html(PAGE, html_cfg(account_unextracted=False)).removals == []


def test_page_without_main_text_falls_back_to_its_visible_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Some pages (malformed markup, bare lists) give trafilatura no text at all.
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    found = extract_html(PAGE, html_cfg())
    assert found.method == "visible-text"
    assert found.text == visible_text(PAGE)
    assert found.removals == []
    skipped = extract_html(PAGE, html_cfg(fallback="skip"))
    assert skipped.text == "" and skipped.method == "trafilatura"


def test_trafilatura_options_come_from_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake(html: str, **kwargs: Any) -> dict[str, Any]:
        seen.update(kwargs)
        return {"text": "Body text of the page.", "comments": "A reader wrote in."}

    monkeypatch.setattr(trafilatura, "bare_extraction", fake)
    found = extract_html(PAGE, html_cfg(favor_recall=True, include_comments=True))
    assert seen["favor_recall"] is True and seen["favor_precision"] is False and seen["include_comments"] is True
    assert found.text == "Body text of the page.\nA reader wrote in."
    assert extract_html(PAGE, html_cfg()).text == "Body text of the page."
