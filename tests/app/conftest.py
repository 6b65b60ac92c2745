"""Fixtures for the app's tests: a shell on fakes, and the headless Flet page harness."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cna_app.services.device import FixedLocales, MemoryPreferences
from cna_app.services.tokens import MemoryTokenStore, TokenStore
from cna_app.viewmodels.shell import Shell
from tests.app.fakes import FakeRelay, ManualClock, RecordingNavigator, settle
from tests.app.harness import AppHarness


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
def make_shell(
    fake_relay: FakeRelay,
    clock: ManualClock,
    nav: RecordingNavigator,
    preferences: MemoryPreferences,
    tokens: TokenStore,
):
    def make(*, locales: list[str] | None = None) -> Shell:
        return Shell(
            relay=fake_relay,
            tokens=tokens,
            preferences=preferences,
            locales=FixedLocales(locales if locales is not None else ["nl-BE"]),
            nav=nav,
            clock=clock,
        )

    return make


@pytest.fixture
async def shell(make_shell) -> AsyncIterator[Shell]:
    """A shell that has started against a reachable relay (phase READY)."""
    ready = make_shell()
    await ready.start()
    yield ready
    ready.signup.cooldown.cancel()
    ready.reset.cooldown.cancel()
    await settle()


@pytest.fixture
async def app(fake_relay: FakeRelay) -> AsyncIterator[AppHarness]:
    """The real app (`create_main`) on a headless page, against the fake relay."""
    harness = AppHarness(fake_relay)
    await harness.start()
    await harness.until_ready()
    yield harness
    await harness.stop()
