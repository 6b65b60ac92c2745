"""The three catalogues stay in step, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cna_app.contract.password import PasswordRule
from cna_app.i18n import LANGUAGES, Translator, as_language, catalogue, pick_language, placeholders

APP = Path(__file__).resolve().parents[2] / "cna_app"
# Literal keys in calls such as t("login.title"), UserText.of("field.required", ...), title_key = "..."
KEY_USE = re.compile(r"""(?:\bt|UserText\.of|_t|translator)\(\s*f?"([a-z0-9_.]+)"|_key = "([a-z0-9_.]+)\"""")


def test_catalogues_have_the_same_keys() -> None:
    keys = {language: set(catalogue(language)) for language in LANGUAGES}
    assert keys["fr"] == keys["nl"]
    assert keys["en"] == keys["nl"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogues_have_the_same_placeholders(language: str) -> None:
    dutch = catalogue("nl")
    other = catalogue(language)  # type: ignore[arg-type]
    mismatched = {key for key in dutch if placeholders(dutch[key]) != placeholders(other[key])}
    assert mismatched == set()


def test_no_catalogue_text_is_empty_or_untranslated_copy() -> None:
    for language in LANGUAGES:
        assert all(text.strip() for text in catalogue(language).values()), language
    # Identical Dutch and English texts betray a forgotten translation; these words are the same.
    same = {k for k, v in catalogue("en").items() if v == catalogue("nl")[k] and "{" not in v}
    assert same == {"field.postcode"}


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in APP.rglob("*.py"):
        for match in KEY_USE.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1) or match.group(2)
            if not key.endswith("."):
                used.add(key)
    assert len(used) > 60  # the scan itself works
    assert used - set(catalogue("nl")) == set()


def test_every_password_rule_has_a_name_in_each_language() -> None:
    for language in LANGUAGES:
        for rule in PasswordRule:
            assert f"password.rule.{rule.value}" in catalogue(language)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["nl-BE"], "nl"),
        (["fr_BE.UTF-8"], "fr"),
        (["EN-gb"], "en"),
        (["de-DE", "fr-FR"], "fr"),
        (["de-DE", "es"], "nl"),
        ([], "nl"),
        (["", "  ", "-", "zz-ZZ-x-private"], "nl"),
        (["nld"], "nl"),  # three-letter codes are not ours: stays on the default, never crashes
    ],
)
def test_pick_language_follows_device_preferences(tags: list[str], expected: str) -> None:
    assert pick_language(tags) == expected


def test_as_language_refuses_anything_else() -> None:
    assert as_language("fr") == "fr"
    for hostile in ("FR", "de", None, 3, ["nl"], "nl "):
        assert as_language(hostile) is None


def test_translator_fills_placeholders_and_keeps_braces_in_values() -> None:
    t = Translator("fr")
    assert t("signup.step", step=2, total=4) == "Étape 2 sur 4"
    # A value that looks like a placeholder stays text (the e-mail is user input).
    assert "{step}@x.be" in t("login.as", email="{step}@x.be")


def test_translator_falls_back_to_dutch_then_to_the_key() -> None:
    t = Translator("en")
    assert t("no.such.key") == "no.such.key"
    assert Translator("nl").self_name("fr") == "Français"
