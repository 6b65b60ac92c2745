"""Fakes for the app's ports, faithful to `docs/api.md` where view models depend on the behaviour:
rotating refresh tokens with reuse detection, no account enumeration, the relay's password rules.

`FakeRelay` is an in-memory relay; `ManualClock` lets tests move time; `RecordingNavigator`
remembers where view models sent the user.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from cna_app.contract.password import PasswordPolicy, unmet_rules
from cna_app.contract.wire import (
    AccountView,
    ConfigView,
    DeleteAccountIn,
    EmailIn,
    Language,
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    ProfileUpdateIn,
    RefreshIn,
    SignUpAccepted,
    SignUpIn,
    TokenPair,
    VerifyIn,
)
from cna_app.services.errors import FieldProblem, RelayError, RelayProblem, RelayUnavailable
from cna_app.services.geo import GeoPoint
from cna_app.services.location import Fix, LocationUnavailable
from tests.app.fake_reports import ReportEndpoints

GOOD_PASSWORD = "Kort-Maar-Sterk-42"
# A stand-in municipality for view-model tests: a square around Zonnebeke (lon, lat order).
ZONNEBEKE_SQUARE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[2.93, 50.84], [3.05, 50.84], [3.05, 50.90], [2.93, 50.90], [2.93, 50.84]]],
}
INSIDE = (50.8717, 2.9866)
OUTSIDE = (50.8510, 2.8850)  # Ypres


def make_config(**municipality: Any) -> ConfigView:
    return {
        "municipality": {
            "name": "Gemeente Zonnebeke",
            "primary_color": "#0B5C8E",
            "logo_url": None,
            "website": None,
            **municipality,
        },
        "languages": ["nl", "fr", "en"],
        "default_language": "nl",
        "password_policy": PasswordPolicy().to_wire(),
        "report": {
            "description_max_length": 2000,
            "max_attachments": 3,
            "max_attachment_bytes": 10_000_000,
            "attachment_types": ["image/jpeg", "image/png", "application/pdf"],
            "image_max_side_px": 2048,
        },
        "map": {
            "tile_url": "http://127.0.0.1:1/{z}/{x}/{y}.png",
            "attribution": "test",
            "center": {"lat": 50.87, "lon": 2.98},
            "zoom": 13,
            "min_zoom": 10,
            "max_zoom": 19,
        },
        "boundary": ZONNEBEKE_SQUARE,
    }


@dataclass
class FakeAccount:
    id: str
    email: str
    password: str
    first_name: str
    last_name: str
    language: Language = "nl"
    verified: bool = False
    phone: str | None = None
    street: str | None = None
    postcode: str | None = None
    municipality: str | None = None

    def view(self) -> AccountView:
        return {
            "id": self.id,
            "email": self.email,
            "email_verified": self.verified,
            "role": "citizen",
            "first_name": self.first_name,
            "last_name": self.last_name,
            "phone": self.phone,
            "street": self.street,
            "postcode": self.postcode,
            "municipality": self.municipality,
            "language": self.language,
            "created_at": "2026-12-03T10:00:00Z",
        }


@dataclass
class _Session:
    account_id: str
    refresh: str
    access: set[str] = field(default_factory=set)


class FakeRelay(ReportEndpoints):
    """An in-memory relay. `fail_next(method, error)` makes the next call of `method` raise;
    `offline = True` makes every call fail as an unreachable relay would."""

    def __init__(self, *, config: ConfigView | None = None, resend_after: int = 60) -> None:
        self.config_view = config or make_config()
        self.resend_after = resend_after
        self.accounts: dict[str, FakeAccount] = {}
        self.codes: dict[str, str] = {}
        self.reset_codes: dict[str, str] = {}
        self.sessions: list[_Session] = []
        self.used_refresh_tokens: set[str] = set()
        self.calls: list[str] = []
        self.failures: dict[str, list[RelayError]] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.offline = False
        self._ids = itertools.count(1)
        self._init_reports()

    # ---- test controls -------------------------------------------------------------------

    def fail_next(self, method: str, error: RelayError, *, times: int = 1) -> None:
        self.failures.setdefault(method, []).extend([error] * times)

    def hold(self, method: str) -> asyncio.Event:
        """Make calls of `method` wait until the returned event is set (concurrency tests)."""
        self.gates[method] = asyncio.Event()
        return self.gates[method]

    def add_account(
        self, email: str, password: str = GOOD_PASSWORD, *, verified: bool = True, **fields: Any
    ) -> FakeAccount:
        account = FakeAccount(
            id=f"acc-{next(self._ids)}",
            email=email,
            password=password,
            first_name=fields.pop("first_name", "An"),
            last_name=fields.pop("last_name", "Peeters"),
            verified=verified,
            **fields,
        )
        self.accounts[email.lower()] = account
        return account

    def expire_access_tokens(self) -> None:
        for session in self.sessions:
            session.access.clear()

    def revoke_all_sessions(self) -> None:
        self.sessions.clear()

    def count(self, method: str) -> int:
        return self.calls.count(method)

    async def _enter(self, method: str) -> None:
        self.calls.append(method)
        gate = self.gates.get(method)
        if gate is not None:
            await gate.wait()
        if self.offline:
            raise RelayUnavailable(f"{method}: ConnectError")
        queued = self.failures.get(method)
        if queued:
            raise queued.pop(0)

    # ---- tokens --------------------------------------------------------------------------

    def _issue(self, account: FakeAccount, session: _Session | None = None) -> TokenPair:
        n = next(self._ids)
        if session is None:
            session = _Session(account.id, "")
            self.sessions.append(session)
        session.refresh = f"refresh-{n}"
        session.access = {f"access-{n}"}
        return {
            "access_token": f"access-{n}",
            "refresh_token": session.refresh,
            "token_type": "Bearer",
            "expires_in": 900,
            "refresh_expires_in": 30 * 86400,
            "account": account.view(),
        }

    def _account_for(self, access_token: str) -> FakeAccount:
        for session in self.sessions:
            if access_token in session.access:
                return next(a for a in self.accounts.values() if a.id == session.account_id)
        raise RelayProblem(status=401, code="unauthorized", detail="Log in again.")

    # ---- the API -------------------------------------------------------------------------

    async def get_config(self) -> ConfigView:
        await self._enter("get_config")
        return self.config_view

    async def sign_up(self, body: SignUpIn) -> SignUpAccepted:
        await self._enter("sign_up")
        policy = PasswordPolicy.from_wire(self.config_view["password_policy"])
        unmet = unmet_rules(body["password"], email=body["email"], policy=policy)
        if unmet:
            errors = tuple(FieldProblem("password", rule.value, f"rule {rule.value}") for rule in unmet)
            raise RelayProblem(status=422, code="weak_password", detail="Weak password.", errors=errors)
        missing = [name for name in ("first_name", "last_name") if not body[name].strip()]  # type: ignore[literal-required]
        if missing:
            errors = tuple(FieldProblem(name, "required", "Required.") for name in missing)
            raise RelayProblem(status=422, code="validation_error", detail="Check the form.", errors=errors)
        if body["email"].lower() not in self.accounts:
            account = self.add_account(
                body["email"],
                body["password"],
                verified=False,
                first_name=body["first_name"],
                last_name=body["last_name"],
                language=body.get("language") or "nl",
                phone=body.get("phone"),
            )
            self.codes[account.email.lower()] = "123456"
        return {"status": "verification_sent", "email": body["email"], "resend_after": self.resend_after}

    async def verify(self, body: VerifyIn) -> TokenPair:
        await self._enter("verify")
        key = body["email"].lower()
        if self.codes.get(key) != body["code"]:
            raise RelayProblem(status=400, code="invalid_code", detail="Wrong code.")
        del self.codes[key]
        account = self.accounts[key]
        account.verified = True
        return self._issue(account)

    async def resend_verification(self, body: EmailIn) -> SignUpAccepted:
        await self._enter("resend_verification")
        if body["email"].lower() in self.codes:
            self.codes[body["email"].lower()] = "654321"
        return {"status": "verification_sent", "email": body["email"], "resend_after": self.resend_after}

    async def login(self, body: LoginIn) -> TokenPair:
        await self._enter("login")
        account = self.accounts.get(body["email"].lower())
        if account is None or account.password != body["password"]:
            raise RelayProblem(status=401, code="invalid_credentials", detail="Wrong e-mail or password.")
        return self._issue(account)

    async def refresh(self, body: RefreshIn) -> TokenPair:
        await self._enter("refresh")
        token = body["refresh_token"]
        if token in self.used_refresh_tokens:
            self.sessions = [s for s in self.sessions if s.refresh not in self.used_refresh_tokens]
            raise RelayProblem(status=401, code="session_revoked", detail="Session revoked.")
        session = next((s for s in self.sessions if s.refresh == token), None)
        if session is None:
            raise RelayProblem(status=401, code="unauthorized", detail="Log in again.")
        self.used_refresh_tokens.add(token)
        account = next(a for a in self.accounts.values() if a.id == session.account_id)
        return self._issue(account, session)

    async def logout(self, access_token: str) -> None:
        await self._enter("logout")
        self._account_for(access_token)
        self.sessions = [s for s in self.sessions if access_token not in s.access]

    async def logout_all(self, access_token: str) -> None:
        await self._enter("logout_all")
        account = self._account_for(access_token)
        self.sessions = [s for s in self.sessions if s.account_id != account.id]

    async def request_password_reset(self, body: EmailIn) -> None:
        await self._enter("request_password_reset")
        if body["email"].lower() in self.accounts:
            self.reset_codes[body["email"].lower()] = "246810"

    async def confirm_password_reset(self, body: PasswordResetConfirmIn) -> TokenPair:
        await self._enter("confirm_password_reset")
        key = body["email"].lower()
        if self.reset_codes.get(key) != body["code"]:
            raise RelayProblem(status=400, code="invalid_code", detail="Wrong code.")
        account = self.accounts[key]
        account.password = body["new_password"]
        del self.reset_codes[key]
        self.sessions = [s for s in self.sessions if s.account_id != account.id]
        return self._issue(account)

    async def me(self, access_token: str) -> AccountView:
        await self._enter("me")
        return self._account_for(access_token).view()

    async def update_me(self, access_token: str, body: ProfileUpdateIn) -> AccountView:
        await self._enter("update_me")
        account = self._account_for(access_token)
        for name, value in body.items():
            setattr(account, name, value)
        return account.view()

    async def change_password(self, access_token: str, body: PasswordChangeIn) -> TokenPair:
        await self._enter("change_password")
        account = self._account_for(access_token)
        account.password = body["new_password"]
        return self._issue(account)

    async def delete_account(self, access_token: str, body: DeleteAccountIn) -> None:
        await self._enter("delete_account")
        account = self._account_for(access_token)
        if body["password"] != account.password:
            raise RelayProblem(status=401, code="invalid_credentials", detail="Wrong password.")
        del self.accounts[account.email.lower()]
        self.sessions = [s for s in self.sessions if s.account_id != account.id]


class ManualClock:
    """Time moves only when the test calls `advance`; `sleep` waits for it."""

    def __init__(self) -> None:
        self.time = 1000.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.time + seconds, future))
        await future

    @property
    def sleeping(self) -> int:
        return sum(1 for _, future in self._sleepers if not future.done())

    async def advance(self, seconds: float) -> None:
        """Move time forward second by second, letting woken tasks run in between."""
        target = self.time + seconds
        while self.time < target:
            self.time = min(target, self.time + 1)
            for wake_at, future in list(self._sleepers):
                if wake_at <= self.time and not future.done():
                    future.set_result(None)
            self._sleepers = [(w, f) for w, f in self._sleepers if not f.done()]
            await settle()


class RecordingNavigator:
    def __init__(self) -> None:
        self.routes: list[str] = []

    def go(self, route: str) -> None:
        self.routes.append(str(route))

    @property
    def current(self) -> str | None:
        return self.routes[-1] if self.routes else None


async def settle(rounds: int = 20) -> None:
    """Let every ready task run (a bounded number of event-loop turns, no wall-clock waiting)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


class FakeLocator:
    """The device's position: each `locate()` takes the next answer (a `Fix` or an error)."""

    def __init__(self, *answers: Fix | LocationUnavailable) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def locate(self) -> Fix:
        self.calls += 1
        answer = self.answers.pop(0) if self.answers else LocationUnavailable("unsupported")
        if isinstance(answer, LocationUnavailable):
            raise answer
        return answer


def fix_at(lat: float, lon: float, accuracy_m: float | None = 10.0) -> Fix:
    return Fix(GeoPoint(lat, lon), accuracy_m, "fake")
