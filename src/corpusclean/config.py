"""Configuration: the packaged defaults with the user's YAML laid over them.

Errors name the dotted key ("dedup.treshold: unknown key (did you mean
'threshold'?)") or the rule ("boilerplate.rules[3] (name 'x').pattern: ...").
Regexes are compiled here, once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A config file or value the tool cannot use; the message names the key."""


MATCH_KINDS = ("exact", "prefix", "regex")
SCOPES = ("line", "run", "to-end")
ACTIONS = ("remove", "strip")
RULE_KEYS = {"name", "category", "match", "pattern", "case", "scope", "action", "max_chars", "examples"}


@dataclass(frozen=True)
class Rule:
    """A compiled boilerplate rule."""

    name: str
    category: str
    regex: re.Pattern[str]
    scope: str
    action: str
    max_chars: int | None
    remove_examples: tuple[str, ...]
    keep_examples: tuple[str, ...]


@dataclass(frozen=True)
class HeaderPattern:
    name: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Config:
    """The whole configuration; each stage reads only its own section."""

    input: dict[str, Any]
    normalise: dict[str, Any]
    revisions: dict[str, Any]
    header_patterns: tuple[HeaderPattern, ...]
    metadata: dict[str, Any]
    boilerplate: dict[str, Any]
    rules: tuple[Rule, ...]
    paragraphs: dict[str, Any]
    dedup: dict[str, Any]
    filter: dict[str, Any]
    classifier: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def defaults_text() -> str:
    """The packaged defaults: a copy of the repository's config.yaml made at build
    time, or the repository's file itself when running from a source tree."""
    packaged = resources.files("corpusclean").joinpath("defaults.yaml")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")


def default_data() -> dict[str, Any]:
    data = yaml.safe_load(defaults_text())
    assert isinstance(data, dict)
    return data


def load(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build a Config from the defaults, an optional YAML file, and overrides.

    `overrides` maps dotted keys ("dedup.threshold") to values, as the CLI's
    flags do.
    """
    data = default_data()
    if path is not None:
        try:
            user = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {_one_line(exc)}") from None
        if user is None:
            user = {}
        if not isinstance(user, dict):
            raise ConfigError(f"{path}: the config must be a mapping of sections")
        data = _merge(data, user, "")
    for dotted, value in (overrides or {}).items():
        section, key = dotted.split(".", 1)
        data = _merge(data, {section: {key: value}}, "")
    return _build(data)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _merge(base: dict[str, Any], user: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Lay `user` over `base`, refusing keys and types the defaults do not have."""
    merged = dict(base)
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if key not in base:
            hint = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"{dotted}: unknown key{suggestion}")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{dotted}: must be a mapping")
            merged[key] = _merge(default, value, f"{dotted}.")
        else:
            merged[key] = _check_type(dotted, default, value)
    return merged


def _check_type(dotted: str, default: Any, value: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{dotted}: must be true or false, not {value!r}")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{dotted}: must be a whole number, not {value!r}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{dotted}: must be a number, not {value!r}")
        value = float(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{dotted}: must be a string, not {value!r}")
    elif isinstance(default, list) and not isinstance(value, list):
        raise ConfigError(f"{dotted}: must be a list")
    return value


def _build(data: dict[str, Any]) -> Config:
    rules = tuple(_compile_rule(i, r) for i, r in enumerate(data["boilerplate"]["rules"]))
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"boilerplate.rules: the name '{name}' is used twice")
    stoplist = data["classifier"]["stopwords"]
    if not resources.files("corpusclean").joinpath("data", f"stopwords-{stoplist}.txt").is_file():
        raise ConfigError(f"classifier.stopwords: no stopword list named {stoplist!r} in the package")
    headers = tuple(_compile_header(i, h) for i, h in enumerate(data["revisions"]["header_patterns"]))
    return Config(
        input=data["input"],
        normalise=data["normalise"],
        revisions=data["revisions"],
        header_patterns=headers,
        metadata=data["metadata"],
        boilerplate=data["boilerplate"],
        rules=rules,
        paragraphs=data["paragraphs"],
        dedup=data["dedup"],
        filter=data["filter"],
        classifier=data["classifier"],
        raw=data,
    )


def _compile_header(index: int, item: Any) -> HeaderPattern:
    where = f"revisions.header_patterns[{index}]"
    if not isinstance(item, dict) or set(item) != {"name", "pattern"}:
        raise ConfigError(f"{where}: must have exactly the keys 'name' and 'pattern'")
    try:
        return HeaderPattern(str(item["name"]), re.compile(str(item["pattern"])))
    except re.error as exc:
        raise ConfigError(f"{where} (name '{item['name']}').pattern: not a valid regular expression: {exc}") from None


def _compile_rule(index: int, item: Any) -> Rule:
    where = f"boilerplate.rules[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a mapping")
    if "name" in item:
        where += f" (name '{item['name']}')"
    unknown = set(item) - RULE_KEYS
    if unknown:
        key = sorted(unknown)[0]
        hint = difflib.get_close_matches(key, sorted(RULE_KEYS), n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ConfigError(f"{where}.{key}: unknown key{suggestion}")
    for key in ("name", "category", "match", "pattern"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise ConfigError(f"{where}.{key}: required, a non-empty string")
    match = item["match"]
    scope = item.get("scope", "line")
    action = item.get("action", "remove")
    case = item.get("case", "insensitive")
    for key, value, allowed in (
        ("match", match, MATCH_KINDS),
        ("scope", scope, SCOPES),
        ("action", action, ACTIONS),
        ("case", case, ("insensitive", "sensitive")),
    ):
        if value not in allowed:
            raise ConfigError(f"{where}.{key}: must be one of {', '.join(allowed)}, not {value!r}")
    pattern = item["pattern"]
    if match == "exact":
        pattern = f"^{re.escape(pattern)}$"
    elif match == "prefix":
        pattern = f"^{re.escape(pattern)}"
    flags = re.IGNORECASE if case == "insensitive" else 0
    try:
        regex = re.compile(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"{where}.pattern: not a valid regular expression: {exc}") from None
    max_chars = item.get("max_chars")
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1):
        raise ConfigError(f"{where}.max_chars: must be a positive whole number")
    examples = item.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - {"remove", "keep"}:
        raise ConfigError(f"{where}.examples: must be a mapping with 'remove' and 'keep' lists")
    remove = examples.get("remove") or []
    keep = examples.get("keep") or []
    if not all(isinstance(x, str) for x in [*remove, *keep]):
        raise ConfigError(f"{where}.examples: examples must be strings")
    return Rule(
        name=item["name"],
        category=item["category"],
        regex=regex,
        scope=scope,
        action=action,
        max_chars=max_chars,
        remove_examples=tuple(remove),
        keep_examples=tuple(keep),
    )
