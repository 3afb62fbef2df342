"""Shared fixtures: the repository's paths and a loaded default config."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusclean import config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden from the current output.")


@pytest.fixture(scope="session")
def cfg() -> config.Config:
    return config.load()
