"""Cleaning of what citizens type: names, phone, address, language, codes and passwords.

Every text is NFC-normalised and trimmed; control characters (NUL included), unpaired surrogates
and bidirectional overrides are refused rather than stripped, so what is stored is what was sent.
Each function appends `FieldError`s to a list so one answer names every wrong field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cna_app.contract.password import PasswordPolicy, unmet_rules
from cna_relay.accounts.models import MUNICIPALITY_MAX, NAME_MAX, PHONE_MAX, POSTCODE_MAX, STREET_MAX
from cna_relay.problems import FieldError, ValidationFailed
from cna_relay.text import clean_text, has_forbidden_characters

LANGUAGES = ("nl", "fr", "en")
CODE_PATTERN = re.compile(r"[0-9]{6}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]*")
_POSTCODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z -]*")
# Explicit bidi embeddings, overrides and isolates: they can make a name display as another.
# Longest password we even look at; beyond this the policy's `max_length` rule is unmet anyway.
_PASSWORD_SCAN_MAX = 4096


@dataclass(frozen=True, slots=True)
class Profile:
    first_name: str
    last_name: str
    phone: str | None = None
    street: str | None = None
    postcode: str | None = None
    municipality: str | None = None
    language: str | None = None


def _matching(errors: list[FieldError], field: str, text: str | None, pattern: re.Pattern[str]) -> str | None:
    if text is not None and not pattern.fullmatch(text):
        errors.append(FieldError(field, "invalid"))
        return None
    return text


def clean_language(errors: list[FieldError], value: Any) -> str | None:
    if value is None:
        return None
    if value not in LANGUAGES:
        errors.append(FieldError("language", "must_be_one_of"))
        return None
    return str(value)


def clean_profile_field(errors: list[FieldError], name: str, value: Any) -> str | None:
    """One profile field by name, with its own bounds and shape."""
    if name == "language":
        return clean_language(errors, value)
    limits = {
        "first_name": NAME_MAX,
        "last_name": NAME_MAX,
        "phone": PHONE_MAX,
        "street": STREET_MAX,
        "postcode": POSTCODE_MAX,
        "municipality": MUNICIPALITY_MAX,
    }
    required = name in ("first_name", "last_name")
    text = clean_text(errors, name, value, max_length=limits[name], required=required)
    if name == "phone":
        return _matching(errors, name, text, _PHONE)
    if name == "postcode":
        return _matching(errors, name, text, _POSTCODE)
    return text


PROFILE_FIELDS = ("first_name", "last_name", "phone", "street", "postcode", "municipality", "language")


def clean_profile(body: Mapping[str, Any]) -> Profile:
    """A full profile (sign-up, staff creation) or `ValidationFailed` naming every bad field."""
    errors: list[FieldError] = []
    values = {name: clean_profile_field(errors, name, body.get(name)) for name in PROFILE_FIELDS}
    if errors:
        raise ValidationFailed(errors)
    first_name, last_name = values.pop("first_name"), values.pop("last_name")
    assert first_name is not None and last_name is not None
    return Profile(first_name=first_name, last_name=last_name, **values)


def clean_profile_changes(body: Mapping[str, Any]) -> dict[str, str | None]:
    """The fields a `PATCH /v1/me` sets (absent keys are left alone; first/last name cannot be cleared)."""
    errors: list[FieldError] = []
    changes = {name: clean_profile_field(errors, name, body[name]) for name in PROFILE_FIELDS if name in body}
    if errors:
        raise ValidationFailed(errors)
    return changes


def check_code_format(value: Any, *, field: str = "code") -> str:
    """A 6-digit code as typed (spaces allowed: mail clients and people group digits)."""
    if isinstance(value, str) and len(value) <= 32:
        digits = value.replace(" ", "").replace("-", "")
        if CODE_PATTERN.fullmatch(digits):
            return digits
    raise ValidationFailed([FieldError(field, "invalid")], code="invalid_code")


def check_new_password(password: Any, *, email: str, policy: PasswordPolicy, field: str = "password") -> str:
    """`password` NFC-normalised when it meets `policy`, else 422 `weak_password` with one error
    per unmet rule (the same rules the app shows while typing)."""
    if not isinstance(password, str):
        raise ValidationFailed([FieldError(field, "required")])
    if has_forbidden_characters(password):
        raise ValidationFailed([FieldError(field, "control_characters")])
    if len(password) > _PASSWORD_SCAN_MAX:
        unmet = [rule for rule in policy.rules() if rule.value == "max_length"]
    else:
        unmet = unmet_rules(password, email=email, policy=policy)
    if unmet:
        params = dict(policy.to_wire())
        errors = [FieldError(field, f"password_rule.{rule.value}", params) for rule in unmet]
        raise ValidationFailed(errors, code="weak_password")
    return unicodedata.normalize("NFC", password)


def given_password(password: Any, *, field: str = "password") -> str:
    """A password typed to prove who one is (log-in, delete): not checked against the policy,
    only bounded, so a 1 MB value never reaches argon2."""
    if not isinstance(password, str) or not password:
        raise ValidationFailed([FieldError(field, "required")])
    if len(password) > _PASSWORD_SCAN_MAX or has_forbidden_characters(password):
        raise ValidationFailed([FieldError(field, "invalid")])
    return unicodedata.normalize("NFC", password)
