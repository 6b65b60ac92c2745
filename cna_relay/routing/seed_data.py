"""Where the seed training set and the frozen test split live, and how to fingerprint them."""

from __future__ import annotations

import hashlib
from pathlib import Path

TRAIN_FILE = "train.jsonl"
TEST_FILE = "test.jsonl"


def seed_data_dir() -> Path:
    """`data/routing/` of the source tree this package runs from (the relay runs from a checkout)."""
    return Path(__file__).resolve().parents[2] / "data" / "routing"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: tells whether two metrics were measured on the same test split."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
