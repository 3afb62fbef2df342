"""Config loading: defaults, overrides, and errors that name the key or rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from corpusclean import config, schema
from corpusclean.cli import clean_command

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
        (
            "revisions:\n  min_doubled_chars: 4.5\n",
            "revisions.min_doubled_chars: must be a whole number, 0 or more, not 4.5",
        ),
        ("dedup: [1\n", "not valid YAML"),
        (
            "boilerplate:\n  rules:\n    - {name: a, category: b, match: regex, pattern: 'x', scope: page}\n",
            "boilerplate.rules[0] (name 'a').scope: must be one of line, run, block, to-end, comments, document, not 'page'",
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


# -- the schema: every key's type, range and list items, at load -----------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("input:\n  include: [5]\n", "input.include[0]: must be a non-empty string, not 5"),
        ("input:\n  exclude: [null]\n", "input.exclude[0]: must be a non-empty string, not None"),
        ("input:\n  include: '*.txt'\n", "input.include: must be a list of non-empty strings, not '*.txt'"),
        ("input:\n  max_line_chars: -1\n", "input.max_line_chars: must be a whole number, 1 or more, not -1"),
        ("input:\n  max_file_bytes: 0\n", "input.max_file_bytes: must be a whole number, 1 or more, not 0"),
        (
            "filter:\n  max_duplicate_fraction: 7\n",
            "filter.max_duplicate_fraction: must be a number from 0 to 1, not 7",
        ),
        ("dedup:\n  coverage: -1\n", "dedup.coverage: must be a number from 0 to 1, not -1"),
        ("dedup:\n  threshold: 101\n", "dedup.threshold: must be a number from 0 to 100, not 101"),
        ("dedup:\n  survivor: last\n", "dedup.survivor: must be one of first, longest, preferred, not 'last'"),
        ("metadata:\n  header_lines: -3\n", "metadata.header_lines: must be a whole number, 0 or more, not -3"),
        ("dedup:\n  enabled: 1\n", "dedup.enabled: must be true or false, not 1"),
        ("dedup:\n  threshold: '90'\n", "dedup.threshold: must be a number from 0 to 100, not '90'"),
        (
            "input:\n  legacy_encodings: [cp1252, klingon]\n",
            "input.legacy_encodings[1]: must be a text encoding Python knows (such as cp1252, latin-1, cp1251), "
            "not 'klingon'",
        ),
        (
            "dedup:\n  spill_dir: /no/such/folder\n",
            'dedup.spill_dir: must be an existing folder, or "" for the system\'s temporary folder, '
            "not '/no/such/folder'",
        ),
        (
            "boilerplate:\n  heuristics:\n    uppercase_max_fraction: 2\n",
            "boilerplate.heuristics.uppercase_max_fraction: must be a number from 0 to 1, not 2",
        ),
    ],
)
def test_schema_errors_name_the_key_and_allowed_values(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(config.ConfigError) as caught:
        load_text(tmp_path, text)
    assert str(caught.value) == message


def test_schema_and_config_yaml_have_the_same_keys() -> None:
    """The schema has no defaults: config.yaml gives them, and each side names every key of the other."""

    def keys(model: type[BaseModel], prefix: str = "") -> set[str]:
        out = set()
        for name, info in model.model_fields.items():
            sub = info.annotation
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                out |= keys(sub, f"{prefix}{name}.")
            else:
                assert info.is_required(), f"{prefix}{name} has a default in the schema"
                out.add(f"{prefix}{name}")
        return out

    def yaml_keys(data: dict[str, Any], prefix: str = "") -> set[str]:
        out = set()
        for name, value in data.items():
            # A mapping whose keys the user chooses (input.encodings, the
            # byline prefixes per language) is one key of the schema.
            if isinstance(value, dict) and value and f"{prefix}{name}" not in config.OPEN_MAPPINGS:
                out |= yaml_keys(value, f"{prefix}{name}.")
            else:
                out.add(f"{prefix}{name}")
        return out

    assert keys(schema.Schema) == yaml_keys(config.default_data())


def test_cli_config_error_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A line of text that is long enough to be kept by the filter.\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("dedup:\n  coverage: -1\n", encoding="utf-8")
    argv = [str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"), "--config", str(tmp_path / "c.yaml")]
    result = CliRunner().invoke(clean_command, argv)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: config: dedup.coverage: must be a number from 0 to 1, not -1"


# YAML values of every kind a user might type, nested a little.
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _all_keys() -> list[str]:
    found: list[str] = []

    def walk(data: dict[str, Any], prefix: str) -> None:
        for name, value in data.items():
            found.append(f"{prefix}{name}")
            if isinstance(value, dict):
                walk(value, f"{prefix}{name}.")

    walk(config.default_data(), "")
    return found


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(_all_keys()), value=YAML_VALUES)
def test_config_fuzz_never_a_traceback(tmp_path_factory: pytest.TempPathFactory, key: str, value: Any) -> None:
    """Any value at any key (through a real YAML file) loads or fails with one ConfigError line."""
    nested: Any = value
    for part in reversed(key.split(".")):
        nested = {part: nested}
    path = tmp_path_factory.mktemp("fuzz") / "c.yaml"
    path.write_text(yaml.safe_dump(nested), encoding="utf-8")
    try:
        config.load(path)
    except config.ConfigError as exc:
        assert "\n" not in str(exc) and str(exc)
