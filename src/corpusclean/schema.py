"""The config's schema: every key's type and allowed range, checked with pydantic.

The schema holds types and ranges only, no defaults: every key is required,
so the packaged config.yaml (which the schema validates at every load) stays
the one documented source of every default, and a key added to one but not
the other fails the first load (and tests/test_config.py). Boilerplate rules
and header patterns are lists of mappings checked item by item where they are
compiled (config._compile_rule), whose errors already name the rule.

`validate(data)` returns the data with its numbers coerced (an int where a
float is allowed becomes a float) or raises ConfigError with one line naming
the dotted key and what it allows: `dedup.coverage: must be a number from 0
to 1, not -1`.
"""

from __future__ import annotations

import codecs
import os
import re
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types as at
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo


class SchemaError(ValueError):
    """A value outside the schema; the message is one line naming the dotted key."""


def _codec(name: str) -> str:
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError("codec") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError("codec")
    return name


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error:
        raise ValueError("regex") from None
    return pattern


def _folder(path: str) -> str:
    if path and not os.path.isdir(path):
        raise ValueError("folder")
    return path


# Field kinds, each with the words an error uses for what it allows.
Count = Annotated[int, Field(ge=0)]  # 0 or more
Positive = Annotated[int, Field(ge=1)]  # 1 or more
Fraction = Annotated[float, Field(ge=0, le=1)]
Score = Annotated[float, Field(ge=0, le=100)]  # rapidfuzz's 0-100 scale
IntScore = Annotated[int, Field(ge=0, le=100)]
Text = Annotated[str, Field(min_length=1)]
Codec = Annotated[str, AfterValidator(_codec)]
Folder = Annotated[str, AfterValidator(_folder)]
Regex = Annotated[str, AfterValidator(_regex)]
# What an AfterValidator's field allows, by the ValueError it raises.
CUSTOM = {
    "codec": "a text encoding Python knows (such as cp1252, latin-1, cp1251)",
    "folder": 'an existing folder, or "" for the system\'s temporary folder',
    "regex": "a valid regular expression",
}
_VALIDATOR_WORDS: dict[Any, str] = {_codec: "codec", _folder: "folder", _regex: "regex"}


class _Section(BaseModel):
    # strict: no "3" for 3, no 1 for true; an int is still accepted for a float.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Html(_Section):
    favor_precision: bool
    favor_recall: bool
    include_comments: bool
    include_tables: bool
    fallback: Literal["visible-text", "skip"]
    account_unextracted: bool


class Input(_Section):
    jsonl_text_field: Text
    jsonl_id_field: Text
    html: Html
    include_hidden: bool
    include: list[Text]
    exclude: list[Text]
    max_file_bytes: Positive
    max_decompressed_bytes: Positive
    max_line_chars: Positive
    legacy_encodings: list[Codec]
    # Checked by config._check_encodings, whose errors say what is wrong with
    # the name ("unknown encoding", "not a text encoding") and name the glob.
    encoding: Any
    encodings: dict[str, Any]


class Normalise(_Section):
    ftfy: bool
    fix_typography: bool
    fold_spaces: bool


class Revisions(_Section):
    news_diff: bool
    edit_similarity: IntScore
    min_doubled_chars: Count
    collapse_consecutive: bool
    consecutive_min_chars: Count
    repeat_max_lines: Positive
    extend_similarity: IntScore
    extend_min_chars: Count
    verse_max_chars: Count
    verse_min_lines: Positive
    header_patterns: list[Any]  # checked by config._compile_header


class Metadata(_Section):
    title_max_words: Positive
    byline_max_words: Positive
    header_lines: Count
    title_search_lines: Positive
    section_label_max_words: Count
    banner_pattern: Regex
    byline_max_names: Positive
    byline_prefixes: dict[Text, list[Text]]
    byline_conjunctions: list[Text]


class Language(_Section):
    enabled: bool
    min_line_chars: Count
    max_chars: Positive
    min_letters: Count
    min_confidence: Fraction


class Heuristics(_Section):
    enabled: bool
    counter: bool
    uppercase: bool
    uppercase_max_fraction: Fraction
    uppercase_min_letters: Count
    no_letters: bool
    javascript: bool
    policy: bool
    one_word: bool


class Boilerplate(_Section):
    run_max_chars: Positive
    run_max_lines: Positive
    doubled_caption_max_words: Positive
    prose_min_words: Positive
    headline_list_min_lines: Positive
    fill_gaps_max_lines: Count
    comment_min_marks: Positive
    comment_mark_window: Positive
    comment_max_gap: Positive
    comment_marks: list[Regex]
    block_max_gap: Count
    substantial_prose_words: Positive
    heuristics: Heuristics
    disabled_rules: list[Text]
    extra_rules: list[Any]  # checked by config._compile_rule
    rules: list[Any]  # checked by config._compile_rule


class Classifier(_Section):
    enabled: bool
    stopwords: Text
    length_low: Count
    length_high: Count
    stopwords_low: Fraction
    stopwords_high: Fraction
    paragraph_min_lines: Count
    paragraph_min_chars: Count
    max_heading_distance: Count
    heading_min_words: Count
    min_separators: Positive
    link_like_max_words: Positive
    short_run_min_lines: Positive
    isolated_max_chars: Count
    keep_inside_core: Literal["none", "lines", "lists"]
    page_min_share: Fraction
    line_model: bool
    line_model_min_probability: Fraction
    line_model_languages: list[Text]


class Paragraphs(_Section):
    hard_wrap_max_width: Positive
    short_line_max_chars: Count
    keep_code: bool


class Dedup(_Section):
    enabled: bool
    scorer: Literal["ratio", "token_sort_ratio"]
    threshold: Score
    survivor: Literal["first", "longest", "preferred"]
    preferred_outlets: list[Text]
    min_chars: Count
    containment_threshold: Score
    containment_min_chars: Count
    containment_min_ratio: Fraction
    coverage: Fraction
    sentence_min_chars: Count
    shingle_words: Positive
    num_perm: Positive
    bands: Positive
    char_shingle_below: Count
    char_shingle_chars: Positive
    char_num_perm: Positive
    char_bands: Positive
    bucket_cap: Positive
    candidate_cap: Positive
    spill_dir: Folder
    fact_words: list[Text]
    within_document_min_chars: Count
    within_document_min_words: Count
    within_document_max_copies: Positive


class Filter(_Section):
    min_chars: Count
    max_duplicate_fraction: Fraction


class Repetition(_Section):
    enabled: bool
    min_documents: Annotated[int, Field(ge=2)]
    min_sources: Positive
    min_chars: Positive
    sentence_max_chars: Count
    sentence_min_words: Positive


class Report(_Section):
    html_documents: Positive
    html_most_removed: Positive


class Gates(_Section):
    # Each gate is checked by report.gates.check_limits, whose errors name it.
    max_removed_fraction: Any
    max_dropped_fraction: Any
    max_document_removed_fraction: Any
    max_rule_fraction: Any
    min_documents_out: Any
    fail_on_skipped: Any


class Schema(_Section):
    input: Input
    normalise: Normalise
    language: Language
    revisions: Revisions
    metadata: Metadata
    boilerplate: Boilerplate
    classifier: Classifier
    paragraphs: Paragraphs
    repetition: Repetition
    dedup: Dedup
    filter: Filter
    report: Report
    gates: Gates


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked against the schema, numbers coerced; SchemaError names the first bad key."""
    try:
        return Schema.model_validate(data).model_dump()
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise SchemaError(_message(error)) from None


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f"{'.' if out else ''}{part}"
    return out


def _field(loc: tuple[int | str, ...]) -> tuple[FieldInfo | None, bool]:
    """The schema field a location names, and whether the location is a list item."""
    model: Any = Schema
    info: FieldInfo | None = None
    item = False
    for part in loc:
        if isinstance(part, int):
            item = True
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None, False
        info = model.model_fields[part]
        model, item = info.annotation, False
    return info, item


def allowed(annotation: Any, metadata: list[Any]) -> str:
    """What a field allows, in words: `a whole number, 1 or more`, `one of first, longest`."""
    if get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        for extra in more:
            metadata = [*metadata, *(extra.metadata if isinstance(extra, FieldInfo) else [extra])]
    for extra in metadata:
        if isinstance(extra, AfterValidator):
            return CUSTOM[_VALIDATOR_WORDS[extra.func]]
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(str(a) for a in get_args(annotation))
    if get_origin(annotation) is list:
        (inner,) = get_args(annotation)
        return "a list" if inner is Any else f"a list of {_plural(allowed(inner, []))}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping of " + ", ".join(annotation.model_fields)
    low = next((m.ge for m in metadata if isinstance(m, at.Ge)), None)
    high = next((m.le for m in metadata if isinstance(m, at.Le)), None)
    if annotation is bool:
        return "true or false"
    if annotation is str:
        return "a non-empty string" if any(isinstance(m, at.MinLen) for m in metadata) else "a string"
    kind = "a whole number" if annotation is int else "a number"
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind}, {low} or more"
    return kind


def _plural(text: str) -> str:
    for one, many in (("a whole number", "whole numbers"), ("a non-empty string", "non-empty strings")):
        if text.startswith(one):
            return many + text[len(one) :]
    return text.removeprefix("a ").removeprefix("an ")


def _message(error: Any) -> str:
    loc = tuple(error["loc"])
    dotted = _dotted(loc)
    if error["type"] == "missing":
        return f"{dotted}: required key missing"
    if error["type"] == "extra_forbidden":
        return f"{dotted}: unknown key"
    info, item = _field(loc)
    if info is None:
        return f"{dotted}: {error['msg']}"
    annotation = info.annotation
    if item and get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    words = allowed(annotation, [] if item else list(info.metadata))
    value = error.get("input")
    shown = "" if isinstance(value, (dict, list)) else f", not {value!r}"
    return f"{dotted}: must be {words}{shown}"
