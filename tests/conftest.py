"""Fixtures shared by every suite. Suite-specific fixtures live in each folder's conftest."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Shared fixtures: the simulator and mail sink (sim_fixtures), the relay wired to them (relay_fixtures).
pytest_plugins = ["tests.support.sim_fixtures", "tests.support.relay_fixtures"]

# Environment variables a developer may have set must not leak into tests.
_OWN_PREFIXES = ("CNA_", "INVGATE_SIM_")


@pytest.fixture(autouse=True)
def _clean_environment() -> Iterator[None]:
    saved = {key: value for key, value in os.environ.items() if key.startswith(_OWN_PREFIXES)}
    for key in saved:
        del os.environ[key]
    yield
    for key in [key for key in os.environ if key.startswith(_OWN_PREFIXES)]:
        del os.environ[key]
    os.environ.update(saved)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last.

    Playwright's sync API keeps its event loop registered as running in the main thread from the
    first browser test until the session ends; an asyncio test after that cannot start its own
    loop. The sort is stable, so every other test keeps its order.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
