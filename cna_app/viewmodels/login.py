"""Log-in as the seed describes it: e-mail → "Doorgaan" → password → "Doorgaan".

From the e-mail step the user can switch to creating an account ("Aanmaken") or to the forgotten
password flow, keeping what was typed.
"""

from __future__ import annotations

from cna_app.services.errors import RelayError
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.forms import FormState, checked_email, looks_like_email, submit
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.texts import UserText

FIELDS = ("email", "password")
_CODE_FIELDS = {"invalid_credentials": "password", "invalid_email": "email"}


class LoginFlow:
    def __init__(self, shell: ShellPort) -> None:
        self._shell = shell
        self.email = ""
        self.password = ""
        self.email_accepted = False
        self.form = FormState()
        # Why the user is here when it is not their own choice (an expired session).
        self.notice: UserText | None = None

    def set_email(self, value: str) -> None:
        self.email = value
        self.email_accepted = False
        self.form.clear_field("email")
        self._shell.changes.notify()

    def set_password(self, value: str) -> None:
        self.password = value
        self.form.clear_field("password")
        self._shell.changes.notify()

    def submit_email(self) -> None:
        email = checked_email(self.form, self.email)
        if email is None:
            self._shell.changes.notify()
            return
        self.email = email
        self.email_accepted = True
        self._shell.nav.go(Route.LOGIN_PASSWORD)

    @property
    def can_submit_password(self) -> bool:
        return self.email_accepted and bool(self.password) and not self.form.busy

    async def submit_password(self) -> None:
        if not self.can_submit_password:
            return
        login = self._shell.relay.login({"email": self.email, "password": self.password})
        pair = await submit(self.form, self._shell.changes, login)
        if isinstance(pair, RelayError):
            self._show(pair)
            return
        self.password = ""
        self.notice = None
        await self._shell.signed_in(pair)

    def prefill(self, email: str, *, notice: UserText | None = None) -> None:
        """Start at the password step for `email` (after a session expired)."""
        self.email = email
        self.email_accepted = looks_like_email(email)
        self.password = ""
        self.form.clear()
        self.notice = notice

    def forget_secrets(self) -> None:
        self.password = ""
        self.form.clear()

    def _show(self, error: RelayError) -> None:
        self.form.show(error, fields=FIELDS, code_fields=_CODE_FIELDS)
        if "email" in self.form.errors:
            # The address itself was refused: back to the step where it can be changed.
            self.email_accepted = False
            self._shell.nav.go(Route.LOGIN)
        self._shell.changes.notify()
