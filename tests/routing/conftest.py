"""Fixtures for the routing tests: the seed data, and one model trained per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from cna_relay.routing import (
    DEFAULT_SEED,
    Example,
    HelpdeskClassifier,
    TrainedModel,
    default_model_dir,
    read_examples,
    train_model,
)
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, seed_data_dir


@pytest.fixture(scope="session")
def seed_examples() -> list[Example]:
    return read_examples(seed_data_dir() / TRAIN_FILE)


@pytest.fixture(scope="session")
def test_examples() -> list[Example]:
    return read_examples(seed_data_dir() / TEST_FILE)


@pytest.fixture(scope="session")
def trained_model(seed_examples: list[Example]) -> TrainedModel:
    """Trained once per session with the threshold chosen by cross-validation, as in production."""
    return train_model(seed_examples, seed=DEFAULT_SEED)


@pytest.fixture(scope="session")
def shipped_classifier() -> HelpdeskClassifier:
    return HelpdeskClassifier.load(default_model_dir())


@pytest.fixture
def seed_dir_copy(tmp_path: Path) -> Path:
    """A private copy of data/routing, for tests that point training at a seed directory."""
    target = tmp_path / "seed"
    target.mkdir()
    for name in (TRAIN_FILE, TEST_FILE):
        (target / name).write_bytes((seed_data_dir() / name).read_bytes())
    return target
