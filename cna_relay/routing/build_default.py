"""`python -m cna_relay.routing.build_default`: rebuild the model shipped in `default_model/`.

Run it after changing the seed set, the features or the library pins, and commit the result.
Training is deterministic (fixed seed), so rebuilding from the same data and libraries gives a
model with the same predictions; only the version id's timestamp differs.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from cna_relay.routing.classifier import default_model_dir
from cna_relay.routing.examples import read_examples
from cna_relay.routing.learning import train_model
from cna_relay.routing.metrics import Metrics, evaluate, format_metrics
from cna_relay.routing.model import DEFAULT_SEED
from cna_relay.routing.registry import ACTIVE_FILE, ModelRegistry
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, file_digest, seed_data_dir


def build_default_model() -> tuple[str, Metrics]:
    """Replace the shipped model with one trained on the seed set; returns its version and scores."""
    target = default_model_dir()
    for old in [*target.glob("*.npz"), *target.glob("*.json"), target / ACTIVE_FILE]:
        old.unlink(missing_ok=True)
    data = seed_data_dir()
    model = train_model(read_examples(data / TRAIN_FILE), seed=DEFAULT_SEED)
    metrics = evaluate(model, read_examples(data / TEST_FILE))
    registry = ModelRegistry(target)
    metadata = registry.save(
        model, created_at=datetime.now(UTC), test_metrics=metrics, test_digest=file_digest(data / TEST_FILE)
    )
    registry.activate(metadata.version)
    return metadata.version, metrics


if __name__ == "__main__":
    version, scores = build_default_model()
    sys.stdout.write(f"{format_metrics(scores)}\nshipped default model: {version}\n")
