"""Labelled report texts: the seed set on disk, staff corrections, and how both become training rows.

Seed files are JSON lines `{"text": ..., "helpdesk": ...}`. Corrections come from the relay: the
helpdesk a CNA ticket finally ended in, read back from InvGate. Both may carry helpdesk names this
version does not know (a desk renamed in InvGate, a desk we do not route to); those rows are
labelled with the triage desk rather than rejected, so training never crashes on them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cna_relay.routing.helpdesks import helpdesk_or_triage
from cna_relay.routing.normalise import normalise, text_key

# A staff correction (ticket moved to another desk) is rare next to the seed set and is exactly
# where the model was wrong, so it counts as several seed rows; a confirmation counts as one.
MOVED_WEIGHT = 3.0
CONFIRMED_WEIGHT = 1.0
SEED_WEIGHT = 1.0


class ExampleFileError(ValueError):
    """A training or evaluation file cannot be read (missing, not JSON lines, missing fields)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One report text with the helpdesk it belongs to."""

    text: str
    helpdesk: str


@dataclass(frozen=True, slots=True)
class Correction:
    """The helpdesk staff finally gave a CNA ticket, next to what the classifier predicted."""

    text: str
    predicted: str
    final_helpdesk: str
    ticket_id: str
    observed_at: datetime

    @property
    def moved(self) -> bool:
        """Whether staff moved the ticket away from the predicted helpdesk."""
        return helpdesk_or_triage(self.predicted) != helpdesk_or_triage(self.final_helpdesk)


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """A normalised text, its label and its sample weight, as the learner sees it."""

    text: str
    helpdesk: str
    weight: float


def read_examples(path: Path) -> list[Example]:
    """Examples from a JSON-lines file; unknown helpdesk names become the triage desk."""
    return [
        Example(text=record["text"], helpdesk=helpdesk_or_triage(record["helpdesk"]))
        for record in _read_records(path, required=("text", "helpdesk"))
    ]


def read_corrections(path: Path) -> list[Correction]:
    """Corrections from a JSON-lines file with the `Correction` fields (`observed_at` ISO 8601)."""
    fields = ("text", "predicted", "final_helpdesk", "ticket_id", "observed_at")
    corrections = []
    for number, record in enumerate(_read_records(path, required=fields), start=1):
        try:
            observed_at = datetime.fromisoformat(str(record["observed_at"]))
        except ValueError as exc:
            raise ExampleFileError(f"{path}: record {number}: observed_at is not ISO 8601") from exc
        corrections.append(
            Correction(
                text=record["text"],
                predicted=str(record["predicted"]),
                final_helpdesk=str(record["final_helpdesk"]),
                ticket_id=str(record["ticket_id"]),
                observed_at=observed_at,
            )
        )
    return corrections


def _read_records(path: Path, *, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ExampleFileError(f"{path}: cannot read: {exc}") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExampleFileError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(record, dict) or not all(key in record for key in required):
            raise ExampleFileError(f"{path}:{number}: expected an object with {', '.join(required)}")
        if not isinstance(record["text"], str):
            raise ExampleFileError(f"{path}:{number}: text must be a string")
        records.append(record)
    return records


def examples_digest(rows: Iterable[TrainingRow]) -> str:
    """SHA-256 over the training rows in order: identifies the data a model was trained on."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps([row.text, row.helpdesk, row.weight], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def training_rows(examples: Iterable[Example], corrections: Iterable[Correction] = ()) -> list[TrainingRow]:
    """Seed examples plus corrections as weighted, deduplicated training rows.

    Per ticket only the latest correction counts (staff may move a ticket twice). A correction
    overrides seed rows and older corrections with the same normalised text: the final helpdesk
    of a real ticket is the best label we have. Rows whose text normalises to nothing are dropped.
    """
    by_text: dict[str, TrainingRow] = {}
    for example in examples:
        _put(by_text, example.text, helpdesk_or_triage(example.helpdesk), SEED_WEIGHT)
    for correction in _latest_per_ticket(corrections):
        weight = MOVED_WEIGHT if correction.moved else CONFIRMED_WEIGHT
        _put(by_text, correction.text, helpdesk_or_triage(correction.final_helpdesk), weight)
    return list(by_text.values())


def _put(by_text: dict[str, TrainingRow], text: str, helpdesk: str, weight: float) -> None:
    key = text_key(text)
    if key:
        by_text.pop(key, None)  # re-insert so the order reflects the latest source
        by_text[key] = TrainingRow(text=normalise(text), helpdesk=helpdesk, weight=weight)


def _latest_per_ticket(corrections: Iterable[Correction]) -> list[Correction]:
    latest: dict[str, Correction] = {}
    for correction in corrections:
        seen = latest.get(correction.ticket_id)
        if seen is None or _aware(correction.observed_at) >= _aware(seen.observed_at):
            latest[correction.ticket_id] = correction
    return sorted(latest.values(), key=lambda c: (_aware(c.observed_at), c.ticket_id))


def _aware(moment: datetime) -> datetime:
    # Naive timestamps are taken as UTC so that mixed inputs still sort instead of raising.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
