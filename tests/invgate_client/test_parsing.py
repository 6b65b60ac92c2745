"""Pure reply parsing: InvGate's loose JSON into typed values, and hostile shapes refused clearly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cna_relay.invgate import fields as f
from cna_relay.invgate.errors import InvGateUnexpectedResponse
from cna_relay.invgate.models import ApprovalStatus, Helpdesk, HelpdeskLevel
from cna_relay.invgate.parsing import (
    parse_approvals,
    parse_catalogue,
    parse_categories,
    parse_comment,
    parse_helpdesks_and_levels,
    parse_optional_user,
    parse_status_page,
    parse_ticket,
    parse_ticket_page,
    parse_ticket_ref,
    parse_tickets,
    parse_user_page,
)


@pytest.mark.parametrize(("raw", "expected"), [(7, 7), ("7", 7), (" 42 ", 42), (3.0, 3), ("-2", -2)])
def test_ids_arrive_as_numbers_or_numeric_strings(raw: object, expected: int) -> None:
    assert f.to_int(raw, "id") == expected


@pytest.mark.parametrize("raw", [True, "7a", "", "١٢", 1.5, None, [1], "9" * 40, "1e3"])
def test_anything_else_is_not_an_id(raw: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse, match="id"):
        f.to_int(raw, "id")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (1, True), ("1", True), ("true", True), (0, False), ("0", False), (False, False)],
)
def test_booleans_in_all_invgate_spellings(raw: object, expected: bool) -> None:
    assert f.boolean({"v": raw}, "v", "x") is expected


@pytest.mark.parametrize("raw", ["yes", 2, [], "", None])
def test_non_booleans_are_refused(raw: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse):
        f.boolean({"v": raw}, "v", "x")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1767225600, datetime(2026, 1, 1, tzinfo=UTC)),
        ("1767225600", datetime(2026, 1, 1, tzinfo=UTC)),
        (0, datetime(1970, 1, 1, tzinfo=UTC)),
        (None, None),
        (False, None),
        ("", None),
    ],
)
def test_epoch_dates_become_aware_utc_datetimes(raw: object, expected: datetime | None) -> None:
    value = f.moment({"d": raw}, "d", "x")
    assert value == expected
    assert value is None or value.tzinfo is UTC


@pytest.mark.parametrize("raw", ["2026-01-01T00:00:00Z", float("nan"), float("inf"), 10**20, [1], True])
def test_bad_dates_are_refused(raw: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse, match=r"date|range"):
        f.moment({"d": raw}, "d", "x")


def _ticket_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": 12,
        "title": "Put in de weg &amp; meer",
        "description": "Diepe put &lt;script&gt; &quot;hier&quot; &#039;daar&#039; &amp;amp;",
        "status_id": 1,
        "user_id": "40",
        "creator_id": 2,
        "assigned_group_id": 3,
        "assigned_id": None,
        "date_ocurred": 1767225600,
        "created_at": 1767225601,
        "last_update": 1767225602,
        "solved_at": None,
        "closed_at": None,
        "closed_reason": None,
        "attachments": [5, "6"],
        "pretty_id": "#12",
    }
    data.update(overrides)
    return data


def test_ticket_fields_are_renamed_to_the_relay_domain_and_text_decoded_once() -> None:
    ticket = parse_ticket(_ticket_json())
    assert ticket.customer_id == 40
    assert ticket.helpdesk_id == 3
    assert ticket.agent_id is None
    assert ticket.occurred_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert ticket.attachment_ids == (5, 6)
    assert ticket.description == "Diepe put <script> \"hier\" 'daar' &amp;"
    assert ticket.title == "Put in de weg &amp; meer"  # titles are not entity-encoded by InvGate
    assert ticket.comments == ()


def test_ticket_documented_as_array_is_accepted_too() -> None:
    assert parse_ticket([_ticket_json()]).id == 12


def test_embedded_comments_keep_their_ticket_and_lack_is_solution() -> None:
    comment = {
        "id": 1,
        "incident_id": 12,
        "author_id": 2,
        "message": "a&amp;b",
        "created_at": 1,
        "customer_visible": 1,
    }
    ticket = parse_ticket(_ticket_json(comments=[comment]))
    assert ticket.comments[0].customer_visible is True
    assert ticket.comments[0].is_solution is None
    assert ticket.comments[0].message == "a&b"


@pytest.mark.parametrize("key", ["attachments", "attached_files"])
def test_comment_attachment_list_under_either_key(key: str) -> None:
    data = {
        "id": 1,
        "author_id": 2,
        "message": "",
        "created_at": 1,
        "customer_visible": False,
        key: [{"id": 9}],
    }
    comment = parse_comment(data, ticket_id=12)
    assert comment.ticket_id == 12
    assert comment.attachment_ids == (9,)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "OK",
        {"title": "no id"},
        _ticket_json(id="x"),
        _ticket_json(status_id=None),
        [_ticket_json()] * 2,
    ],
)
def test_broken_tickets_raise_unexpected_response(data: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse):
        parse_ticket(data)


@pytest.mark.parametrize(
    ("raw", "expected"), [({"status": "OK", "request_id": 77}, 77), ({"request_id": "78"}, 78)]
)
def test_created_ticket_reply_has_request_id_as_number_or_string(raw: dict[str, Any], expected: int) -> None:
    assert parse_ticket_ref(raw).id == expected


@pytest.mark.parametrize("raw", [{"status": "OK", "id": 5}, {"request_id": None}, [], "77"])
def test_created_ticket_reply_without_request_id_is_unexpected(raw: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse, match=r"request_id|object"):
        parse_ticket_ref(raw)


def _user(uid: int, email: str) -> dict[str, Any]:
    return {"id": uid, "name": "A", "lastname": "B", "email": email, "is_external": 1, "user_type": 2}


@pytest.mark.parametrize(
    ("raw", "ids", "next_key"),
    [
        ({"data": []}, [], None),
        ({"data": {}, "next_page_key": None}, [], None),
        (
            {"data": {"k1": _user(4, "a@x.be"), "k2": _user(5, "b@x.be")}, "next_page_key": "abc"},
            [4, 5],
            "abc",
        ),
        ({"data": [_user(6, "c@x.be")], "next_page_key": 17}, [6], "17"),
    ],
)
def test_users_by_pages_in_every_shape(raw: object, ids: list[int], next_key: str | None) -> None:
    users, key = parse_user_page(raw)
    assert [user.id for user in users] == ids
    assert key == next_key


@pytest.mark.parametrize("raw", [False, None, [], {}])
def test_unknown_user_shapes_mean_nobody(raw: object) -> None:
    assert parse_optional_user(raw) is None


@pytest.mark.parametrize(
    "raw", [{"data": "x"}, {"data": [1]}, {"data": [], "next_page_key": [1]}, [{"data": []}]]
)
def test_broken_user_pages_are_unexpected(raw: object) -> None:
    with pytest.raises(InvGateUnexpectedResponse):
        parse_user_page(raw)


def test_tickets_keyed_by_id_or_listed_or_empty() -> None:
    keyed = {"12": _ticket_json(), "13": _ticket_json(id=13)}
    assert [t.id for t in parse_tickets(keyed, "incidents")] == [12, 13]
    assert [t.id for t in parse_tickets([_ticket_json()], "incidents")] == [12]
    assert parse_tickets([], "incidents") == []
    tickets, key = parse_ticket_page(
        {"status": "OK", "requests": [], "next_page_key": None}, items_key="requests", what="x"
    )
    assert (tickets, key) == ([], None)


def test_status_page_reads_ids_and_total() -> None:
    assert parse_status_page({"requestIds": ["3", 4], "limit": 2, "offset": 0, "total": 9}) == ([3, 4], 9)
    assert parse_status_page({"requestIds": []}) == ([], 0)


def test_helpdesks_and_levels_are_told_apart() -> None:
    items = parse_helpdesks_and_levels(
        [{"id": 1, "name": "Wegen", "parent_id": None}, {"id": 11, "level_order": 1, "parent_id": 1}]
    )
    assert items == [Helpdesk(id=1, name="Wegen"), HelpdeskLevel(id=11, parent_id=1, level_order=1)]


def test_category_ids_as_strings() -> None:
    categories = parse_categories([{"id": "3", "name": "Wegen", "parent_category_id": "0"}])
    assert categories[0].id == 3 and categories[0].parent_id == 0


def test_catalogues_as_list_or_map() -> None:
    assert [(i.id, i.name) for i in parse_catalogue([{"id": 1, "name": "Laag"}], "p")] == [(1, "Laag")]
    assert [(i.id, i.name) for i in parse_catalogue({"1": "Laag", "2": "Middel"}, "p")] == [
        (1, "Laag"),
        (2, "Middel"),
    ]


def test_approvals_status_compares_with_enum() -> None:
    approvals = parse_approvals(
        [{"id": 1, "status": -1, "type": 2, "approval_request_description": "Mag &amp; kan"}]
    )
    assert approvals[0].status == ApprovalStatus.WAITING
    assert approvals[0].description == "Mag & kan"
