"""The app's three languages: message catalogues and the rules for choosing one.

Catalogues are flat JSON objects (`nl.json`, `fr.json`, `en.json` beside this file) mapping a
dotted key to a text with `str.format` placeholders (`"Stap {step} van {total}"`). JSON instead of
gettext `.mo` files because the bundle then needs no compile step and translators edit plain text;
`tests/app/test_i18n.py` keeps the three files in step (same keys, same placeholders).

Usage: `t = Translator("fr"); t("signup.step", step=1, total=4)`.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Final, get_args

from cna_app.contract.wire import Language

LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
DEFAULT_LANGUAGE: Final[Language] = "nl"
# Flutter's own widgets (date pickers, text selection menus) get these locales.
FLUTTER_LOCALES: Final[Mapping[Language, tuple[str, str]]] = {
    "nl": ("nl", "BE"),
    "fr": ("fr", "BE"),
    "en": ("en", "GB"),
}


@cache
def catalogue(language: Language) -> Mapping[str, str]:
    """The texts of one language, read once from the package on first use."""
    raw = resources.files(__package__).joinpath(f"{language}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"catalogue {language}.json must map keys to strings")
    return data


def placeholders(text: str) -> frozenset[str]:
    """The names of the `{placeholders}` in a catalogue text."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def as_language(value: object) -> Language | None:
    """`value` when it names one of the app's languages, else None (hostile input stays out)."""
    for language in LANGUAGES:
        if value == language:
            return language
    return None


def pick_language(locale_tags: Iterable[str]) -> Language:
    """The first supported language in the device's preference list, else Dutch.

    Accepts BCP 47 and POSIX spellings: `nl-BE`, `fr_BE`, `en`, `EN-gb.UTF-8`.
    """
    for tag in locale_tags:
        primary = tag.strip().replace("_", "-").split("-")[0].split(".")[0].lower()
        language = as_language(primary)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


class Translator:
    """Looks up and fills catalogue texts in one language."""

    def __init__(self, language: Language) -> None:
        self.language: Language = language

    def __call__(self, key: str, **params: object) -> str:
        texts = catalogue(self.language)
        # A key missing from one catalogue is a bug the catalogue test catches; falling back to
        # Dutch keeps the screen usable meanwhile.
        text = texts.get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
        return text.format(**params) if params else text

    def self_name(self, language: Language) -> str:
        """A language's name in that language itself, as a language switch shows it."""
        return catalogue(language)["language.self_name"]
