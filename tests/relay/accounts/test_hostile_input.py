"""Hostile and broken input on every account endpoint: always a problem+json, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

from cna_relay.i18n import Catalog
from tests.relay.accounts.helpers import PASSWORD, assert_problem, bearer, sign_up_body, verified_citizen
from tests.support.relay_fixtures import RelayHarness

MEGABYTE = "x" * (1024 * 1024)

PUBLIC = [
    ("/v1/accounts", sign_up_body("hostile@example.be")),
    ("/v1/accounts/verify", {"email": "hostile@example.be", "code": "123456"}),
    ("/v1/accounts/verify/resend", {"email": "hostile@example.be"}),
    ("/v1/auth/login", {"email": "hostile@example.be", "password": PASSWORD}),
    ("/v1/auth/refresh", {"refresh_token": "A" * 43}),
    ("/v1/auth/password-reset", {"email": "hostile@example.be"}),
    (
        "/v1/auth/password-reset/confirm",
        {"email": "hostile@example.be", "code": "123456", "new_password": PASSWORD},
    ),
]
AUTHENTICATED = [
    ("PATCH", "/v1/me", {"first_name": "Jan"}),
    ("POST", "/v1/me/password", {"current_password": PASSWORD, "new_password": PASSWORD + "x"}),
    ("POST", "/v1/me/delete", {"password": PASSWORD}),
]
HOSTILE_VALUES: list[Any] = [
    None,
    0,
    -1,
    1e308,
    True,
    [],
    {},
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\u202e",
    "%s%n",
]


async def send(
    relay: RelayHarness, method: str, path: str, body: Any, headers: dict[str, str] | None = None
) -> Any:
    """JSON sent as bytes: `json.dumps` escapes lone surrogates, which httpx's encoder refuses."""
    content = json.dumps(body).encode()
    return await relay.client.request(
        method, path, content=content, headers={"content-type": "application/json", **(headers or {})}
    )


def problem_not_5xx(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), response.text
        assert response.json()["code"]


async def test_a_megabyte_field_is_refused_before_it_is_read(relay: RelayHarness) -> None:
    title = Catalog.bundled().text("fr", "problem.payload_too_large.title")
    for path, body in PUBLIC:
        for field in body:
            response = await relay.client.post(
                path, json={**body, field: MEGABYTE}, headers={"Accept-Language": "fr"}
            )
            problem = assert_problem(response, 413, "payload_too_large")
            assert problem["title"] == title
            assert response.headers["content-language"] == "fr"


async def test_a_streamed_body_without_length_is_capped_too(relay: RelayHarness) -> None:
    async def chunks() -> Any:
        yield b'{"email": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}'

    response = await relay.client.post(
        "/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413, "payload_too_large")


async def test_every_field_survives_hostile_values(relay: RelayHarness) -> None:
    for path, body in PUBLIC:
        for field in body:
            for value in HOSTILE_VALUES:
                problem_not_5xx(await send(relay, "POST", path, {**body, field: value}))
            problem_not_5xx(
                await send(relay, "POST", path, {key: v for key, v in body.items() if key != field})
            )


async def test_authenticated_fields_survive_hostile_values(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "victim-of-fuzz@example.be")
    for method, path, body in AUTHENTICATED:
        for field in body:
            for value in HOSTILE_VALUES:
                response = await send(relay, method, path, {**body, field: value}, bearer(pair))
                problem_not_5xx(response)
                assert response.status_code != 204, (
                    path,
                    field,
                    value,
                )  # nothing hostile deletes the account
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200


async def test_unreadable_bodies_are_problems(relay: RelayHarness) -> None:
    for path, _ in PUBLIC:
        for raw in (b"{", b"[1, 2]", b'"text"', b"null", b"\xff\xfe\x00", b"{}" * 10, b""):
            response = await relay.client.post(
                path, content=raw, headers={"content-type": "application/json"}
            )
            assert response.status_code in (400, 422), (path, raw)
            problem_not_5xx(response)


async def test_a_role_in_the_sign_up_body_is_ignored(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "sneaky@example.be", role="staff")
    assert pair["account"]["role"] == "citizen"


async def test_nul_bytes_in_profile_fields_are_refused_with_the_field_named(relay: RelayHarness) -> None:
    body = sign_up_body("nul@example.be", first_name="Jan\x00", street="Markt\x001", municipality="\x00")
    response = await relay.client.post("/v1/accounts", json=body, headers={"Accept-Language": "en"})
    problem = assert_problem(response, 422, "validation_error")
    assert {error["field"] for error in problem["errors"]} == {"first_name", "street", "municipality"}
    assert {error["code"] for error in problem["errors"]} == {"control_characters"}


async def test_a_nul_byte_in_the_password_is_refused(relay: RelayHarness) -> None:
    response = await relay.client.post(
        "/v1/accounts", json=sign_up_body("pw@example.be", password="Zonne\x00bloem-42!")
    )
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"][0]["field"] == "password"


async def test_a_weak_password_lists_every_unmet_rule_in_the_callers_language(relay: RelayHarness) -> None:
    response = await relay.client.post(
        "/v1/accounts",
        json=sign_up_body("rules@example.be", password="password"),
        headers={"Accept-Language": "fr"},
    )
    problem = assert_problem(response, 422, "weak_password")
    rules = [error["code"] for error in problem["errors"]]
    assert rules == [
        "password_rule.min_length",
        "password_rule.uppercase",
        "password_rule.digit",
        "password_rule.symbol",
        "password_rule.not_common",
    ]
    assert all(error["field"] == "password" for error in problem["errors"])
    assert "10" in problem["errors"][0]["message"]


async def test_an_over_long_password_is_a_rule_not_a_slow_hash(relay: RelayHarness) -> None:
    response = await relay.client.post(
        "/v1/accounts", json=sign_up_body("long@example.be", password="Aa1!" * 2000)
    )
    problem = assert_problem(response, 422, "weak_password")
    assert [error["code"] for error in problem["errors"]] == ["password_rule.max_length"]
    login = await relay.client.post(
        "/v1/auth/login", json={"email": "long@example.be", "password": "Aa1!" * 2000}
    )
    assert_problem(login, 422, "validation_error")
