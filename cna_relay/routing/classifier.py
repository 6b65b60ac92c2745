"""The classifier the relay and the CLI use: a loaded model version behind `classify`.

Usage::

    classifier = HelpdeskClassifier.load(Path("var/routing"))   # a registry: its active model
    classifier.classify("De straatlamp aan nummer 12 brandt niet").helpdesk

Model files are arrays, not pickles, so they load whatever library versions made them. A file in
a model format this code does not read (written by an older or newer CNA) is not guessed at:
the same model (variant, seed, threshold) is retrained from the seed set in `data/routing/`,
which is deterministic and takes a few seconds; corrections the old model had learnt from are
not available here and are lost until the next `train` (the relay passes them in). Without the
seed set loading fails with `ModelUnavailableError` naming both causes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from cna_relay.routing.examples import read_examples
from cna_relay.routing.model import TrainedModel
from cna_relay.routing.prediction import Prediction
from cna_relay.routing.registry import (
    IncompatibleModelError,
    ModelFileError,
    ModelMetadata,
    ModelRegistry,
)
from cna_relay.routing.seed_data import TRAIN_FILE, seed_data_dir

_log = logging.getLogger(__name__)


class ModelUnavailableError(ModelFileError):
    """No usable model could be loaded or rebuilt."""


def default_model_dir() -> Path:
    """The registry shipped inside the package: classification works without a training step."""
    return Path(__file__).resolve().parent / "default_model"


class HelpdeskClassifier:
    """A model version ready to classify report texts."""

    def __init__(self, model: TrainedModel, metadata: ModelMetadata | None = None) -> None:
        self.model = model
        self.metadata = metadata

    @property
    def version(self) -> str | None:
        """The version id of the loaded model (None for a model that was never saved)."""
        return self.metadata.version if self.metadata else None

    @classmethod
    def load(cls, path: Path, *, seed_dir: Path | None = None) -> HelpdeskClassifier:
        """Load a registry directory's active model, or one `<version>.npz` file."""
        registry, version = cls._locate(path)
        try:
            stored = registry.load(version)
        except IncompatibleModelError as exc:
            return cls._rebuild(registry.metadata(version), exc, seed_dir or seed_data_dir())
        return cls(stored.model, stored.metadata)

    @staticmethod
    def _locate(path: Path) -> tuple[ModelRegistry, str]:
        if path.suffix == ".npz":
            return ModelRegistry(path.parent), path.stem
        active = ModelRegistry(path).active_version()
        if active is None:
            raise ModelUnavailableError(f"{path} has no active model ({path / 'ACTIVE'} missing)")
        return ModelRegistry(path), active

    @classmethod
    def load_default(cls, registry_dir: Path | None = None) -> HelpdeskClassifier:
        """The active model of `registry_dir` if it has one, else the shipped default model."""
        if registry_dir is not None and ModelRegistry(registry_dir).active_version() is not None:
            return cls.load(registry_dir)
        return cls.load(default_model_dir())

    @classmethod
    def _rebuild(
        cls, metadata: ModelMetadata, cause: IncompatibleModelError, seed_dir: Path
    ) -> HelpdeskClassifier:
        seed_file = seed_dir / TRAIN_FILE
        if not seed_file.is_file():
            raise ModelUnavailableError(f"{cause}; cannot retrain: no seed data at {seed_file}") from cause
        _log.warning("%s; retraining %s from %s (seed %d)", cause, metadata.variant, seed_file, metadata.seed)
        # Imported here: classifying must not pay scikit-learn's import time; only this rare path does.
        from cna_relay.routing.learning import train_model

        model = train_model(
            read_examples(seed_file),
            seed=metadata.seed,
            threshold=metadata.threshold,
            variant=metadata.variant,
        )
        return cls(model, None)

    def classify(self, text: str) -> Prediction:
        """The helpdesk for one report text."""
        return self.model.classify(text)

    def classify_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The helpdesk for each text, in order."""
        return self.model.classify_many(texts)
