"""The classifier a running relay uses: the registry's active model, swapped when it changes.

`python -m cna_relay.routing train` runs in its own process and activates a new version by
atomically replacing the registry's `ACTIVE` file. Every `classify` call compares that file's
identity (inode, modification time, size: one `stat`, about a microsecond) with the one it
loaded, and loads the new version when it differs, so relays pick up a model without a restart.
A version that fails to load is logged and the model in use stays; with no model in use the
shipped default is tried, and if even that fails every report goes to the triage desk.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cna_relay.routing.classifier import HelpdeskClassifier, default_model_dir
from cna_relay.routing.helpdesks import TRIAGE
from cna_relay.routing.registry import ACTIVE_FILE

log = logging.getLogger(__name__)

_Pointer = tuple[int, int, int] | None
_NOT_LOOKED = (-1, -1, -1)


class LiveClassifier:
    """`classify(text) -> (helpdesk, confidence)` over the active model of `registry_dir`."""

    def __init__(self, registry_dir: Path, *, triage: str = TRIAGE) -> None:
        self._registry_dir = registry_dir
        self._triage = triage
        self._classifier: HelpdeskClassifier | None = None
        self._pointer: _Pointer = _NOT_LOOKED

    @property
    def version(self) -> str | None:
        """The version in use (None: a model rebuilt from seed data, or no model at all)."""
        return None if self._classifier is None else self._classifier.version

    def classify(self, text: str) -> tuple[str, float]:
        """The helpdesk for a report text and the model's confidence (triage, 0 without a model)."""
        self.reload_if_changed()
        if self._classifier is None:
            return self._triage, 0.0
        prediction = self._classifier.classify(text)
        # The model's triage label is ours; the relay may call its triage desk otherwise.
        helpdesk = self._triage if prediction.helpdesk == TRIAGE else prediction.helpdesk
        return helpdesk, prediction.confidence

    def reload_if_changed(self) -> bool:
        """Load the active version if the `ACTIVE` pointer changed since the last look."""
        pointer = _identity(self._registry_dir / ACTIVE_FILE)
        if pointer == self._pointer:
            return False
        self._pointer = pointer
        loaded = self._load()
        if loaded is None:
            return False
        if self._classifier is not None:
            log.info("routing model %s replaces %s", loaded.version, self._classifier.version)
        self._classifier = loaded
        return True

    def _load(self) -> HelpdeskClassifier | None:
        try:
            return HelpdeskClassifier.load_default(self._registry_dir)
        except Exception:
            log.exception("cannot load the active routing model of %s", self._registry_dir)
        if self._classifier is not None:
            return None  # keep the model in use
        try:
            return HelpdeskClassifier.load(default_model_dir())
        except Exception:
            log.exception("no routing model could be loaded: every report goes to the triage desk")
            return None


def _identity(path: Path) -> _Pointer:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size
