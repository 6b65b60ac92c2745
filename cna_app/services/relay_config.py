"""The relay's `GET /v1/config`, reduced to what the app shell uses, with hostile values tamed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cna_app.contract.password import PasswordPolicy
from cna_app.contract.wire import ConfigView, Language
from cna_app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from cna_app.palette import normalise_color

_MAX_NAME = 80
_MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class RelayConfig:
    """Municipality look and account rules; `raw` keeps the full answer (report limits, map)."""

    municipality_name: str
    brand_color: str
    logo_url: str | None
    website: str | None
    languages: tuple[Language, ...]
    default_language: Language
    password_policy: PasswordPolicy
    raw: ConfigView


def relay_config_from_wire(view: ConfigView) -> RelayConfig:
    municipality = view["municipality"]
    languages = tuple(lang for lang in LANGUAGES if lang in view["languages"]) or LANGUAGES
    return RelayConfig(
        municipality_name=" ".join(municipality["name"].split())[:_MAX_NAME],
        brand_color=normalise_color(municipality["primary_color"]),
        logo_url=_web_url(municipality["logo_url"]),
        website=_web_url(municipality["website"]),
        languages=languages,
        default_language=view["default_language"]
        if view["default_language"] in languages
        else DEFAULT_LANGUAGE,
        password_policy=_sane_policy(PasswordPolicy.from_wire(view["password_policy"])),
        raw=view,
    )


def _web_url(value: str | None) -> str | None:
    """Only plain http(s) links may be shown or fetched; `javascript:` and `data:` stay out."""
    if value is None or len(value) > _MAX_URL:
        return None
    parts = urlsplit(value)
    return value if parts.scheme in {"http", "https"} and parts.hostname else None


def _sane_policy(policy: PasswordPolicy) -> PasswordPolicy:
    # An impossible policy would lock everyone out of signing up; the relay still decides.
    if policy.min_length < 1 or policy.max_length < policy.min_length:
        return PasswordPolicy()
    return policy
