"""The account domain's problems (codes from `docs/api.md`), built in one place."""

from __future__ import annotations

from cna_relay.accounts.codes import CodeOutcome
from cna_relay.problems import FieldError, RelayError, Unauthorized


def invalid_credentials() -> Unauthorized:
    """The one answer for an unknown address and a wrong password alike."""
    return Unauthorized("invalid_credentials")


def code_problem(outcome: CodeOutcome, *, field: str = "code") -> RelayError:
    code = "code_expired" if outcome is CodeOutcome.EXPIRED else "invalid_code"
    return RelayError(code, status=422, errors=[FieldError(field, code)])
