"""Config loading: defaults, overrides, and errors that name the key or rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpusclean import config

from .conftest import ROOT


def load_text(tmp_path: Path, text: str) -> config.Config:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(path)


def test_packaged_defaults_are_the_repository_config() -> None:
    assert config.default_data() == yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def test_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, "dedup:\n  threshold: 91\n")
    assert cfg.dedup["threshold"] == 91.0
    assert cfg.dedup["enabled"] is True
    assert len(cfg.rules) == len(config.load().rules)


def test_empty_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_text(tmp_path, "").raw == config.load().raw


def test_overrides_from_flags() -> None:
    cfg = config.load(None, {"dedup.enabled": False, "dedup.threshold": 70})
    assert cfg.dedup["enabled"] is False and cfg.dedup["threshold"] == 70.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dedupe: {}\n", "dedupe: unknown key (did you mean 'dedup'?)"),
        ("dedup:\n  treshold: 3\n", "dedup.treshold: unknown key (did you mean 'threshold'?)"),
        ("dedup: 3\n", "dedup: must be a mapping"),
        ("dedup:\n  enabled: 'yes'\n", "dedup.enabled: must be true or false, not 'yes'"),
        ("revisions:\n  min_doubled_chars: 4.5\n", "revisions.min_doubled_chars: must be a whole number, not 4.5"),
        ("dedup: [1\n", "not valid YAML"),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: regex, pattern: 'x', scope: page}\n",
            "boilerplate.rules[0] (name 'a').scope: must be one of line, run, block, to-end, document, not 'page'",
        ),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: regex, pattern: 'x', patern: y}\n",
            "boilerplate.rules[0] (name 'a').patern: unknown key (did you mean 'pattern'?)",
        ),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: regex, pattern: '[a-'}\n",
            "boilerplate.rules[0] (name 'a').pattern: not a valid regular expression",
        ),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: regex}\n",
            "rules[0] (name 'a').pattern: required",
        ),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: exact, pattern: x}\n"
            "    - {name: a, category: b, match: exact, pattern: y}\n",
            "the name 'a' is used twice",
        ),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(config.ConfigError) as caught:
        load_text(tmp_path, text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="cannot read config"):
        config.load(tmp_path / "nope.yaml")


def test_exact_and_prefix_rules_escape_their_pattern(tmp_path: Path) -> None:
    cfg = load_text(
        tmp_path,
        "boilerplate:\n  rules:\n"
        "    - {name: a, category: b, match: exact, pattern: 'Read more (1)'}\n"
        "    - {name: p, category: b, match: prefix, pattern: 'Ad.', case: sensitive}\n",
    )
    exact, prefix = cfg.rules
    assert exact.regex.search("read more (1)") and not exact.regex.search("Read more (1) now")
    assert prefix.regex.search("Ad. Buy now") and not prefix.regex.search("Adx") and not prefix.regex.search("ad. x")
