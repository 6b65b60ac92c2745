"""Forgotten password: e-mail → a code by mail → the code and a new password (live checklist).

The relay answers the same for known and unknown addresses, so this flow never says whether an
account exists; it moves to the code step either way.
"""

from __future__ import annotations

from cna_app.contract.wire import PasswordResetConfirmIn
from cna_app.services.errors import RelayError, RelayProblem
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.cooldown import Cooldown
from cna_app.viewmodels.forms import (
    CODE_LENGTH,
    FormState,
    checked_email,
    clean_code,
    submit,
)
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.password import ChecklistItem, all_met, checklist
from cna_app.viewmodels.texts import UserText

FIELDS = ("email", "code", "new_password")
# The reset answer carries no `resend_after`; this keeps the user from flooding their inbox.
RESEND_AFTER_S = 60
_CODE_FIELDS = {
    "invalid_email": "email",
    "invalid_code": "code",
    "code_expired": "code",
    "weak_password": "new_password",
}


class PasswordResetFlow:
    def __init__(self, shell: ShellPort) -> None:
        self._shell = shell
        self.form = FormState()
        self.cooldown = Cooldown(shell.clock, shell.changes)
        self._start_over()

    def _start_over(self) -> None:
        self.email = ""
        self.requested_email: str | None = None
        self.code = ""
        self.new_password = ""
        self.refused_rules: frozenset[str] = frozenset()
        self.form.clear()
        self.cooldown.cancel()

    def allows(self, route: Route) -> bool:
        return route is not Route.RESET_CODE or self.requested_email is not None

    def prefill(self, email: str) -> None:
        self.email = email

    def set_email(self, value: str) -> None:
        self.email = value
        self.form.clear_field("email")
        self._shell.changes.notify()

    async def submit_email(self) -> None:
        if self.form.busy:
            return
        email = checked_email(self.form, self.email)
        if email is None:
            self._shell.changes.notify()
            return
        self.email = email
        if await self._request_code(self.email):
            self._shell.nav.go(Route.RESET_CODE)

    async def resend(self) -> None:
        if self.requested_email is None or not self.cooldown.ready or self.form.busy:
            return
        if await self._request_code(self.requested_email):
            self._shell.flash(UserText.of("code.resent", email=self.requested_email))
            self._shell.changes.notify()

    async def _request_code(self, email: str) -> bool:
        request = self._shell.relay.request_password_reset({"email": email})
        result = await submit(self.form, self._shell.changes, request)
        if isinstance(result, RelayError):
            self._show(result)
            return False
        self.requested_email = email
        self.code = ""
        self.cooldown.start(RESEND_AFTER_S)
        return True

    def set_code(self, raw: str) -> None:
        self.code = clean_code(raw)
        self.form.clear_field("code")
        self._shell.changes.notify()

    def set_new_password(self, value: str) -> None:
        self.new_password = value
        self.refused_rules = frozenset()
        self.form.clear_field("new_password")
        self._shell.changes.notify()

    @property
    def checklist(self) -> list[ChecklistItem]:
        return checklist(
            self.new_password,
            email=self.requested_email or self.email,
            policy=self._shell.password_policy,
            refused=self.refused_rules,
        )

    @property
    def can_confirm(self) -> bool:
        return len(self.code) == CODE_LENGTH and all_met(self.checklist) and not self.form.busy

    async def confirm(self) -> None:
        if not self.can_confirm or self.requested_email is None:
            return
        body = PasswordResetConfirmIn(
            email=self.requested_email, code=self.code, new_password=self.new_password
        )
        result = await submit(self.form, self._shell.changes, self._shell.relay.confirm_password_reset(body))
        if isinstance(result, RelayError):
            self._show(result)
            return
        self._start_over()
        await self._shell.signed_in(result)

    def forget_secrets(self) -> None:
        self.new_password = ""
        self.code = ""

    def _show(self, error: RelayError) -> None:
        self.form.show(error, fields=FIELDS, code_fields=_CODE_FIELDS)
        if isinstance(error, RelayProblem) and error.code == "weak_password":
            self.refused_rules = frozenset(p.code for p in error.errors if p.root == "new_password")
        self._shell.changes.notify()
