"""Render a mail from `templates/<lang>/<name>.txt.j2` and `.html.j2`.

The text template's first line is `Subject: ...`; the rest is the plain-text body. HTML templates
are autoescaped, so a citizen's description can never inject markup into a mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cna_relay.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class MailRenderer:
    def __init__(self, *, branding: dict[str, Any]) -> None:
        self._branding = branding
        self._env = Environment(
            loader=PackageLoader("cna_relay.mail", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, name: str, language: str, context: dict[str, Any]) -> RenderedMail:
        language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        values = {"branding": self._branding, "language": language, **context}
        text = self._env.get_template(f"{language}/{name}.txt.j2").render(values)
        first, _, body = text.partition("\n")
        if not first.startswith("Subject: "):
            raise ValueError(f"template {language}/{name}.txt.j2 must start with 'Subject: '")
        html = self._env.get_template(f"{language}/{name}.html.j2").render(values)
        return RenderedMail(
            subject=first.removeprefix("Subject: ").strip(), text=body.lstrip("\n"), html=html
        )
