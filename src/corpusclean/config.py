"""Configuration: the packaged defaults with the user's YAML laid over them.

Every value is checked against the schema (schema.py: types, ranges, list
items) when the config loads. Errors are one line naming the dotted key
("dedup.treshold: unknown key (did you mean 'threshold'?)", "dedup.coverage:
must be a number from 0 to 1, not -1") or the rule ("boilerplate.rules[3] (name 'x').pattern: ...").
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

from . import schema
from .report.gates import check_limits


class ConfigError(ValueError):
    """A config file or value the tool cannot use; the message names the key."""


MATCH_KINDS = ("exact", "prefix", "regex")
SCOPES = ("line", "run", "block", "to-end", "comments", "document")
ACTIONS = ("remove", "strip", "metadata")
RULE_KEYS = {
    "name",
    "category",
    "match",
    "pattern",
    "case",
    "scope",
    "action",
    "field",
    "within",
    "max_chars",
    "max_prose_lines",
    "examples",
    "spare_headline",
    "languages",
}
# A document rule drops a document only when at most this many prose lines
# remain beside the lines it matches: an article that quotes "Page not found"
# keeps its text.
DEFAULT_MAX_PROSE_LINES = 3


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
    # action metadata: the metadata field that receives the line (or its
    # named group "value").
    field: str | None = None
    # Only among the first / last this many non-blank lines (None: anywhere).
    within_first: int | None = None
    within_last: int | None = None
    # scope document: drop the document only if at most this many prose lines remain.
    max_prose_lines: int = DEFAULT_MAX_PROSE_LINES
    # The rule does not fire on the document's headline (a BBC headline may
    # read "Watch: ..." or "In pictures: ...", like the promos the rule removes).
    spare_headline: bool = False
    # The languages (metadata.language codes) whose documents the rule runs
    # on; None: every document, whatever its language.
    languages: frozenset[str] | None = None


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
    language: dict[str, Any]
    boilerplate: dict[str, Any]
    rules: tuple[Rule, ...]
    paragraphs: dict[str, Any]
    repetition: dict[str, Any]
    dedup: dict[str, Any]
    filter: dict[str, Any]
    classifier: dict[str, Any]
    # What the HTML report shows, and the gates a run must pass (report/).
    report: dict[str, Any] = field(default_factory=dict)
    gates: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


# libyaml's loader when PyYAML was built with it: ten times faster on our config.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


def defaults_text() -> str:
    """The packaged defaults: a copy of the repository's config.yaml made at build
    time, or the repository's file itself when running from a source tree."""
    packaged = resources.files("corpusclean").joinpath("defaults.yaml")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")


def default_data() -> dict[str, Any]:
    data = _yaml(defaults_text())
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
            user = _yaml(Path(path).read_text(encoding="utf-8"))
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
        nested: Any = value
        for part in reversed(dotted.split(".")):  # "a.b.c" -> {a: {b: {c: value}}}
            nested = {part: nested}
        data = _merge(data, nested, "")
    try:
        data = schema.validate(data)
    except schema.SchemaError as exc:
        raise ConfigError(str(exc)) from None
    return _build(data)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _printable(key: Any) -> str:
    """A YAML key as it appears in an error line: quoted when it holds a line break or control character."""
    text = str(key)
    return text if text.isprintable() else repr(text)


# Mappings whose keys the user chooses (one per language), each a list of strings.
OPEN_MAPPINGS = {"metadata.byline_prefixes"}


def _merge(base: dict[str, Any], user: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Lay `user` over `base`, refusing keys the defaults do not have (with a
    hint); the values' types and ranges are the schema's to check."""
    merged = dict(base)
    for key, value in user.items():
        dotted = f"{prefix}{_printable(key)}"
        if prefix.rstrip(".") in OPEN_MAPPINGS and key not in base:
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise ConfigError(f"{dotted}: must be a list of strings")
            merged[key] = value
            continue
        if key not in base:
            hint = difflib.get_close_matches(str(key), [str(k) for k in base], n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"{dotted}: unknown key{suggestion}")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{dotted}: must be a mapping")
            # An empty default mapping is one the user fills (input.encodings).
            merged[key] = _merge(default, value, f"{dotted}.") if default else value
        else:
            merged[key] = value
    return merged


def _check_encodings(section: dict[str, Any]) -> None:
    """input.encoding, input.encodings and input.legacy_encodings name codecs Python knows."""
    from .decoding import check_codec

    named: list[tuple[str, Any]] = [
        (f"input.legacy_encodings[{i}]", e) for i, e in enumerate(section["legacy_encodings"])
    ]
    if section["encoding"] is not None:
        named.append(("input.encoding", section["encoding"]))
    named += [(f"input.encodings[{glob!r}]", e) for glob, e in section["encodings"].items()]
    for where, name in named:
        if not isinstance(name, str):
            raise ConfigError(f"{where}: must be an encoding name, not {name!r}")
        try:
            check_codec(name)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None


def _build(data: dict[str, Any]) -> Config:
    _check_encodings(data["input"])
    section = data["boilerplate"]
    rules = tuple(_compile_rule(i, r) for i, r in enumerate(section["rules"]))
    rules += tuple(_compile_rule(i, r, "boilerplate.extra_rules") for i, r in enumerate(section["extra_rules"]))
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"boilerplate.rules: the name '{name}' is used twice")
    for name in section["disabled_rules"]:
        if name not in names:
            hint = difflib.get_close_matches(str(name), names, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"boilerplate.disabled_rules: no rule is named {name!r}{suggestion}")
    rules = tuple(r for r in rules if r.name not in section["disabled_rules"])
    stoplist = data["classifier"]["stopwords"]
    if (
        stoplist != "auto"
        and not resources.files("corpusclean").joinpath("data", f"stopwords-{stoplist}.txt").is_file()
    ):
        raise ConfigError(f"classifier.stopwords: no stopword list named {stoplist!r} in the package")
    headers = tuple(_compile_header(i, h) for i, h in enumerate(data["revisions"]["header_patterns"]))
    problem = check_limits(data["gates"])
    if problem:
        raise ConfigError(problem)
    for key in ("html_documents", "html_most_removed"):
        if data["report"][key] < 1:
            raise ConfigError(f"report.{key}: must be 1 or more")
    return Config(
        input=data["input"],
        normalise=data["normalise"],
        revisions=data["revisions"],
        header_patterns=headers,
        metadata=data["metadata"],
        language=data["language"],
        boilerplate=data["boilerplate"],
        rules=rules,
        paragraphs=data["paragraphs"],
        repetition=data["repetition"],
        dedup=data["dedup"],
        filter=data["filter"],
        classifier=data["classifier"],
        report=data["report"],
        gates=data["gates"],
        raw=data,
    )


def changed(data: dict[str, Any], base: dict[str, Any] | None = None, prefix: str = "") -> dict[str, Any]:
    """The keys of a loaded config (`Config.raw`) whose values differ from the
    packaged defaults, dotted ("dedup.threshold": 90), in the defaults' order.
    A changed list is given whole when it holds plain values, else as its length."""
    base = default_data() if base is None else base
    out: dict[str, Any] = {}
    for key, value in data.items():
        default = base.get(key)
        if isinstance(value, dict) and isinstance(default, dict):
            out.update(changed(value, default, f"{prefix}{key}."))
        elif value != default:
            plain = not isinstance(value, list) or all(isinstance(v, (str, int, float, bool)) for v in value)
            out[f"{prefix}{key}"] = value if plain else f"{len(value)} items"
    return out


def _compile_header(index: int, item: Any) -> HeaderPattern:
    where = f"revisions.header_patterns[{index}]"
    if not isinstance(item, dict) or set(item) != {"name", "pattern"}:
        raise ConfigError(f"{where}: must have exactly the keys 'name' and 'pattern'")
    try:
        return HeaderPattern(str(item["name"]), re.compile(str(item["pattern"])))
    except re.error as exc:
        raise ConfigError(f"{where} (name '{item['name']}').pattern: not a valid regular expression: {exc}") from None


def _compile_rule(index: int, item: Any, section: str = "boilerplate.rules") -> Rule:
    where = f"{section}[{index}]"
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
    field_name = item.get("field")
    if action == "metadata":
        if not isinstance(field_name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", field_name):
            raise ConfigError(f"{where}.field: required with action metadata, a lower-case name such as 'credits'")
        if field_name in PROTECTED_FIELDS:
            raise ConfigError(f"{where}.field: {field_name!r} is set by another stage; choose another name")
    elif field_name is not None:
        raise ConfigError(f"{where}.field: only rules with action metadata take a field")
    if action != "remove" and scope != "line":
        raise ConfigError(f"{where}.action: {action} works on single lines only (scope line), not scope {scope}")
    within_first, within_last = _within(where, item.get("within"))
    max_prose = item.get("max_prose_lines", DEFAULT_MAX_PROSE_LINES)
    if "max_prose_lines" in item and scope != "document":
        raise ConfigError(f"{where}.max_prose_lines: only rules with scope document take it")
    if isinstance(max_prose, bool) or not isinstance(max_prose, int) or max_prose < 0:
        raise ConfigError(f"{where}.max_prose_lines: must be a whole number, 0 or more")
    spare = item.get("spare_headline", False)
    if not isinstance(spare, bool):
        raise ConfigError(f"{where}.spare_headline: must be true or false")
    languages = item.get("languages")
    if languages is not None and (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x) for x in languages)
    ):
        raise ConfigError(f"{where}.languages: must be a non-empty list of language codes such as [de, fr]")
    return Rule(
        name=item["name"],
        category=item["category"],
        regex=regex,
        scope=scope,
        action=action,
        max_chars=max_chars,
        remove_examples=tuple(remove),
        keep_examples=tuple(keep),
        field=field_name,
        within_first=within_first,
        within_last=within_last,
        max_prose_lines=max_prose,
        spare_headline=spare,
        languages=frozenset(languages) if languages is not None else None,
    )


# Metadata fields other stages own; a rule may not overwrite them.
PROTECTED_FIELDS = {
    "outlet",
    "url",
    "author",
    "date",
    "revisions",
    "news_diff",
    "duplicate_of",
    "encoding",
    "encoding_repaired_bytes",
    "language",
    "language_confidence",
    "section",
}


def _within(where: str, value: Any) -> tuple[int | None, int | None]:
    """`within: {first: N}` and/or `{last: N}`: the rule looks only at those lines."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not value or set(value) - {"first", "last"}:
        raise ConfigError(f"{where}.within: must be a mapping with 'first' and/or 'last' line counts")
    for key, n in value.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ConfigError(f"{where}.within.{key}: must be a positive whole number")
    return value.get("first"), value.get("last")
