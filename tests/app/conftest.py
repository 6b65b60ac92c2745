"""Fixtures for the app's tests: a shell on fakes, and the headless Flet page harness."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cna_app.services.device import FixedLocales, MemoryPreferences
from cna_app.services.drafts import DraftStore, MemoryDraftStore
from cna_app.services.tokens import MemoryTokenStore, TokenStore
from cna_app.viewmodels.shell import Shell
from tests.app.fakes import GOOD_PASSWORD, FakeLocator, FakeRelay, ManualClock, RecordingNavigator, settle
from tests.app.harness import AppHarness

CITIZEN = "an.devos@example.be"


@pytest.fixture
def fake_relay() -> FakeRelay:
    return FakeRelay()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def nav() -> RecordingNavigator:
    return RecordingNavigator()


@pytest.fixture
def preferences() -> MemoryPreferences:
    return MemoryPreferences()


@pytest.fixture
def tokens() -> TokenStore:
    return MemoryTokenStore()


@pytest.fixture
def drafts() -> DraftStore:
    return MemoryDraftStore()


@pytest.fixture
def locator() -> FakeLocator:
    return FakeLocator()


@pytest.fixture
def make_shell(
    fake_relay: FakeRelay,
    clock: ManualClock,
    nav: RecordingNavigator,
    preferences: MemoryPreferences,
    tokens: TokenStore,
    drafts: DraftStore,
    locator: FakeLocator,
):
    def make(*, locales: list[str] | None = None, store: DraftStore | None = None) -> Shell:
        return Shell(
            relay=fake_relay,
            tokens=tokens,
            preferences=preferences,
            locales=FixedLocales(locales if locales is not None else ["nl-BE"]),
            nav=nav,
            clock=clock,
            drafts=store or drafts,
            locator=locator,
            outbox_delays_s=(2, 4, 8),
        )

    return make


@pytest.fixture
async def shell(make_shell) -> AsyncIterator[Shell]:
    """A shell that has started against a reachable relay (phase READY)."""
    ready = make_shell()
    await ready.start()
    yield ready
    ready.close()
    await settle()


async def sign_in(shell: Shell, fake_relay: FakeRelay, email: str = CITIZEN) -> None:
    if email.lower() not in fake_relay.accounts:
        fake_relay.add_account(email)
    await shell.signed_in(await fake_relay.login({"email": email, "password": GOOD_PASSWORD}))


@pytest.fixture
async def citizen(shell: Shell, fake_relay: FakeRelay) -> Shell:
    """The started shell with a verified citizen signed in (the report form's starting point)."""
    await sign_in(shell, fake_relay)
    return shell


@pytest.fixture
async def app(fake_relay: FakeRelay) -> AsyncIterator[AppHarness]:
    """The real app (`create_main`) on a headless page, against the fake relay."""
    harness = AppHarness(fake_relay)
    await harness.start()
    await harness.until_ready()
    yield harness
    await harness.stop()
