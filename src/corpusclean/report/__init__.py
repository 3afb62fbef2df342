"""Judging a run: the counts (report.json), the summary on stderr, the gates
that make a run fail, and the HTML page that shows the removals.

`counts` owns the Report (what every stage removed), `documents` the
per-document figures and the sample the page shows, `gates` the CI checks,
`html` the page.
"""

from __future__ import annotations

from .counts import Report

__all__ = ["Report"]
