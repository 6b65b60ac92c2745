"""Rules shared by the account forms: field errors, the banner, e-mail and code input.

`FormState.show(error, ...)` is the one place where a relay error becomes what the user sees:
per-field messages next to the field they concern, everything else in a banner above the form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from cna_app.services.errors import FieldProblem, RelayError, RelayProblem, RelayUnavailable
from cna_app.viewmodels.changes import Changes
from cna_app.viewmodels.texts import UserText

T = TypeVar("T")

CODE_LENGTH = 6
MAX_EMAIL_LENGTH = 254
# Problem codes with a text of our own; other codes show the relay's (already localised) detail.
_KNOWN_PROBLEMS = frozenset(
    {
        "invalid_credentials",
        "invalid_code",
        "code_expired",
        "weak_password",
        "invalid_email",
        "email_not_verified",
    }
)


@dataclass
class FormState:
    """Errors, banner and the busy flag of one form."""

    errors: dict[str, UserText] = field(default_factory=dict)
    banner: UserText | None = None
    busy: bool = False

    def clear(self) -> None:
        self.errors.clear()
        self.banner = None

    def clear_field(self, name: str) -> None:
        self.errors.pop(name, None)

    def show(
        self,
        error: RelayError,
        *,
        fields: Collection[str],
        code_fields: Mapping[str, str] | None = None,
    ) -> None:
        """Show `error`: field errors on `fields`, a problem code on its field from `code_fields`
        (`{"invalid_credentials": "password"}`), the rest in the banner."""
        self.clear()
        if not isinstance(error, RelayProblem):
            self.banner = UserText.of(
                "error.unavailable" if isinstance(error, RelayUnavailable) else "error.generic"
            )
            return
        for problem in error.errors:
            if problem.root in fields and problem.root not in self.errors:
                self.errors[problem.root] = field_text(problem)
        target = (code_fields or {}).get(error.code)
        if target is not None and target in fields and target not in self.errors:
            self.errors[target] = problem_text(error)
        if not self.errors:
            self.banner = problem_text(error)


async def submit(form: FormState, changes: Changes, call: Awaitable[T]) -> T | RelayError:
    """Await a relay call with the form marked busy; the result, or the error to show."""
    form.clear()
    form.busy = True
    changes.notify()
    try:
        return await call
    except RelayError as error:
        return error
    finally:
        form.busy = False


def field_text(problem: FieldProblem) -> UserText:
    return UserText.relay(problem.message) if problem.message.strip() else UserText.of("field.invalid")


def problem_text(problem: RelayProblem) -> UserText:
    if problem.code == "rate_limited":
        if problem.retry_after_s:
            return UserText.of("problem.rate_limited", seconds=problem.retry_after_s)
        return UserText.of("problem.rate_limited_later")
    if problem.code in _KNOWN_PROBLEMS:
        return UserText.of(f"problem.{problem.code}")
    return UserText.relay(problem.detail) if problem.detail.strip() else UserText.of("error.generic")


def clean_email(raw: str) -> str:
    """What the user meant: surrounding spaces (often pasted along) removed."""
    return raw.strip()


def checked_email(form: FormState, raw: str) -> str | None:
    """The cleaned address of an e-mail step, or None with the field's error set on `form`."""
    email = clean_email(raw)
    form.clear()
    if looks_like_email(email):
        return email
    form.errors["email"] = UserText.of("error.email_format")
    return None


def looks_like_email(value: str) -> bool:
    """A light check before asking the relay, which has the last word (`invalid_email`)."""
    if not value or len(value) > MAX_EMAIL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    local, at, domain = value.rpartition("@")
    if not at or not local or "@" in local or len(local) > 64:
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels) and len(labels[-1]) >= 2


def clean_code(raw: str) -> str:
    """The digits of a pasted or typed code (`"123 456"`, `"Code: 123456"`), at most six.

    Only ASCII digits count: other scripts' digits look alike but the relay compares bytes.
    """
    return "".join(ch for ch in raw if "0" <= ch <= "9")[:CODE_LENGTH]


def optional(value: str) -> str | None:
    """A trimmed optional field, or None when it was left blank."""
    stripped = value.strip()
    return stripped or None
