"""Language identification, rules per language, and the classifier's stoplist per language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpusclean import clean_text, config
from corpusclean.boilerplate import rules_for, run_examples, strip_boilerplate
from corpusclean.cli import clean_command
from corpusclean.config import ConfigError
from corpusclean.document import Document, Line
from corpusclean.language import identify, identify_language
from corpusclean.pageclassifier import classify_lines, language_stopwords

# Texts written for these tests, two or three sentences each, one per language.
TEXTS = {
    "en": "The city library will stay open until nine in the evening from next month. The council said readers had asked for longer hours.",
    "de": "Die Stadtbibliothek hat ab dem nächsten Monat bis neun Uhr abends geöffnet. Der Stadtrat sagte, die Leser hätten sich längere Öffnungszeiten gewünscht.",
    "fr": "La bibliothèque municipale restera ouverte jusqu'à neuf heures du soir dès le mois prochain. Le conseil a indiqué que les lecteurs l'avaient demandé.",
    "es": "La biblioteca municipal abrirá hasta las nueve de la noche a partir del mes que viene. El ayuntamiento dijo que los lectores lo habían pedido.",
    "it": "La biblioteca comunale resterà aperta fino alle nove di sera dal mese prossimo. Il consiglio ha detto che i lettori lo avevano chiesto.",
    "pt": "A biblioteca municipal vai ficar aberta até às nove da noite a partir do próximo mês. A câmara disse que os leitores tinham pedido isso.",
    "nl": "De openbare bibliotheek blijft vanaf volgende maand open tot negen uur 's avonds. De gemeenteraad zei dat lezers om langere openingstijden hadden gevraagd.",
    "ru": "Городская библиотека со следующего месяца будет работать до девяти вечера. В совете сказали, что читатели просили продлить часы работы.",
    "tr": "Şehir kütüphanesi gelecek aydan itibaren akşam dokuza kadar açık kalacak. Belediye, okuyucuların daha uzun çalışma saatleri istediğini söyledi.",
    "ar": "ستبقى مكتبة المدينة مفتوحة حتى التاسعة مساء اعتبارا من الشهر المقبل. وقال المجلس إن القراء طلبوا ساعات عمل أطول.",
    "fa": "کتابخانه شهر از ماه آینده تا ساعت نه شب باز خواهد بود. شورای شهر گفت که خوانندگان ساعات کاری طولانی‌تری خواسته بودند.",
    "hi": "शहर का पुस्तकालय अगले महीने से रात नौ बजे तक खुला रहेगा। परिषद ने कहा कि पाठकों ने लंबे समय तक खुलने की मांग की थी।",
    "zh": "市图书馆从下个月起将开放到晚上九点。市议会表示，读者希望延长开放时间。",
    "ja": "市立図書館は来月から夜九時まで開館する。市議会によると、利用者から開館時間の延長を求める声が多かった。",
    "th": "ห้องสมุดเมืองจะเปิดให้บริการถึงสามทุ่มตั้งแต่เดือนหน้า สภาเมืองกล่าวว่าผู้อ่านต้องการเวลาเปิดที่ยาวขึ้น",
}


@pytest.fixture(scope="module")
def cfg() -> config.Config:
    return config.load()


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_identifies_languages_with_confidence(cfg: config.Config, language: str) -> None:
    found, confidence = identify(TEXTS[language], cfg.language)
    assert found == language
    assert confidence is not None and cfg.language["min_confidence"] <= confidence <= 1.0


def test_too_little_text_or_no_language_is_undetermined(cfg: config.Config) -> None:
    assert identify("", cfg.language) == (None, None)
    assert identify("Menu", cfg.language) == (None, None)
    assert identify("12:45 | 2024-03-04 | 99.5% | 1,234", cfg.language) == (None, None)


def test_identification_reads_the_longer_lines_and_is_deterministic(cfg: config.Config) -> None:
    # English menu items around a German article: the article's lines decide.
    lines = ["Home", "News", "Sport", "Sign in", *TEXTS["de"].split(". "), "Contact us"]
    doc = Document(id="x", source="x")
    doc.lines = [Line(i, t) for i, t in enumerate(lines, 1)]
    identify_language(doc, cfg.language)
    first = dict(doc.metadata)
    assert first["language"] == "de"
    identify_language(Document(id="y", source="y", lines=list(doc.lines)), cfg.language)
    assert identify_language(Document(id="z", source="z", lines=list(doc.lines)), cfg.language).metadata == first


def test_a_language_given_by_the_input_is_kept(cfg: config.Config) -> None:
    doc = Document(id="x", source="x", metadata={"language": "nl"})
    doc.lines = [Line(1, TEXTS["de"])]
    assert identify_language(doc, cfg.language).metadata == {"language": "nl"}


def test_language_can_be_switched_off() -> None:
    off = config.load(overrides={"language.enabled": False})
    doc = clean_text(TEXTS["de"], off)
    assert "language" not in doc.metadata


def test_output_and_report_count_languages(tmp_path: Path) -> None:
    for name in ("de", "es", "ja"):
        (tmp_path / f"{name}.txt").write_text(TEXTS[name] + "\n", encoding="utf-8")
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    result = CliRunner().invoke(clean_command, [str(tmp_path), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["metadata"]["language"] for r in records] == ["de", "es", "ja"]
    assert all(0.5 <= r["metadata"]["language_confidence"] <= 1 for r in records)
    assert json.loads(report.read_text(encoding="utf-8"))["languages"] == {"de": 1, "es": 1, "ja": 1}
    assert "languages: de 1, es 1, ja 1" in result.output


# --- rules per language ---------------------------------------------------------

# For each pack language: a line its rules remove, and a sentence with the same
# words that stays (written for these tests, not taken from the packs' examples).
PACK_LINES = {
    "de": ("Jetzt abonnieren", "Wer jetzt abonnieren möchte, zahlt im ersten Jahr weniger, sagte die Sprecherin."),
    "fr": ("Lire aussi : La mairie rouvre la piscine", "Lire aussi les avis des voisins aide à choisir, dit-elle."),
    "es": ("Compartir en WhatsApp", "Compartir coche se ha vuelto habitual entre los vecinos del barrio."),
    "it": (
        "Iscriviti alla nostra newsletter",
        "Iscriviti al corso entro venerdì, ha ricordato il preside agli studenti.",
    ),
    "pt": ("Todos os direitos reservados.", "Todos os direitos dos trabalhadores foram mantidos, disse o sindicato."),
    "nl": ("Advertentie", "Advertentie-inkomsten van de krant stegen vorig jaar licht, meldt de uitgever."),
}


def _strip(lines: list[str], language: str | None, cfg: config.Config) -> Document:
    doc = Document(id="x", source="x", metadata={"language": language})
    doc.lines = [Line(i, t) for i, t in enumerate(lines, 1)]
    return strip_boilerplate(doc, cfg.rules, cfg.boilerplate)


@pytest.mark.parametrize("language", sorted(PACK_LINES))
def test_pack_removes_its_lines_and_keeps_similar_prose(cfg: config.Config, language: str) -> None:
    boilerplate, prose = PACK_LINES[language]
    body = TEXTS[language]
    doc = _strip([body, boilerplate, prose, body.replace(".", ";", 1)], language, cfg)
    assert [r.text for r in doc.removals] == [boilerplate]
    assert doc.removals[0].rule.startswith(f"{language}-")
    assert prose in [line.text for line in doc.lines]


def test_pack_rules_leave_other_languages_alone(cfg: config.Config) -> None:
    # "Publicidad" is an advert label in Spanish; on an English page or one
    # whose language is undetermined, the Spanish rules do not run.
    for language in ("en", None):
        doc = _strip([TEXTS["en"], "Publicidad", TEXTS["en"]], language, cfg)
        assert doc.removals == []
    assert [r.reason for r in _strip([TEXTS["es"], "Publicidad", TEXTS["es"]], "es", cfg).removals] == [
        "boilerplate.es-advertising"
    ]


def test_rules_for_a_language(cfg: config.Config) -> None:
    general = rules_for(cfg.rules, None)
    assert all(r.languages is None for r in general)
    german = rules_for(cfg.rules, "de")
    assert {r.name for r in german} - {r.name for r in general} >= {"de-subscription", "de-legal"}
    assert not any(r.name.startswith("fr-") for r in german)
    # A language no rule names gets the general set itself (one rule screen).
    assert rules_for(cfg.rules, "sw") is general
    assert rules_for(cfg.rules, "de") is german


def test_keep_examples_meet_only_the_rules_that_run_beside_them(tmp_path: Path) -> None:
    user = tmp_path / "user.yaml"
    user.write_text(
        "boilerplate:\n  extra_rules:\n"
        "    - name: xx-word\n      category: test\n      languages: [sv]\n      match: exact\n      pattern: 'Annons'\n"
        "      examples:\n        remove: ['Annons', 'ANNONS']\n        keep: ['Annonsen kom sent.']\n",
        encoding="utf-8",
    )
    cfg = config.load(user)
    assert run_examples(cfg.rules, cfg.boilerplate) == []
    assert next(r for r in cfg.rules if r.name == "xx-word").languages == frozenset({"sv"})


@pytest.mark.parametrize("value", ["de", [], ["German"], [1]])
def test_bad_languages_key_is_a_config_error(tmp_path: Path, value: object) -> None:
    user = tmp_path / "user.yaml"
    rule = {
        "name": "x",
        "category": "t",
        "match": "exact",
        "pattern": "x",
        "languages": value,
        "examples": {"remove": ["x", "x"], "keep": ["y"]},
    }
    user.write_text(json.dumps({"boilerplate": {"extra_rules": [rule]}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"boilerplate.extra_rules\[0\] \(name 'x'\).languages: must be"):
        config.load(user)


# --- the classifier's stoplist ------------------------------------------------------


def test_stoplist_follows_the_document_language() -> None:
    german = language_stopwords("de")
    assert german is not None and {"und", "der", "die"} <= german
    assert language_stopwords("en") is not None and "the" in language_stopwords("en")  # type: ignore[operator]
    assert language_stopwords("zh") is None and language_stopwords(None) is None


def test_classifier_leaves_languages_without_a_stoplist_alone() -> None:
    cfg = config.load(overrides={"classifier.enabled": True})
    lines = ["首页", "新闻", "体育", "天气", TEXTS["zh"], "联系我们", "隐私政策"]
    doc = Document(id="x", source="x", metadata={"language": "zh"})
    doc.lines = [Line(i, t) for i, t in enumerate(lines, 1)]
    classify_lines(doc, cfg.classifier)
    assert [line.text for line in doc.lines] == lines
    assert doc.counters == {"classifier.no-stoplist": 1}
    # A German page is read with the German list: its prose stays, its menu goes.
    body = TEXTS["de"] + " " + TEXTS["de"]
    menu = ["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur"]
    doc = Document(id="y", source="y", metadata={"language": "de"})
    doc.lines = [Line(i, t) for i, t in enumerate([*menu, body, body], 1)]
    classify_lines(doc, cfg.classifier)
    assert [line.text for line in doc.lines] == [body, body]


def test_the_mapped_model_reads_as_the_packages_loader() -> None:
    """The identifier reads py3langid's tables from a memory map
    (language.mapped_model): the same labels and probabilities as the
    package's own loader, and its transition table is the map, not a copy."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from corpusclean.language import identifier

    mapped = identifier()
    assert isinstance(mapped.tk_nextmove, memoryview)
    loaded = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [*TEXTS.values(), "", "12345 !!!", "Mixed English und Deutsch text", "\u00e9" * 40]
    for text in texts:
        assert mapped.classify(text) == loaded.classify(text), text
