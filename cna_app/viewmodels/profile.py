"""The citizen's profile: view, edit, log out (here or everywhere), delete with confirmation.

The edit form is a draft that lives here, not in the view: if the session expires while saving,
the user logs in again and comes back to the same unsaved edits.

In offline mode the profile shows the device's copy of the account; saving edits, logging out
everywhere and deleting the account need the relay and wait (`needs_connection`). Logging out
on this device still works: the device forgets the session, as it does when the relay cannot
be told.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from cna_app.contract.wire import AccountView, Language, ProfileUpdateIn
from cna_app.i18n import as_language
from cna_app.services.errors import RelayError, SessionExpired
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.forms import FormState, optional, submit
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.texts import UserText

T = TypeVar("T")
EDIT_FIELDS = ("first_name", "last_name", "phone", "street", "postcode", "municipality")
REQUIRED_FIELDS = ("first_name", "last_name")
_DELETE_CODE_FIELDS = {"invalid_credentials": "password"}


class ProfileFlow:
    def __init__(self, shell: ShellPort) -> None:
        self._shell = shell
        self.form = FormState()
        self.draft: dict[str, str] | None = None
        self.draft_language: Language | None = None
        self.delete_open = False
        self.delete_password = ""
        self.delete_form = FormState()

    @property
    def account(self) -> AccountView | None:
        return self._shell.session.account

    @property
    def needs_connection(self) -> bool:
        return self._shell.offline

    # ---- loading -------------------------------------------------------------------------

    async def load(self) -> None:
        """Fetch the account when the session was restored without it (relay was down)."""
        if self.account is not None or self.form.busy or self.needs_connection:
            return
        account = await self._authorized(Route.PROFILE, self._shell.relay.me, form=self.form)
        if account is not None:
            await self._shell.session.adopt(account)
        self._shell.changes.notify()

    # ---- editing -------------------------------------------------------------------------

    def start_edit(self) -> None:
        """Open the edit form; an unsaved draft from before is kept, not overwritten."""
        account = self.account
        if self.draft is None and account is not None:
            self.draft = {name: account[name] or "" for name in EDIT_FIELDS}  # type: ignore[literal-required]
            self.draft_language = account["language"]
            self.form.clear()

    def set_field(self, name: str, value: str) -> None:
        if self.draft is None or name not in self.draft:
            raise KeyError(name)
        self.draft[name] = value
        self.form.clear_field(name)
        self._shell.changes.notify()

    def set_language(self, value: object) -> None:
        self.draft_language = as_language(value)
        self._shell.changes.notify()

    def discard_draft(self) -> None:
        self.draft = None
        self.draft_language = None
        self.form.clear()

    def cancel_edit(self) -> None:
        self.discard_draft()
        self._shell.nav.go(Route.PROFILE)

    async def save(self) -> None:
        if self.draft is None or self.account is None or self.form.busy or self.needs_connection:
            return
        missing = [name for name in REQUIRED_FIELDS if not self.draft[name].strip()]
        if missing:
            self.form.clear()
            self.form.errors.update({name: UserText.of("field.required") for name in missing})
            self._shell.changes.notify()
            return
        changes = self._changed_fields(self.account, self.draft)
        if changes:
            updated = await self._authorized(
                Route.PROFILE_EDIT, lambda token: self._shell.relay.update_me(token, changes), form=self.form
            )
            if updated is None:
                return
            await self._shell.session.adopt(updated)
            if "language" in changes and changes["language"] is not None:
                await self._shell.set_language(changes["language"])
        self.discard_draft()
        self._shell.flash(UserText.of("profile.saved"))
        self._shell.nav.go(Route.PROFILE)

    def _changed_fields(self, account: AccountView, draft: dict[str, str]) -> ProfileUpdateIn:
        update = ProfileUpdateIn()
        for name in EDIT_FIELDS:
            value = draft[name].strip() if name in REQUIRED_FIELDS else optional(draft[name])
            if value != account[name]:  # type: ignore[literal-required]
                update[name] = value  # type: ignore[literal-required]
        if self.draft_language is not None and self.draft_language != account["language"]:
            update["language"] = self.draft_language
        return update

    # ---- logging out ---------------------------------------------------------------------

    async def logout(self) -> None:
        """Log out here. The device forgets the session even when the relay cannot be told."""
        if self.form.busy:
            return
        self.form.busy = True
        try:
            await self._shell.session.authorized(self._shell.relay.logout)
        except RelayError:
            pass  # the refresh token then simply expires on the relay
        finally:
            self.form.busy = False
        await self._end(UserText.of("profile.logged_out"))

    async def logout_everywhere(self) -> None:
        """Log out on every device; this one needs the relay, so a failure keeps the session."""

        async def logout_all(token: str) -> bool:
            await self._shell.relay.logout_all(token)
            return True

        if self.needs_connection:
            return
        if await self._authorized(Route.PROFILE, logout_all, form=self.form):
            await self._end(UserText.of("profile.logged_out"))

    # ---- deleting ------------------------------------------------------------------------

    def ask_delete(self) -> None:
        if self.needs_connection:
            return
        self.delete_open = True
        self.delete_password = ""
        self.delete_form.clear()
        self._shell.changes.notify()

    def set_delete_password(self, value: str) -> None:
        self.delete_password = value
        self.delete_form.clear_field("password")
        self._shell.changes.notify()

    def cancel_delete(self) -> None:
        self.delete_open = False
        self.delete_password = ""
        self.delete_form.clear()
        self._shell.changes.notify()

    async def confirm_delete(self) -> None:
        if not self.delete_open or self.delete_form.busy or self.needs_connection:
            return
        if not self.delete_password:
            self.delete_form.errors["password"] = UserText.of("field.required")
            self._shell.changes.notify()
            return
        password = self.delete_password

        async def delete(token: str) -> bool:
            await self._shell.relay.delete_account(token, {"password": password})
            return True

        deleted = await self._authorized(Route.PROFILE, delete, form=self.delete_form)
        if deleted:
            self.delete_open = False
            self.delete_password = ""
            await self._end(UserText.of("profile.deleted"))

    # ---- shared --------------------------------------------------------------------------

    async def _authorized(
        self, route: Route, call: Callable[[str], Awaitable[T]], *, form: FormState
    ) -> T | None:
        """Run an authorised relay call for this screen; None when it failed (and it is shown)."""
        result = await submit(form, self._shell.changes, self._shell.session.authorized(call))
        if isinstance(result, SessionExpired):
            self.delete_open = False
            await self._shell.session_expired(route)
            return None
        if isinstance(result, RelayError):
            fields = ("password",) if form is self.delete_form else EDIT_FIELDS
            form.show(result, fields=fields, code_fields=_DELETE_CODE_FIELDS)
            self._shell.changes.notify()
            return None
        return result

    async def _end(self, message: UserText) -> None:
        self.discard_draft()
        await self._shell.session.end()
        await self._shell.signed_out(message)
