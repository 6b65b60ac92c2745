"""The klantenfiche: external users found, created, changed and disabled through the simulator."""

from __future__ import annotations

import pytest

from cna_relay.invgate import (
    InvGateClient,
    InvGateConflict,
    InvGateMissingParameter,
    InvGatePermanentError,
    User,
    UserChanges,
    UserProfile,
)
from invgate_sim import SimConfig, Simulator, create_app

from .support import basic_credentials, in_process_client


async def test_create_external_user_sends_is_external_and_invgate_field_names(
    client: InvGateClient, sim: Simulator
) -> None:
    profile = UserProfile(
        name="Jérôme",
        lastname="D'Hondt <b>",
        email="jerome@example.be",
        other_email="j.dhondt@example.org",
        phone="+32 9 123 45 67",
        address="Kerkstraat 1",
        city="Gent",
    )
    user = await client.create_external_user(profile)

    assert user.is_external and user.email == "jerome@example.be"
    assert (user.name, user.lastname) == ("Jérôme", "D'Hondt <b>")
    assert (user.phone, user.city, user.other_email) == ("+32 9 123 45 67", "Gent", "j.dhondt@example.org")
    stored = sim.users[user.id]
    assert stored.is_external and stored.profile["other_email"] == "j.dhondt@example.org"
    [logged] = sim.requests_to("user", "POST")
    assert logged.body_kind == "form"
    assert logged.params["is_external"] == "1"
    assert "other-email" in logged.params


async def test_find_by_email_is_exact_and_case_insensitive(client: InvGateClient, customer: User) -> None:
    await client.create_external_user(
        UserProfile(name="Jo", lastname="Anna", email="joanna.peeters@example.be")
    )

    found = await client.find_user_by_email("  ANNA.Peeters@Example.BE ")

    assert found == customer


async def test_find_by_email_answers_none_for_nobody(client: InvGateClient, sim: Simulator) -> None:
    assert await client.find_user_by_email("nobody@example.be") is None
    [logged] = sim.requests_to("users.by")
    assert logged.params["exact_match"] == "1"


async def test_find_by_email_walks_every_page_and_picks_the_oldest() -> None:
    config = SimConfig(api_key="k", duplicate_email="allow")
    app = create_app(config)
    sim: Simulator = app.state.sim
    async with in_process_client(app, basic_credentials(config)) as client:
        created = [
            await client.create_external_user(UserProfile(name=f"N{i}", lastname="X", email="dup@example.be"))
            for i in range(12)  # users.by pages hold 10
        ]
        found = await client.find_user_by_email("dup@example.be")

    assert found is not None and found.id == min(user.id for user in created)
    pages = sim.requests_to("users.by")
    assert len(pages) == 2 and "page_key" in pages[1].params


async def test_get_user_by_email_and_by_id(client: InvGateClient, customer: User) -> None:
    assert await client.get_user_by_email(customer.email) == customer
    assert await client.get_user(customer.id) == customer
    assert await client.get_user_by_email("nobody@example.be") is None
    assert await client.get_user(999_999) is None  # InvGate answers `false`


async def test_update_user_puts_everything_in_the_query_string(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    await client.update_user(customer.id, UserChanges(phone="+32 470 00 00 00", city="Gent", language="nl"))
    await client.update_user(customer.id, UserChanges(city=""))

    user = await client.get_user(customer.id)
    assert user is not None and user.phone == "+32 470 00 00 00" and user.city is None
    assert sim.users[customer.id].language == "nl"
    first = sim.requests_to("user", "PUT")[0]
    assert first.body_kind == "none"
    assert set(first.query_keys) == {"id", "phone", "city", "language"}


async def test_disable_user_hides_them_from_lookups(
    client: InvGateClient, sim: Simulator, customer: User
) -> None:
    await client.disable_user(customer.id)

    assert sim.users[customer.id].is_disabled
    assert await client.find_user_by_email(customer.email) is None
    found = await client.find_user_by_email(customer.email, include_disabled=True)
    assert found is not None and found.is_disabled
    assert await client.get_user(customer.id) is None
    disabled = await client.get_user(customer.id, include_disabled=True)
    assert disabled is not None and disabled.is_disabled


async def test_a_taken_email_is_a_permanent_conflict(client: InvGateClient, customer: User) -> None:
    with pytest.raises(InvGateConflict) as caught:
        await client.create_external_user(UserProfile(name="B", lastname="C", email=customer.email))
    assert isinstance(caught.value, InvGatePermanentError)
    assert caught.value.status_code == 409


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b", "x" * 300 + "@example.be"])
async def test_invalid_emails_are_refused_with_428(client: InvGateClient, email: str) -> None:
    with pytest.raises(InvGateMissingParameter):
        await client.create_external_user(UserProfile(name="B", lastname="C", email=email))


async def test_hostile_profile_text_round_trips_unchanged(client: InvGateClient) -> None:
    name = "Zoë 🚲 <script>alert(1)</script> &amp; \"quoted\" 'single'"
    user = await client.create_external_user(UserProfile(name=name, lastname="ل" * 50, email="z@example.be"))
    again = await client.get_user(user.id)
    assert again is not None and again.name == name and again.lastname == "ل" * 50
