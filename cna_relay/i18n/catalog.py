"""Message catalogues: one JSON file per language with the same keys and placeholders.

Dutch is the default and the fallback: a missing translation shows Dutch, never a key.
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Any, Final

LANGUAGES: Final = ("nl", "fr", "en")
DEFAULT_LANGUAGE: Final = "nl"


class Catalog:
    def __init__(self, messages: dict[str, dict[str, str]]) -> None:
        self._messages = messages

    @classmethod
    @cache
    def bundled(cls) -> Catalog:
        folder = resources.files(__package__)
        return cls(
            {lang: json.loads(folder.joinpath(f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES}
        )

    def text(self, language: str, key: str, **params: Any) -> str:
        template = self._messages.get(language, {}).get(key) or self._messages[DEFAULT_LANGUAGE].get(key, key)
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template

    def has(self, key: str) -> bool:
        return key in self._messages[DEFAULT_LANGUAGE]

    def keys(self, language: str) -> set[str]:
        return set(self._messages[language])

    def placeholders(self, language: str, key: str) -> set[str]:
        parsed = string.Formatter().parse(self._messages[language][key])
        return {name for _, name, _, _ in parsed if name}


def negotiate_language(accept_language: str | None, *, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The best of nl/fr/en for an `Accept-Language` header ("fr-BE,fr;q=0.9,en;q=0.5" → "fr")."""
    if not accept_language:
        return fallback
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else fallback
