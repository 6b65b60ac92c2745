"""Reading seed and correction files, and turning corrections into training rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cna_relay.routing import TRIAGE, Correction, Example, read_corrections, read_examples
from cna_relay.routing.examples import (
    CONFIRMED_WEIGHT,
    MOVED_WEIGHT,
    SEED_WEIGHT,
    ExampleFileError,
    training_rows,
)


def _correction(
    text: str, final: str, ticket: str, day: int, predicted: str = "Wegen en Mobiliteit"
) -> Correction:
    return Correction(text, predicted, final, ticket, datetime(2026, 11, day, tzinfo=UTC))


def test_read_examples_maps_unknown_helpdesks_to_triage(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"text": "lamp kapot", "helpdesk": "openbare verlichting"}\n'
        "\n"
        '{"text": "iets", "helpdesk": "Dienst Feestelijkheden", "extra": 1}\n',
        encoding="utf-8",
    )
    assert read_examples(path) == [Example("lamp kapot", "Openbare Verlichting"), Example("iets", TRIAGE)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "a", "helpdesk": "Afval en Netheid"}\n{not json\n', ":2: not JSON"),
        ('["text", "helpdesk"]\n', ":1: expected an object"),
        ('{"text": "a"}\n', "expected an object with text, helpdesk"),
        ('{"text": 5, "helpdesk": "Afval en Netheid"}\n', "text must be a string"),
    ],
)
def test_malformed_example_files_are_refused_with_the_line_number(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExampleFileError, match=message):
        read_examples(path)


def test_unreadable_example_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExampleFileError):
        read_examples(tmp_path / "missing.jsonl")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ExampleFileError):
        read_examples(binary)


def test_read_corrections_parses_timestamps_and_refuses_bad_ones(tmp_path: Path) -> None:
    good = tmp_path / "c.jsonl"
    good.write_text(
        '{"text": "t", "predicted": "Afval en Netheid", "final_helpdesk": "Groen en Natuur", '
        '"ticket_id": 17, "observed_at": "2026-11-02T10:00:00+00:00"}\n',
        encoding="utf-8",
    )
    [correction] = read_corrections(good)
    assert correction.ticket_id == "17"
    assert correction.moved
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good.read_text().replace("2026-11-02T10:00:00+00:00", "yesterday"), encoding="utf-8")
    with pytest.raises(ExampleFileError, match="observed_at"):
        read_corrections(bad)


def test_only_the_latest_correction_per_ticket_counts() -> None:
    rows = training_rows(
        [],
        [
            _correction("boom op de weg", "Wegen en Mobiliteit", "T1", 3),
            _correction("boom op de weg", "Groen en Natuur", "T1", 5),
            _correction("boom op de weg", "Afval en Netheid", "T1", 4),
        ],
    )
    assert [(row.text, row.helpdesk) for row in rows] == [("boom op de weg", "Groen en Natuur")]


def test_a_correction_overrides_a_seed_example_with_the_same_text() -> None:
    seed = [Example("Boom op de weg!", "Wegen en Mobiliteit"), Example("lamp kapot", "Openbare Verlichting")]
    rows = training_rows(seed, [_correction("boom op de  weg", "Groen en Natuur", "T9", 1)])
    labels = {row.text: (row.helpdesk, row.weight) for row in rows}
    assert labels == {
        "lamp kapot": ("Openbare Verlichting", SEED_WEIGHT),
        "boom op de weg": ("Groen en Natuur", MOVED_WEIGHT),
    }
    assert len(training_rows(seed, [])) == 2


def test_moved_corrections_weigh_more_than_confirmations() -> None:
    rows = training_rows(
        [],
        [
            _correction("gat in de weg", "Wegen en Mobiliteit", "T1", 1),
            _correction("deelstep op de stoep", "Openbare Orde en Overlast", "T2", 1),
        ],
    )
    assert {row.text: row.weight for row in rows} == {
        "gat in de weg": CONFIRMED_WEIGHT,
        "deelstep op de stoep": MOVED_WEIGHT,
    }


def test_corrections_with_unknown_desks_or_no_text_degrade_instead_of_crashing() -> None:
    rows = training_rows(
        [],
        [
            _correction("vraag over mijn paspoort", "Burgerzaken", "T1", 1),
            _correction("   ", "Groen en Natuur", "T2", 1),
            _correction("lamp", "Openbare Verlichting", "T3", 1, predicted="??"),
        ],
    )
    assert [(row.text, row.helpdesk) for row in rows] == [
        ("vraag over mijn paspoort", TRIAGE),
        ("lamp", "Openbare Verlichting"),
    ]


def test_naive_and_aware_timestamps_can_be_mixed() -> None:
    naive = Correction("boom", "x", "Groen en Natuur", "T1", datetime(2026, 11, 9))
    aware = _correction("boom", "Wegen en Mobiliteit", "T1", 2)
    assert [row.helpdesk for row in training_rows([], [naive, aware])] == ["Groen en Natuur"]
