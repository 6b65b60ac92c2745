"""`Shell`: the app's state above the screens — start-up, language, session, where to go next.

Start-up: choose the language (saved choice, else the device locale, else Dutch), fetch the
relay's configuration, then restore the saved session. When the relay does not answer, the app
starts from the configuration and account kept on the device in *offline mode* (`offline`):
a banner says reports will go out once there is a connection, screens that need the relay say
so, and a quiet probe (`RelayLink`) finds out when the relay is back, after which the app leaves
offline mode by itself. Only a first-ever start, with nothing kept, waits on the calm retry
screen (a visible countdown) instead.

Afterwards the shell owns the rules that span screens: which route a signed-out user may see,
where to go after logging in, and what happens when a session expires (log in again, then back
to the same route with the drafts intact).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from enum import Enum
from typing import Protocol

from cna_app.contract.password import PasswordPolicy
from cna_app.contract.wire import Language, TokenPair
from cna_app.i18n import DEFAULT_LANGUAGE, Translator, as_language, pick_language
from cna_app.services.device import LANGUAGE_PREFERENCE, Clock, DeviceLocales, Preferences, SystemClock
from cna_app.services.drafts import DraftStore, MemoryDraftStore
from cna_app.services.errors import RelayError, SessionExpired
from cna_app.services.location import Locator, NoLocator
from cna_app.services.relay import RelayApi
from cna_app.services.relay_config import RelayConfig
from cna_app.services.session import AccountSession
from cna_app.services.startup_cache import StartupCache
from cna_app.services.tokens import TokenStore
from cna_app.viewmodels.changes import Changes
from cna_app.viewmodels.login import LoginFlow
from cna_app.viewmodels.my_reports import MyReportsFlow
from cna_app.viewmodels.navigation import Navigator, Route, parse_route
from cna_app.viewmodels.password_reset import PasswordResetFlow
from cna_app.viewmodels.profile import ProfileFlow
from cna_app.viewmodels.relay_link import RETRY_DELAYS_S, RelayLink
from cna_app.viewmodels.report_form import ReportFlow
from cna_app.viewmodels.signup import SignUpFlow
from cna_app.viewmodels.texts import UserText


class Phase(Enum):
    STARTING = "starting"
    UNREACHABLE = "unreachable"
    READY = "ready"


class DraftOwner(Protocol):
    """Something holding unsent user input tied to the signed-in account (the report form)."""

    def discard_draft(self) -> None: ...


class Shell:
    def __init__(
        self,
        *,
        relay: RelayApi,
        tokens: TokenStore,
        preferences: Preferences,
        locales: DeviceLocales,
        nav: Navigator,
        clock: Clock | None = None,
        retry_delays_s: Sequence[int] = RETRY_DELAYS_S,
        drafts: DraftStore | None = None,
        locator: Locator | None = None,
        outbox_delays_s: Sequence[float] | None = None,
        cache: StartupCache | None = None,
    ) -> None:
        self.relay = relay
        self.nav = nav
        self.clock: Clock = clock or SystemClock()
        self.changes = Changes()
        self.session = AccountSession(relay, tokens, memory=cache)
        self._preferences = preferences
        self._locales = locales
        self.link = RelayLink(relay, self.clock, self.changes, cache=cache, delays_s=retry_delays_s)
        self._probe: asyncio.Task[None] | None = None
        self.phase = Phase.STARTING
        self.translator = Translator(DEFAULT_LANGUAGE)
        self.flash_message: UserText | None = None
        self.return_to: Route | None = None
        self._last_account: tuple[str, str] | None = None  # (id, e-mail) of the latest session
        self.login = LoginFlow(self)
        self.signup = SignUpFlow(self)
        self.reset = PasswordResetFlow(self)
        self.profile = ProfileFlow(self)
        self.report = ReportFlow(
            self,
            drafts=drafts or MemoryDraftStore(),
            locator=locator or NoLocator(),
            outbox_delays_s=outbox_delays_s,
        )
        self.my_reports = MyReportsFlow(self, self.report)
        self._draft_owners: list[DraftOwner] = [self.profile, self.report, self.my_reports]

    # ---- what flows read -----------------------------------------------------------------

    @property
    def language(self) -> Language:
        return self.translator.language

    @property
    def languages(self) -> tuple[Language, ...]:
        return self.config.languages if self.config else ("nl", "fr", "en")

    @property
    def password_policy(self) -> PasswordPolicy:
        return self.config.password_policy if self.config else PasswordPolicy()

    @property
    def config(self) -> RelayConfig | None:
        return self.link.config

    @property
    def offline(self) -> bool:
        """The relay did not answer at start: the app runs on the device's copies."""
        return self.link.offline

    @property
    def retrying(self) -> bool:
        return self.link.retrying

    @property
    def next_retry_in(self) -> int | None:
        return self.link.next_retry_in

    def close(self) -> None:
        """Stop background countdowns (the page is gone)."""
        if self._probe is not None:
            self._probe.cancel()
        self.signup.cooldown.cancel()
        self.reset.cooldown.cancel()
        self.report.close()
        self.my_reports.close()

    # ---- start-up ------------------------------------------------------------------------

    async def start(self) -> None:
        """Run once per app session; returns when the app is ready: at once from the device's
        copies when the relay does not answer, else (nothing kept yet) once the relay answers."""
        self.translator = Translator(await self._initial_language())
        self.changes.notify(rebuild=True)
        await self.link.start(unreachable=self._unreachable)
        if self.language not in self.languages:
            self.translator = Translator(self.config.default_language if self.config else DEFAULT_LANGUAGE)
        await self._restore_session()
        await self.report.resume()
        self.phase = Phase.READY
        self.changes.notify(rebuild=True)
        if self.offline:
            self._probe = asyncio.get_running_loop().create_task(self._reconnect())

    async def _initial_language(self) -> Language:
        saved = as_language(await self._preferences.get(LANGUAGE_PREFERENCE))
        return saved or pick_language(await self._locales.preferred())

    def _unreachable(self, attempt: int) -> None:
        self.phase = Phase.UNREACHABLE
        self.changes.notify(rebuild=attempt == 0)

    def retry_now(self) -> None:
        """The user pressed "try again": skip the rest of the wait."""
        self.link.retry_now()

    def relay_answered(self) -> None:
        """Something reached the relay (a waiting report went out): offline mode need not wait
        for the probe's next turn."""
        if self.offline:
            self.link.retry_now()

    async def _restore_session(self) -> None:
        with contextlib.suppress(RelayError):
            # Not confirmed by the relay: the tokens stay and the device's copy of the account
            # (if any) stands in; the probe confirms it once the relay answers.
            await self.session.restore(offline=self.offline)
        account = self.session.account
        if account is not None:
            self._last_account = (account["id"], account["email"])
            self._adopt_language(account["language"])

    # ---- back online ---------------------------------------------------------------------

    async def _reconnect(self) -> None:
        changed = await self.link.until_back_online()
        ended = await self._confirm_account()
        await self.report.reconnected()
        # The router swaps "needs a connection" screens back by itself; a new look or an ended
        # session changes every screen.
        self.changes.notify(rebuild=ended or changed)

    async def _confirm_account(self) -> bool:
        """The relay confirms who is signed in, renewing an access token that expired meanwhile.
        True when the session turned out to be over (log in again; the outbox waits for it)."""
        if not self.session.signed_in:
            return False
        known = self.session.account
        try:
            account = await self.session.refresh_account()
        except SessionExpired:
            email = self._last_account[1] if self._last_account else ""
            self.login.prefill(email, notice=UserText.of("login.session_expired"))
            return True
        except RelayError:
            return False  # the next authorised call tries again
        if known is not None and known["id"] != account["id"]:
            self._discard_drafts()  # never another account's drafts under this session
        self._last_account = (account["id"], account["email"])
        return False

    # ---- language ------------------------------------------------------------------------

    async def set_language(self, language: Language) -> None:
        """Switch the app's language, remember it, and make it the account's e-mail language."""
        if language not in self.languages:
            return
        if language != self.language:
            self.translator = Translator(language)
            self.changes.notify(rebuild=True)
            await self._preferences.set(LANGUAGE_PREFERENCE, language)
        account = self.session.account
        if account is not None and account["language"] != language and not self.offline:
            try:
                await self.session.adopt(
                    await self.session.authorized(
                        lambda token: self.relay.update_me(token, {"language": language})
                    )
                )
            except RelayError:
                pass  # the e-mail language follows at the next successful profile save

    def _adopt_language(self, language: Language) -> None:
        if language in self.languages and language != self.language:
            self.translator = Translator(language)

    # ---- actions of the start screen ----------------------------------------------------

    def start_report(self) -> None:
        """ "Maak een melding": the report form when signed in, else log-in and then the form."""
        if not self.session.signed_in:
            self.return_to = Route.REPORT
            self.nav.go(Route.LOGIN)
            return
        self.nav.go(Route.REPORT)

    def switch_to_sign_up(self) -> None:
        """ "Aanmaken" on the log-in screen: carry the typed address over."""
        if self.login.email.strip() and not self.signup.email:
            self.signup.set_email(self.login.email.strip())
        self.nav.go(Route.SIGNUP)

    def switch_to_reset(self) -> None:
        self.reset.prefill(self.login.email.strip())
        self.nav.go(Route.RESET)

    # ---- session events ------------------------------------------------------------------

    async def signed_in(self, pair: TokenPair) -> None:
        account = pair["account"]
        if self._last_account is not None and self._last_account[0] != account["id"]:
            # Someone else is logging in on this device: nothing of the previous user carries over.
            self._discard_drafts()
            self.return_to = None
        await self.session.begin(pair)
        self._last_account = (account["id"], account["email"])
        for flow in (self.login, self.signup, self.reset):
            flow.forget_secrets()
        self.login.notice = None
        self._adopt_language(account["language"])
        await self.report.resume()
        self.changes.notify(rebuild=True)
        if not account["email_verified"]:
            self.signup.enter_verification(account["email"])
            self.nav.go(Route.SIGNUP_CODE)
            return
        target, self.return_to = self.return_to or Route.REPORT, None
        self.nav.go(target)

    async def session_expired(self, route: str) -> None:
        self.return_to = parse_route(route) or Route.START
        email = self._last_account[1] if self._last_account else ""
        self.login.prefill(email, notice=UserText.of("login.session_expired"))
        self.nav.go(Route.LOGIN_PASSWORD if self.login.email_accepted else Route.LOGIN)

    async def signed_out(self, message: UserText) -> None:
        self._discard_drafts()
        self._last_account = None
        self.return_to = None
        self.flash(message)
        self.nav.go(Route.START)

    def _discard_drafts(self) -> None:
        for owner in self._draft_owners:
            owner.discard_draft()

    # ---- messages ------------------------------------------------------------------------

    def flash(self, message: UserText) -> None:
        self.flash_message = message
        self.changes.notify()

    def take_flash(self) -> UserText | None:
        message, self.flash_message = self.flash_message, None
        return message
