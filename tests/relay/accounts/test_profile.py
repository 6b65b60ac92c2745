"""The citizen's own profile: read, edit (pushed to InvGate), validation of every field."""

from __future__ import annotations

from typing import Any

from cna_relay.i18n import Catalog
from tests.relay.accounts.helpers import assert_problem, bearer, sign_up, verified_citizen
from tests.support.relay_fixtures import RelayHarness


async def patch_me(
    relay: RelayHarness, pair: dict[str, Any], body: dict[str, Any], language: str = "nl"
) -> Any:
    return await relay.client.patch("/v1/me", json=body, headers=bearer(pair) | {"Accept-Language": language})


def customer(relay: RelayHarness, email: str) -> Any:
    return next(user for user in relay.sim.users.values() if user.email == email)


async def test_profile_edits_are_pushed_to_invgate(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "edit@example.be", phone="051 11 22 33", street="Markt 1")
    await relay.drain()
    response = await patch_me(
        relay, pair, {"first_name": "  Anne-Marie ", "phone": None, "postcode": "8980", "language": "en"}
    )
    assert response.status_code == 200
    view = response.json()
    assert (view["first_name"], view["phone"], view["postcode"], view["language"]) == (
        "Anne-Marie",
        None,
        "8980",
        "en",
    )
    assert view["street"] == "Markt 1"
    await relay.drain()

    user = customer(relay, "edit@example.be")
    assert (user.name, user.language) == ("Anne-Marie", "en")
    assert user.profile["phone"] == ""  # removed by the citizen, so cleared in InvGate
    assert user.profile["city"] == "8980"
    [entry] = await relay.context.outbox.entries(kind="update_customer")
    assert entry.lock_key == f"customer:{pair['account']['id']}"
    assert entry.payload == {"account_id": pair["account"]["id"]}  # ids only, no personal data


async def test_an_unchanged_profile_enqueues_nothing(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "same-profile@example.be")
    assert (await patch_me(relay, pair, {"first_name": "Jan"})).status_code == 200
    assert await relay.context.outbox.entries(kind="update_customer") == []


async def test_an_unverified_profile_edit_is_not_sent_to_invgate(relay: RelayHarness) -> None:
    await sign_up(relay, "unproven@example.be")
    pair = (
        await relay.client.post(
            "/v1/auth/login", json={"email": "unproven@example.be", "password": "Zonnebloem-42!"}
        )
    ).json()
    assert (await patch_me(relay, pair, {"last_name": "Nieuw"})).status_code == 200
    assert await relay.context.outbox.entries(kind="update_customer") == []


async def test_clearing_the_language_falls_back_to_the_language_in_use(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "taal@example.be", language="en")
    response = await patch_me(relay, pair, {"language": None}, language="fr")
    assert response.json()["language"] == "fr"


INVALID_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"first_name": ""}, "first_name", "required"),
    ({"first_name": "   "}, "first_name", "required"),
    ({"last_name": None}, "last_name", "invalid"),  # the contract types it `str`
    ({"first_name": "x" * 101}, "first_name", "too_long"),
    ({"first_name": "Jan\x00"}, "first_name", "control_characters"),
    ({"last_name": "Pee\u202eters"}, "last_name", "control_characters"),
    ({"street": "Markt\n1"}, "street", "control_characters"),
    ({"phone": "call me maybe"}, "phone", "invalid"),
    ({"phone": "+" + "1" * 40}, "phone", "too_long"),
    ({"postcode": "89#80"}, "postcode", "invalid"),
    ({"language": "de"}, "language", "must_be_one_of"),
    ({"first_name": 42}, "first_name", "invalid"),
]


async def test_invalid_profile_fields_are_named(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "fields@example.be")
    title = Catalog.bundled().text("fr", "problem.validation_error.title")
    for body, field, code in INVALID_FIELDS:
        response = await patch_me(relay, pair, body, language="fr")
        problem = assert_problem(response, 422, "validation_error")
        assert [(error["field"], error["code"]) for error in problem["errors"]] == [(field, code)], body
        assert problem["title"] == title
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).json()["first_name"] == "Jan"


async def test_names_in_any_script_are_kept_as_typed(relay: RelayHarness) -> None:
    pair = await verified_citizen(relay, "script@example.be", first_name="Zoë", last_name="Ἀριστοτέλης")
    assert pair["account"]["last_name"] == "Ἀριστοτέλης"
    decomposed = "Zoe\u0308"  # the same name typed with a combining diaeresis
    response = await patch_me(relay, pair, {"first_name": decomposed, "last_name": "王小明"})
    assert response.json()["first_name"] == "Zoë" and response.json()["last_name"] == "王小明"
