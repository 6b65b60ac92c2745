"""`UserText`: a user-visible message that is rendered in the language current at display time."""

from __future__ import annotations

from dataclasses import dataclass

from cna_app.i18n import Translator


@dataclass(frozen=True, slots=True)
class UserText:
    """A catalogue key with parameters, or text the relay already wrote in the user's language.

    Keeping the key (not the rendered string) in view-model state lets a language switch
    re-render messages that are already on screen.
    """

    key: str = ""
    params: tuple[tuple[str, object], ...] = ()
    verbatim: str | None = None

    @classmethod
    def of(cls, key: str, **params: object) -> UserText:
        return cls(key=key, params=tuple(sorted(params.items())))

    @classmethod
    def relay(cls, text: str) -> UserText:
        return cls(verbatim=text)

    def render(self, t: Translator) -> str:
        if self.verbatim is not None:
            return self.verbatim
        return t(self.key, **dict(self.params))
