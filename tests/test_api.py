"""The Python API: one path or a list, str or bytes, and a list of texts cleaned in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpusclean
from corpusclean.config import Config

PAGE = (
    "Council to close three libraries\n\n"
    "The council will close three branch libraries next year, its cabinet decided on Tuesday.\n\n"
    "Subscribe\n\n"
    "Campaigners said the closures would hit families who cannot travel to the city centre.\n"
)
COPY = (
    "Library closures announced\n\n"
    "The council will close three branch libraries next year, its cabinet decided on Tuesday.\n\n"
    "A petition against the plan has gathered four thousand names since the weekend, organisers said.\n"
)


@pytest.mark.parametrize("as_given", [str, Path, lambda p: [p]])
def test_run_takes_one_path_or_a_list(tmp_path: Path, cfg: Config, as_given: object) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_text(COPY, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = corpusclean.Pipeline(cfg).run(as_given(folder), out)  # type: ignore[operator]
    assert report.files == 2
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


def test_clean_text_takes_str_and_bytes_alike(cfg: Config) -> None:
    from_str = corpusclean.clean_text(PAGE, cfg)
    assert corpusclean.clean_text(PAGE.encode("utf-8"), cfg).text == from_str.text
    # bytes are decoded as the CLI decodes a file: cp1252 here
    assert corpusclean.clean_text(PAGE.replace("Tuesday", "Tuesday \u2013 caf\u00e9").encode("cp1252"), cfg).text == (
        from_str.text.replace("Tuesday", "Tuesday \u2013 caf\u00e9")
    )
    assert "Subscribe" not in from_str.text and from_str.title == "Council to close three libraries"


def test_clean_text_refuses_binary_and_other_types(cfg: Config) -> None:
    with pytest.raises(corpusclean.TextError, match="binary file, not text"):
        corpusclean.clean_text(b"\x00\x01\x02 not text", cfg)
    with pytest.raises(TypeError, match="expected str or bytes, not int"):
        corpusclean.clean_text(5, cfg)  # type: ignore[arg-type]


def test_clean_texts_dedups_across_texts_with_the_audit(cfg: Config) -> None:
    result = corpusclean.clean_texts([PAGE, {"id": "copy", "text": COPY.encode("utf-8")}], cfg)
    assert [r["id"] for r in result.records] == ["0", "copy"]
    shared = "The council will close three branch libraries next year, its cabinet decided on Tuesday."
    assert shared in result.records[0]["text"] and shared not in result.records[1]["text"]
    (duplicate,) = [a for a in result.audit if a["reason"] == "dedup.exact-duplicate"]
    assert (duplicate["id"], duplicate["kept_id"], duplicate["text"]) == ("copy", "0", shared)
    assert result.report.to_dict()["documents_out"] == 2


def test_clean_texts_matches_clean_on_files(tmp_path: Path, cfg: Config) -> None:
    """The same records and audit as `clean` on one file per text."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "0.txt").write_text(PAGE, encoding="utf-8")
    (folder / "1.txt").write_text(COPY, encoding="utf-8")
    out, audit = tmp_path / "out.jsonl", tmp_path / "audit.jsonl"
    corpusclean.Pipeline(cfg).run(folder, out, audit)
    result = corpusclean.clean_texts([PAGE, COPY], cfg)

    def strip(record: dict) -> dict:  # type: ignore[type-arg]
        """A text in memory has no file name, nor an encoding it was decoded from."""
        record["metadata"].pop("encoding", None)
        return {k: v for k, v in record.items() if k != "source"}

    assert [strip(r) for r in result.records] == [strip(json.loads(x)) for x in out.read_text().splitlines()]
    assert result.audit == [json.loads(x) for x in audit.read_text().splitlines()]


def test_clean_texts_repeated_ids_get_a_suffix_and_a_warning(cfg: Config) -> None:
    result = corpusclean.clean_texts([{"id": "a", "text": PAGE}, {"id": "a", "text": "Another text entirely."}], cfg)
    assert [d.id for d in result.documents] == ["a", "a~2"]
    assert result.report.warnings == ["id 'a' of item 1 is also that of an earlier item; it is a~2"]
