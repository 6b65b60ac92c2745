"""Creating an account, in the seed's order: e-mail → password (live checklist) → profile (only first
and last name required) → the 6-digit code from the e-mail, with resend and a cool-down.

Each step is a route; `allows(route)` says whether the earlier steps are done, so a deep link or
the browser's forward button never lands on a step without its inputs.
"""

from __future__ import annotations

from cna_app.contract.wire import Language, SignUpAccepted, SignUpIn
from cna_app.i18n import as_language
from cna_app.services.errors import RelayError, RelayProblem
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.cooldown import Cooldown
from cna_app.viewmodels.forms import (
    CODE_LENGTH,
    FormState,
    checked_email,
    clean_code,
    optional,
    submit,
)
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.password import ChecklistItem, all_met, checklist
from cna_app.viewmodels.texts import UserText

PROFILE_FIELDS = ("first_name", "last_name", "phone", "street", "postcode", "municipality")
REQUIRED_FIELDS = ("first_name", "last_name")
STEP_OF_FIELD = {
    "email": Route.SIGNUP,
    "password": Route.SIGNUP_PASSWORD,
    "code": Route.SIGNUP_CODE,
    **dict.fromkeys((*PROFILE_FIELDS, "language"), Route.SIGNUP_PROFILE),
}
STEPS = (Route.SIGNUP, Route.SIGNUP_PASSWORD, Route.SIGNUP_PROFILE, Route.SIGNUP_CODE)
_CODE_FIELDS = {
    "invalid_email": "email",
    "weak_password": "password",
    "invalid_code": "code",
    "code_expired": "code",
}


class SignUpFlow:
    def __init__(self, shell: ShellPort) -> None:
        self._shell = shell
        self.form = FormState()
        self.cooldown = Cooldown(shell.clock, shell.changes)
        self._start_over()

    def _start_over(self) -> None:
        self.email = ""
        self.password = ""
        self.profile: dict[str, str] = dict.fromkeys(PROFILE_FIELDS, "")
        self.language: Language | None = None
        self.code = ""
        self.email_accepted = False
        # The address a code was sent to; set by sign-up or by logging in unverified.
        self.pending_email: str | None = None
        self.refused_rules: frozenset[str] = frozenset()
        self.code_notice: UserText | None = None
        self.form.clear()
        self.cooldown.cancel()

    # ---- step gating ---------------------------------------------------------------------

    def allows(self, route: Route) -> bool:
        if route is Route.SIGNUP_PASSWORD:
            return self.email_accepted
        if route is Route.SIGNUP_PROFILE:
            return self.email_accepted and self.password_ok
        if route is Route.SIGNUP_CODE:
            return self.pending_email is not None
        return True

    # ---- e-mail --------------------------------------------------------------------------

    def set_email(self, value: str) -> None:
        self.email = value
        self.email_accepted = False
        self.form.clear_field("email")
        self._shell.changes.notify()

    def submit_email(self) -> None:
        email = checked_email(self.form, self.email)
        if email is None:
            self._shell.changes.notify()
            return
        self.email = email
        self.email_accepted = True
        self._shell.nav.go(Route.SIGNUP_PASSWORD)

    # ---- password ------------------------------------------------------------------------

    def set_password(self, value: str) -> None:
        self.password = value
        self.refused_rules = frozenset()
        self.form.clear_field("password")
        self._shell.changes.notify()

    @property
    def checklist(self) -> list[ChecklistItem]:
        return checklist(
            self.password, email=self.email, policy=self._shell.password_policy, refused=self.refused_rules
        )

    @property
    def password_ok(self) -> bool:
        return all_met(self.checklist)

    def submit_password(self) -> None:
        if not self.password_ok:
            self.form.errors["password"] = UserText.of("problem.weak_password")
            self._shell.changes.notify()
            return
        self.form.clear()
        self._shell.nav.go(Route.SIGNUP_PROFILE)

    # ---- profile -------------------------------------------------------------------------

    def set_field(self, name: str, value: str) -> None:
        if name not in self.profile:
            raise KeyError(name)
        self.profile[name] = value
        self.form.clear_field(name)
        self._shell.changes.notify()

    def set_language(self, value: object) -> None:
        self.language = as_language(value)
        self._shell.changes.notify()

    def _missing_required(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if not self.profile[name].strip()]

    async def submit_profile(self) -> None:
        if self.form.busy or not self.allows(Route.SIGNUP_PROFILE):
            return
        missing = self._missing_required()
        if missing:
            self.form.clear()
            self.form.errors.update({name: UserText.of("field.required") for name in missing})
            self._shell.changes.notify()
            return
        result = await submit(self.form, self._shell.changes, self._shell.relay.sign_up(self._sign_up_body()))
        if isinstance(result, RelayError):
            self._show(result, here=Route.SIGNUP_PROFILE)
            return
        self._await_code(result)
        self._shell.nav.go(Route.SIGNUP_CODE)

    def _sign_up_body(self) -> SignUpIn:
        body = SignUpIn(
            email=self.email,
            password=self.password,
            first_name=self.profile["first_name"].strip(),
            last_name=self.profile["last_name"].strip(),
            language=self.language or self._shell.language,
        )
        for name in ("phone", "street", "postcode", "municipality"):
            body[name] = optional(self.profile[name])
        return body

    # ---- code ----------------------------------------------------------------------------

    def enter_verification(self, email: str) -> None:
        """Ask for the code of an account that logged in before verifying its address.

        Idempotent for the same address: route guards call it on every render, and a language
        switch must not wipe a half-typed code.
        """
        if self.pending_email == email:
            return
        self.pending_email = email
        self.code = ""
        self.form.clear()
        self.code_notice = UserText.of("signup.code_intro_unverified", email=email)

    def set_code(self, raw: str) -> None:
        self.code = clean_code(raw)
        self.form.clear_field("code")
        self._shell.changes.notify()

    @property
    def can_submit_code(self) -> bool:
        return len(self.code) == CODE_LENGTH and self.pending_email is not None and not self.form.busy

    async def submit_code(self) -> None:
        if not self.can_submit_code or self.pending_email is None:
            return
        verify = self._shell.relay.verify({"email": self.pending_email, "code": self.code})
        result = await submit(self.form, self._shell.changes, verify)
        if isinstance(result, RelayError):
            self._show(result, here=Route.SIGNUP_CODE)
            return
        self.reset()
        await self._shell.signed_in(result)

    async def resend(self) -> None:
        if self.pending_email is None or not self.cooldown.ready or self.form.busy:
            return
        resend = self._shell.relay.resend_verification({"email": self.pending_email})
        result = await submit(self.form, self._shell.changes, resend)
        if isinstance(result, RelayError):
            self._show(result, here=Route.SIGNUP_CODE)
            if isinstance(result, RelayProblem) and result.retry_after_s:
                self.cooldown.start(result.retry_after_s)
            return
        self._await_code(result)
        self._shell.flash(UserText.of("code.resent", email=result["email"]))
        self._shell.changes.notify()

    def _await_code(self, accepted: SignUpAccepted) -> None:
        self.pending_email = accepted["email"] or self.email
        self.code = ""
        self.code_notice = UserText.of("signup.code_intro", email=self.pending_email)
        self.cooldown.start(accepted["resend_after"])

    # ---- errors and reset ----------------------------------------------------------------

    def _show(self, error: RelayError, *, here: Route) -> None:
        fields = tuple(STEP_OF_FIELD)
        self.form.show(error, fields=fields, code_fields=_CODE_FIELDS)
        if isinstance(error, RelayProblem) and error.code == "weak_password":
            self.refused_rules = frozenset(p.code for p in error.errors if p.root == "password")
        # An error about an earlier step sends the user back there, where the field is.
        earlier = [STEP_OF_FIELD[name] for name in self.form.errors if STEP_OF_FIELD[name] is not here]
        if earlier:
            target = min(earlier, key=STEPS.index)
            if target is Route.SIGNUP:
                self.email_accepted = False
            self._shell.nav.go(target)
        self._shell.changes.notify()

    def reset(self) -> None:
        """Forget everything typed, including the password (after success)."""
        self._start_over()

    def forget_secrets(self) -> None:
        self.password = ""
        self.code = ""
