"""Users: create (external citizens), read, find by e-mail, update, disable, delete (reference §3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import create_customer
from tests.support.sim_fixtures import SIM_API_KEY, SIM_API_URL, SIM_API_USER


async def test_post_user_creates_an_external_end_user(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    user = await create_customer(
        sim_http, "els@example.org", name="Els", lastname="Wouters", phone="+32 9 123"
    )
    assert user["id"] >= 5001
    assert (user["name"], user["lastname"], user["email"]) == ("Els", "Wouters", "els@example.org")
    assert user["user_type"] == 2
    assert user["is_external"] is True
    assert user["phone"] == "+32 9 123"
    assert sim_app.state.sim.users[user["id"]].is_external


async def test_post_user_reads_the_hyphenated_other_email(sim_http: httpx.AsyncClient) -> None:
    extra: dict[str, Any] = {"other-email": "els@werk.example"}
    user = await create_customer(sim_http, **extra)
    assert user["other_email"] == "els@werk.example"


@pytest.mark.parametrize("missing", ["name", "lastname", "email"])
async def test_post_user_requires_name_lastname_and_email(sim_http: httpx.AsyncClient, missing: str) -> None:
    data = {"name": "Els", "lastname": "Wouters", "email": "els@example.org"}
    del data[missing]
    response = await sim_http.post("user", data=data)
    assert response.status_code == 428
    assert missing in response.json()["error"]


@pytest.mark.parametrize(
    "email", ["not-an-address", "a@b", "two@@example.org", "x" * 250 + "@example.org", " "]
)
async def test_post_user_refuses_malformed_addresses(sim_http: httpx.AsyncClient, email: str) -> None:
    response = await sim_http.post("user", data={"name": "A", "lastname": "B", "email": email})
    assert response.status_code == 428


async def test_a_duplicate_email_is_refused_by_default(sim_http: httpx.AsyncClient) -> None:
    await create_customer(sim_http, "dup@example.org")
    response = await sim_http.post("user", data={"name": "X", "lastname": "Y", "email": "DUP@example.org"})
    assert response.status_code == 409


async def test_duplicate_emails_can_be_allowed(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(duplicate_email="allow"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        first = await create_customer(http, "dup@example.org")
        second = await create_customer(http, "dup@example.org")
    assert first["id"] != second["id"]


async def test_get_user_returns_the_object_or_false_for_an_unknown_id(sim_http: httpx.AsyncClient) -> None:
    user = await create_customer(sim_http)
    found = await sim_http.get("user", params={"id": user["id"]})
    assert found.json()["email"] == user["email"]
    unknown = await sim_http.get("user", params={"id": 999_999})
    assert unknown.status_code == 200
    assert unknown.json() is False


async def test_user_by_finds_by_email_or_username(sim_http: httpx.AsyncClient) -> None:
    user = await create_customer(sim_http, "find.me@example.org")
    by_email = await sim_http.get("user.by", params={"email": "Find.Me@example.org"})
    by_username = await sim_http.get("user.by", params={"username": "find.me@example.org"})
    assert by_email.json()["id"] == by_username.json()["id"] == user["id"]


async def test_user_by_needs_email_or_username_and_answers_false_when_nobody_matches(
    sim_http: httpx.AsyncClient,
) -> None:
    assert (await sim_http.get("user.by")).status_code == 428
    assert (await sim_http.get("user.by", params={"email": "nobody@example.org"})).json() is False


async def test_user_by_not_found_body_is_configurable(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(user_by_not_found=[]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=SIM_API_URL, auth=(SIM_API_USER, SIM_API_KEY)
    ) as http:
        assert (await http.get("user.by", params={"email": "nobody@example.org"})).json() == []


async def test_users_by_exact_match_and_substring(sim_http: httpx.AsyncClient) -> None:
    anna = await create_customer(sim_http, "anna@example.org")
    await create_customer(sim_http, "hanna@example.org")
    exact = (await sim_http.get("users.by", params={"email": "anna@example.org", "exact_match": 1})).json()
    assert list(exact["data"]) == [str(anna["id"])]
    assert exact["next_page_key"] is None
    substring = (await sim_http.get("users.by", params={"email": "anna@example.org"})).json()
    assert len(substring["data"]) == 2


async def test_users_by_without_a_match_is_an_empty_data_list(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.get("users.by", params={"email": "ghost@example.org", "exact_match": 1})
    assert response.json() == {"data": []}


async def test_users_by_pages_ten_at_a_time(sim_http: httpx.AsyncClient) -> None:
    for index in range(12):
        await create_customer(sim_http, f"burger{index}@example.org")
    first = (await sim_http.get("users.by", params={"email": "burger"})).json()
    assert len(first["data"]) == 10 and first["next_page_key"]
    second = (
        await sim_http.get("users.by", params={"email": "burger", "page_key": first["next_page_key"]})
    ).json()
    assert len(second["data"]) == 2 and second["next_page_key"] is None
    assert not set(first["data"]) & set(second["data"])


@pytest.mark.parametrize("key", ["garbage", "b2Zmc2V0Oi0x", "%%%"])
async def test_users_by_refuses_a_forged_page_key(sim_http: httpx.AsyncClient, key: str) -> None:
    await create_customer(sim_http)
    response = await sim_http.get("users.by", params={"email": "example", "page_key": key})
    assert response.status_code == 428


async def test_users_lists_by_ids_or_everyone(sim_http: httpx.AsyncClient) -> None:
    user = await create_customer(sim_http)
    some = (await sim_http.get("users", params={"ids[]": user["id"]})).json()
    assert [u["id"] for u in some] == [user["id"]]
    everyone = (await sim_http.get("users")).json()
    assert len(everyone) > 20


async def test_put_user_updates_profile_and_language(sim_http: httpx.AsyncClient, sim_app: FastAPI) -> None:
    user = await create_customer(sim_http)
    response = await sim_http.put(
        "user",
        params={"id": user["id"]},
        data={"lastname": "Peeters-Maes", "phone": "0470 00 00 00", "language": "fr"},
    )
    assert response.json() == {"status": "OK"}
    stored = sim_app.state.sim.users[user["id"]]
    assert (stored.lastname, stored.profile["phone"], stored.language) == (
        "Peeters-Maes",
        "0470 00 00 00",
        "fr",
    )


@pytest.mark.parametrize(("field", "value"), [("language", "klingon"), ("email", "nope"), ("name", "  ")])
async def test_put_user_refuses_invalid_values(sim_http: httpx.AsyncClient, field: str, value: str) -> None:
    user = await create_customer(sim_http)
    response = await sim_http.put("user", params={"id": user["id"], field: value})
    assert response.status_code == 428


async def test_put_user_refuses_taking_someone_elses_email(sim_http: httpx.AsyncClient) -> None:
    await create_customer(sim_http, "taken@example.org")
    user = await create_customer(sim_http, "mine@example.org")
    response = await sim_http.put("user", params={"id": user["id"], "email": "taken@example.org"})
    assert response.status_code == 409


async def test_put_user_on_an_unknown_id_is_a_logical_error(sim_http: httpx.AsyncClient) -> None:
    response = await sim_http.put("user", params={"id": 424242, "name": "X"})
    assert response.status_code == 200
    assert response.json()["status"] == "ERROR"


async def test_disable_hides_the_user_until_enabled(sim_http: httpx.AsyncClient) -> None:
    user = await create_customer(sim_http)
    assert (await sim_http.put("user.disable", params={"id": user["id"]})).json() == {"status": "OK"}
    assert (await sim_http.get("user", params={"id": user["id"]})).json() is False
    hidden = await sim_http.get("user", params={"id": user["id"], "include_disabled": 1})
    assert hidden.json()["is_disabled"] is True
    assert (await sim_http.get("user.by", params={"email": user["email"]})).json() is False
    await sim_http.put("user.enable", params={"id": user["id"]})
    assert (await sim_http.get("user", params={"id": user["id"]})).json()["is_disabled"] is False


async def test_delete_user_removes_it_from_every_lookup(sim_http: httpx.AsyncClient) -> None:
    user = await create_customer(sim_http)
    assert (await sim_http.delete("user", params={"id": user["id"]})).json() == {"status": "OK"}
    assert (await sim_http.get("user", params={"id": user["id"]})).json() is False
    assert (await sim_http.get("users.by", params={"email": user["email"]})).json() == {"data": []}
