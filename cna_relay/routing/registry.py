"""Versioned model files: one array file and one JSON metadata file per version, and a pointer.

Layout of a registry directory::

    <version>.npz      the scoring arrays (`LinearTextModel.to_arrays`), read without pickle
    <version>.json     ModelMetadata: format, when, on what, threshold, test scores, library versions
    ACTIVE             the version id classification uses

The shipped default model (`cna_relay/routing/default_model/`) is a registry with one version.
Files are written to a temporary name and renamed, so a crash never leaves a half-written model
or pointer behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from cna_relay.routing.compat import incompatibilities, library_versions
from cna_relay.routing.linear import FORMAT_VERSION, LinearTextModel, UnsupportedPipelineError
from cna_relay.routing.metrics import Metrics
from cna_relay.routing.model import TrainedModel, TrainingSummary

ACTIVE_FILE = "ACTIVE"


class ModelFileError(RuntimeError):
    """A model file or its metadata is missing, unreadable or not what it claims to be."""


class IncompatibleModelError(ModelFileError):
    """The model file is in a format this version of the code cannot read."""

    def __init__(self, version: str, reasons: list[str]) -> None:
        super().__init__(f"model {version} cannot be read here: {'; '.join(reasons)}")
        self.version = version
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class ModelMetadata:
    """Everything recorded next to a model file."""

    version: str
    format: int
    created_at: datetime
    variant: str
    seed: int
    threshold: float
    training: TrainingSummary
    test_metrics: Metrics | None
    test_digest: str | None
    libraries: dict[str, str]

    def to_json(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["test_metrics"] = self.test_metrics.to_dict() if self.test_metrics else None
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ModelMetadata:
        data: dict[str, Any] = json.loads(text)
        metrics = data["test_metrics"]
        return cls(
            **{
                **data,
                "created_at": datetime.fromisoformat(data["created_at"]),
                "training": TrainingSummary(**data["training"]),
                "test_metrics": Metrics.from_dict(metrics) if metrics else None,
            }
        )


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A model loaded from a registry together with its metadata."""

    model: TrainedModel
    metadata: ModelMetadata


class ModelRegistry:
    """The model versions in one directory and which one is active."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def versions(self) -> list[str]:
        """Version ids with metadata, oldest first (ids start with their UTC creation time)."""
        if not self.root.is_dir():
            return []
        return sorted(path.stem for path in self.root.glob("*.json"))

    def active_version(self) -> str | None:
        """The active version id, or None when nothing was activated yet."""
        try:
            version = (self.root / ACTIVE_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return version or None

    def metadata(self, version: str) -> ModelMetadata:
        """The metadata of `version`; raises ModelFileError when missing or malformed."""
        path = self._path(version, ".json")
        try:
            return ModelMetadata.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"cannot read model metadata {path}: {exc}") from exc

    def load(self, version: str) -> StoredModel:
        """Load `version`; raises IncompatibleModelError before unpickling a foreign-version file."""
        metadata = self.metadata(version)
        reasons = incompatibilities(metadata.format)
        if reasons:
            raise IncompatibleModelError(version, reasons)
        model = TrainedModel(
            scorer=self._read_arrays(version),
            threshold=metadata.threshold,
            variant=metadata.variant,
            seed=metadata.seed,
            training=metadata.training,
        )
        return StoredModel(model=model, metadata=metadata)

    def save(
        self,
        model: TrainedModel,
        *,
        created_at: datetime,
        test_metrics: Metrics | None,
        test_digest: str | None,
    ) -> ModelMetadata:
        """Write `model` as a new, inactive version and return its metadata."""
        metadata = ModelMetadata(
            version=self._new_version_id(created_at, model.training.digest),
            format=FORMAT_VERSION,
            created_at=created_at,
            variant=model.variant,
            seed=model.seed,
            threshold=model.threshold,
            training=model.training,
            test_metrics=test_metrics,
            test_digest=test_digest,
            libraries=library_versions(),
        )
        self.root.mkdir(parents=True, exist_ok=True)
        with _atomic_path(self._path(metadata.version, ".npz")) as tmp, tmp.open("wb") as file:
            np.savez_compressed(file, **model.scorer.to_arrays())
        with _atomic_path(self._path(metadata.version, ".json")) as tmp:
            tmp.write_text(metadata.to_json(), encoding="utf-8")
        return metadata

    def activate(self, version: str) -> None:
        """Make `version` the active one (it must exist)."""
        self.metadata(version)
        with _atomic_path(self.root / ACTIVE_FILE) as tmp:
            tmp.write_text(version + "\n", encoding="utf-8")

    def _read_arrays(self, version: str) -> LinearTextModel:
        path = self._path(version, ".npz")
        try:
            with np.load(path, allow_pickle=False) as arrays:
                return LinearTextModel.from_arrays(arrays)
        except UnsupportedPipelineError as exc:
            raise IncompatibleModelError(version, [str(exc)]) from exc
        except Exception as exc:  # a damaged archive can fail in zipfile, numpy or json
            raise ModelFileError(f"cannot load model file {path}: {exc}") from exc

    def _path(self, version: str, suffix: str) -> Path:
        if not version or "/" in version or "\\" in version or version.startswith("."):
            raise ModelFileError(f"invalid model version id {version!r}")
        return self.root / f"{version}{suffix}"

    def _new_version_id(self, created_at: datetime, digest: str) -> str:
        base = f"{created_at:%Y%m%dT%H%M%SZ}-{digest[:8]}"
        taken = set(self.versions())
        candidate, counter = base, 1
        while candidate in taken:
            counter += 1
            candidate = f"{base}-{counter}"
        return candidate


@contextlib.contextmanager
def _atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary sibling path that replaces `target` only if the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    # mkstemp creates 0600; model files are read by other users (the relay's service account).
    tmp.chmod(0o644)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
