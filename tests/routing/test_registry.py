"""Versioned model files: metadata, activation pointer, foreign library versions, damaged files."""

from __future__ import annotations

import json
import logging
import platform
from datetime import UTC, datetime
from pathlib import Path

import numpy
import pytest
import sklearn

from cna_relay.routing import (
    DEFAULT_SEED,
    Example,
    HelpdeskClassifier,
    IncompatibleModelError,
    Metrics,
    ModelFileError,
    ModelRegistry,
    ModelUnavailableError,
    TrainedModel,
    default_model_dir,
)
from cna_relay.routing.examples import examples_digest, training_rows
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, file_digest, seed_data_dir

CREATED = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def registry_with_model(tmp_path: Path, trained_model: TrainedModel) -> tuple[ModelRegistry, str]:
    registry = ModelRegistry(tmp_path / "models")
    metadata = registry.save(trained_model, created_at=CREATED, test_metrics=None, test_digest=None)
    return registry, metadata.version


def _rewrite_metadata(registry: ModelRegistry, version: str, **fields: object) -> None:
    path = registry.root / f"{version}.json"
    data = json.loads(path.read_text())
    data.update(fields)
    path.write_text(json.dumps(data))


def test_saved_model_round_trips_with_its_metadata(
    registry_with_model: tuple[ModelRegistry, str], trained_model: TrainedModel
) -> None:
    registry, version = registry_with_model
    stored = registry.load(version)
    assert stored.metadata.version == version
    assert version.startswith("20261203T093000Z-")
    assert stored.metadata.created_at == CREATED
    assert stored.metadata.threshold == trained_model.threshold
    assert stored.metadata.training == trained_model.training
    texts = ["Lamp kapot", "Sluikstort aan de kerk", "bedankt"]
    assert stored.model.classify_many(texts) == trained_model.classify_many(texts)


def test_metadata_records_library_versions(registry_with_model: tuple[ModelRegistry, str]) -> None:
    registry, version = registry_with_model
    libraries = json.loads((registry.root / f"{version}.json").read_text())["libraries"]
    assert libraries["python"] == platform.python_version()
    assert libraries["scikit-learn"] == sklearn.__version__
    assert libraries["numpy"] == numpy.__version__


def test_shipped_default_model_has_metadata_and_test_metrics() -> None:
    registry = ModelRegistry(default_model_dir())
    version = registry.active_version()
    assert version is not None
    metadata = registry.metadata(version)
    assert isinstance(metadata.test_metrics, Metrics)
    assert set(metadata.libraries) >= {"python", "scikit-learn", "numpy"}


def test_nothing_is_active_until_activated(registry_with_model: tuple[ModelRegistry, str]) -> None:
    registry, version = registry_with_model
    assert registry.active_version() is None
    registry.activate(version)
    assert registry.active_version() == version
    with pytest.raises(ModelFileError):
        registry.activate("20990101T000000Z-missing")
    assert registry.active_version() == version


def test_same_second_and_data_get_distinct_version_ids(
    registry_with_model: tuple[ModelRegistry, str], trained_model: TrainedModel
) -> None:
    registry, first = registry_with_model
    second = registry.save(trained_model, created_at=CREATED, test_metrics=None, test_digest=None).version
    assert second != first
    assert registry.versions() == sorted([first, second])


@pytest.mark.parametrize("version", ["", "../etc/passwd", ".hidden", "a/b", "a\\b"])
def test_version_ids_cannot_escape_the_registry(tmp_path: Path, version: str) -> None:
    with pytest.raises(ModelFileError, match="invalid model version"):
        ModelRegistry(tmp_path).load(version)


def test_other_library_versions_do_not_matter_to_the_array_format(
    registry_with_model: tuple[ModelRegistry, str], trained_model: TrainedModel
) -> None:
    registry, version = registry_with_model
    foreign = {"python": "3.99.0", "scikit-learn": "0.24.2", "numpy": "1.0.0", "scipy": "0.1"}
    _rewrite_metadata(registry, version, libraries=foreign)
    stored = registry.load(version)
    assert stored.metadata.libraries == foreign
    assert stored.model.classify("Lamp kapot") == trained_model.classify("Lamp kapot")


def test_unknown_model_format_is_refused_before_reading_the_arrays(
    registry_with_model: tuple[ModelRegistry, str],
) -> None:
    registry, version = registry_with_model
    _rewrite_metadata(registry, version, format=99)
    (registry.root / f"{version}.npz").write_bytes(b"never opened")
    with pytest.raises(IncompatibleModelError, match="model format 99"):
        registry.load(version)


def test_incompatible_model_is_rebuilt_from_seed_data(
    registry_with_model: tuple[ModelRegistry, str],
    trained_model: TrainedModel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry, version = registry_with_model
    registry.activate(version)
    _rewrite_metadata(registry, version, format=99)
    with caplog.at_level(logging.WARNING):
        classifier = HelpdeskClassifier.load(registry.root)
    assert "retraining" in caplog.text
    assert classifier.version is None
    assert classifier.model.threshold == trained_model.threshold
    texts = ["Lamp kapot aan de kerk", "Sluikstort", "Wanneer is het gemeentehuis open?"]
    assert classifier.classify_many(texts) == trained_model.classify_many(texts)


def test_incompatible_model_without_seed_data_is_refused_clearly(
    registry_with_model: tuple[ModelRegistry, str], tmp_path: Path
) -> None:
    registry, version = registry_with_model
    registry.activate(version)
    _rewrite_metadata(registry, version, format=99)
    with pytest.raises(ModelUnavailableError, match=f"no seed data at .*{TRAIN_FILE}"):
        HelpdeskClassifier.load(registry.root, seed_dir=tmp_path / "nowhere")


@pytest.mark.parametrize("damage", [b"", b"garbage", b"PK\x03\x04 truncated zip", b"\x80\x04\x95 a pickle"])
def test_damaged_model_file_is_refused(registry_with_model: tuple[ModelRegistry, str], damage: bytes) -> None:
    registry, version = registry_with_model
    (registry.root / f"{version}.npz").write_bytes(damage)
    with pytest.raises(ModelFileError, match="cannot load model file"):
        registry.load(version)


def test_damaged_metadata_is_refused(registry_with_model: tuple[ModelRegistry, str]) -> None:
    registry, version = registry_with_model
    (registry.root / f"{version}.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="cannot read model metadata"):
        registry.load(version)


def test_an_archive_with_pickled_objects_is_refused(registry_with_model: tuple[ModelRegistry, str]) -> None:
    import numpy as np

    registry, version = registry_with_model
    path = registry.root / f"{version}.npz"
    with path.open("wb") as file:
        np.savez(file, config=np.array([{"format": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="cannot load model file"):
        registry.load(version)


def test_an_archive_missing_arrays_is_refused(registry_with_model: tuple[ModelRegistry, str]) -> None:
    import numpy as np

    registry, version = registry_with_model
    path = registry.root / f"{version}.npz"
    with path.open("wb") as file:
        np.savez(file, labels=np.array(["a"]))
    with pytest.raises(ModelFileError, match="cannot load model file"):
        registry.load(version)


def test_registry_without_active_model_is_refused_but_load_default_falls_back(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="no active model"):
        HelpdeskClassifier.load(tmp_path)
    shipped = ModelRegistry(default_model_dir()).active_version()
    assert HelpdeskClassifier.load_default(tmp_path / "does-not-exist").version == shipped


def test_a_model_file_can_be_loaded_directly(registry_with_model: tuple[ModelRegistry, str]) -> None:
    registry, version = registry_with_model
    assert HelpdeskClassifier.load(registry.root / f"{version}.npz").version == version


def test_shipped_model_was_built_from_the_current_seed_data(seed_examples: list[Example]) -> None:
    # Fails when data/routing changes without `python -m cna_relay.routing.build_default`.
    registry = ModelRegistry(default_model_dir())
    version = registry.active_version()
    assert version is not None
    metadata = registry.metadata(version)
    assert metadata.training.digest == examples_digest(training_rows(seed_examples))
    assert metadata.test_digest == file_digest(seed_data_dir() / TEST_FILE)
    assert metadata.seed == DEFAULT_SEED
