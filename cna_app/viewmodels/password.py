"""The live password checklist: the relay's rules (from `GET /v1/config`), evaluated per keystroke
by the contract's own `check_password`, so app and relay always agree on what is missing."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from cna_app.contract.password import PasswordPolicy, PasswordRule, check_password
from cna_app.viewmodels.texts import UserText


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    rule: PasswordRule
    met: bool
    text: UserText


def rule_text(rule: PasswordRule, policy: PasswordPolicy) -> UserText:
    if rule is PasswordRule.MIN_LENGTH:
        return UserText.of("password.rule.min_length", count=policy.min_length)
    if rule is PasswordRule.MAX_LENGTH:
        return UserText.of("password.rule.max_length", count=policy.max_length)
    return UserText.of(f"password.rule.{rule.value}")


def checklist(
    password: str, *, email: str, policy: PasswordPolicy, refused: Collection[str] = ()
) -> list[ChecklistItem]:
    """Every rule with whether it is met; `refused` are rule codes the relay rejected even though
    the local check passed (an older app against a stricter relay). Before the first keystroke
    nothing counts as met: "does not contain your e-mail" is no achievement for an empty field."""
    return [
        ChecklistItem(
            check.rule,
            bool(password) and check.met and check.rule.value not in refused,
            rule_text(check.rule, policy),
        )
        for check in check_password(password, email=email, policy=policy)
    ]


def all_met(items: list[ChecklistItem]) -> bool:
    return all(item.met for item in items)
