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
