"""Password rules: defined once, evaluated by the relay on sign-up and by the app while typing.

The relay serves its `PasswordPolicy` in `GET /v1/config`; the app rebuilds it with
`PasswordPolicy.from_wire` and calls `check_password` on every keystroke so it can name each
missing element. The relay calls the same function before hashing, so both always agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from typing_extensions import TypedDict


class PasswordRule(StrEnum):
    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    LOWERCASE = "lowercase"
    UPPERCASE = "uppercase"
    DIGIT = "digit"
    SYMBOL = "symbol"
    NOT_EMAIL = "not_email"
    NOT_COMMON = "not_common"


class PasswordPolicyWire(TypedDict):
    min_length: int
    max_length: int
    require_lowercase: bool
    require_uppercase: bool
    require_digit: bool
    require_symbol: bool
    forbid_email_local_part: bool
    forbid_common: bool


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = 10
    # Bounds the work argon2 does for one request; far above any memorable passphrase.
    max_length: int = 256
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_digit: bool = True
    require_symbol: bool = True
    forbid_email_local_part: bool = True
    forbid_common: bool = True

    def to_wire(self) -> PasswordPolicyWire:
        return PasswordPolicyWire(
            min_length=self.min_length,
            max_length=self.max_length,
            require_lowercase=self.require_lowercase,
            require_uppercase=self.require_uppercase,
            require_digit=self.require_digit,
            require_symbol=self.require_symbol,
            forbid_email_local_part=self.forbid_email_local_part,
            forbid_common=self.forbid_common,
        )

    @classmethod
    def from_wire(cls, wire: PasswordPolicyWire | dict[str, Any]) -> PasswordPolicy:
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in dict(wire).items() if key in known})

    def rules(self) -> list[PasswordRule]:
        """The rules this policy enforces, in the order the app lists them."""
        wanted = [
            (PasswordRule.MIN_LENGTH, True),
            (PasswordRule.LOWERCASE, self.require_lowercase),
            (PasswordRule.UPPERCASE, self.require_uppercase),
            (PasswordRule.DIGIT, self.require_digit),
            (PasswordRule.SYMBOL, self.require_symbol),
            (PasswordRule.NOT_EMAIL, self.forbid_email_local_part),
            (PasswordRule.NOT_COMMON, self.forbid_common),
            (PasswordRule.MAX_LENGTH, True),
        ]
        return [rule for rule, enabled in wanted if enabled]


@dataclass(frozen=True, slots=True)
class RuleCheck:
    rule: PasswordRule
    met: bool


def check_password(password: str, *, email: str = "", policy: PasswordPolicy) -> list[RuleCheck]:
    """Every rule of `policy` with whether `password` meets it, in display order."""
    password = unicodedata.normalize("NFC", password)
    tests = {
        PasswordRule.MIN_LENGTH: lambda: len(password) >= policy.min_length,
        PasswordRule.MAX_LENGTH: lambda: len(password) <= policy.max_length,
        PasswordRule.LOWERCASE: lambda: any(ch.islower() for ch in password),
        PasswordRule.UPPERCASE: lambda: any(ch.isupper() for ch in password),
        PasswordRule.DIGIT: lambda: any(ch.isdigit() for ch in password),
        PasswordRule.SYMBOL: lambda: any(_is_symbol(ch) for ch in password),
        PasswordRule.NOT_EMAIL: lambda: not _contains_email_part(password, email),
        PasswordRule.NOT_COMMON: lambda: password.casefold() not in common_passwords(),
    }
    return [RuleCheck(rule, tests[rule]()) for rule in policy.rules()]


def unmet_rules(password: str, *, email: str = "", policy: PasswordPolicy) -> list[PasswordRule]:
    return [check.rule for check in check_password(password, email=email, policy=policy) if not check.met]


def _is_symbol(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


def _email_parts(email: str) -> Iterable[str]:
    """The pieces of an address's local part that must not appear in the password.

    The whole local part (without a +tag) when it is at least 3 characters, and each run of
    letters or digits of at least 4 ("jan.peeters" yields "jan.peeters" and "peeters"): shorter
    pieces would forbid half the alphabet.
    """
    local = email.partition("@")[0].partition("+")[0].casefold()
    if len(local) >= 3:
        yield local
    piece = ""
    for ch in local + " ":
        if ch.isalnum():
            piece += ch
            continue
        if len(piece) >= 4:
            yield piece
        piece = ""


def _contains_email_part(password: str, email: str) -> bool:
    folded = password.casefold()
    return any(part in folded for part in _email_parts(email))


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
