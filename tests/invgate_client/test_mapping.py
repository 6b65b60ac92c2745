"""Pure request building: InvGate's parameter encoding, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cna_relay.invgate.mapping import (
    Params,
    comment_params,
    encode_params,
    epoch_seconds,
    external_user_params,
    new_ticket_params,
    ticket_changes_params,
    user_changes_params,
)
from cna_relay.invgate.models import NewTicket, TicketChanges, UserChanges, UserProfile

BRUSSELS_SUMMER = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"id": 7}, [("id", "7")]),
        ({"exact_match": True, "include_disabled": False}, [("exact_match", "1"), ("include_disabled", "0")]),
        ({"ids[]": (3, 1, 2)}, [("ids[]", "3"), ("ids[]", "1"), ("ids[]", "2")]),
        ({"ids[]": []}, []),
        ({"page_key": None, "limit": 10}, [("limit", "10")]),
        ({"title": ""}, [("title", "")]),
        ({"comment": "a&b <c> 'd' \"e\" é 🚲\x00"}, [("comment", "a&b <c> 'd' \"e\" é 🚲\x00")]),
        ({"date": datetime(2026, 1, 1, tzinfo=UTC)}, [("date", "1767225600")]),
        ({"date": datetime(2026, 1, 1, 2, tzinfo=BRUSSELS_SUMMER)}, [("date", "1767225600")]),
        ({"b": 1, "a": 2}, [("b", "1"), ("a", "2")]),
    ],
)
def test_encode_params_follows_invgate_rules(params: Params, expected: list[tuple[str, str]]) -> None:
    assert encode_params(params) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"ids[]": "1,2"},  # a comma string is what InvGate refuses with 428
        {"ids[]": 5},
        {"ids": (1, 2)},  # an array must be named with []
        {"blob": b"bytes"},
        {"ratio": 1.5},
    ],
)
def test_encode_params_refuses_what_invgate_cannot_read(params: Params) -> None:
    with pytest.raises(TypeError):
        encode_params(params)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        epoch_seconds(datetime(2026, 1, 1))


def test_external_user_params_force_is_external_and_use_invgate_names() -> None:
    profile = UserProfile(name="Anna", lastname="Peeters", email="anna@example.be", other_email="a@x.be")
    params = external_user_params(profile)
    assert params["is_external"] is True
    assert params["other-email"] == "a@x.be"
    assert "other_email" not in params
    pairs = dict(encode_params(params))
    assert pairs["is_external"] == "1"
    assert pairs["send_set_password_email"] == "0"
    assert "phone" not in pairs and "manager_id" not in pairs


def test_user_changes_send_only_changed_fields_and_empty_string_clears() -> None:
    pairs = encode_params(user_changes_params(12, UserChanges(phone="", language="nl", other_email="b@x.be")))
    assert pairs == [("id", "12"), ("other-email", "b@x.be"), ("phone", ""), ("language", "nl")]


def _ticket(**overrides: object) -> NewTicket:
    values: dict[str, object] = {
        "creator_id": 2,
        "customer_id": 40,
        "category_id": 3,
        "priority_id": 2,
        "type_id": 1,
        "title": "Losliggende stoeptegel — Kerkstraat",
        "description": "Tegel ligt los &amp; <b>gevaarlijk</b>",
    }
    values.update(overrides)
    return NewTicket(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "expected_extra"),
    [
        ({}, []),
        ({"source_id": 5}, [("source_id", "5")]),
        ({"occurred_at": datetime(2026, 3, 1, tzinfo=UTC)}, [("date", "1772323200")]),
        ({"related_ticket_ids": (8, 9)}, [("related_to[]", "8"), ("related_to[]", "9")]),
        ({"location_id": 4}, [("location_id", "4")]),
    ],
)
def test_new_ticket_params(overrides: dict[str, object], expected_extra: list[tuple[str, str]]) -> None:
    pairs = encode_params(new_ticket_params(_ticket(**overrides)))
    base = [
        ("creator_id", "2"),
        ("customer_id", "40"),
        ("category_id", "3"),
        ("priority_id", "2"),
        ("type_id", "1"),
        ("title", "Losliggende stoeptegel — Kerkstraat"),
        ("description", "Tegel ligt los &amp; <b>gevaarlijk</b>"),  # sent as given: the relay escapes
    ]
    assert [pair for pair in pairs if pair in base] == base
    assert [pair for pair in pairs if pair not in base] == expected_extra


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (TicketChanges(), [("id", "5")]),
        (
            TicketChanges(category_id=9, reassign=True),
            [("id", "5"), ("category_id", "9"), ("reassignment", "1")],
        ),
        (TicketChanges(title="Nieuw"), [("id", "5"), ("title", "Nieuw")]),
    ],
)
def test_ticket_changes_params(changes: TicketChanges, expected: list[tuple[str, str]]) -> None:
    assert encode_params(ticket_changes_params(5, changes)) == expected


@pytest.mark.parametrize(
    ("visible", "solution", "expected"),
    [
        (True, False, {"customer_visible": "1", "is_solution": "0"}),
        (False, False, {"customer_visible": "0", "is_solution": "0"}),
        (True, True, {"customer_visible": "1", "is_solution": "1"}),
    ],
)
def test_comment_params_always_state_visibility(
    visible: bool, solution: bool, expected: dict[str, str]
) -> None:
    pairs = dict(
        encode_params(
            comment_params(3, author_id=2, text="Hallo", customer_visible=visible, is_solution=solution)
        )
    )
    assert pairs == {"request_id": "3", "author_id": "2", "comment": "Hallo", **expected}


def test_an_internal_solution_is_refused_before_sending() -> None:
    with pytest.raises(ValueError, match="visible"):
        comment_params(3, author_id=2, text="x", customer_visible=False, is_solution=True)
