"""Sign-up as the seed describes it, over HTTP, with the code read from the mail that arrived."""

from __future__ import annotations

import httpx

from invgate_sim.models import User
from tests.relay.accounts.helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    html_of,
    last_code,
    mails_to,
    sign_up,
    text_of,
    verified_citizen,
)
from tests.support.clock import FakeClock
from tests.support.relay_fixtures import RelayHarness


def sim_users_with(relay: RelayHarness, email: str) -> list[User]:
    return [user for user in relay.sim.users.values() if user.email.lower() == email.lower()]


async def test_full_sign_up_creates_an_external_customer_in_invgate(relay: RelayHarness) -> None:
    response = await sign_up(
        relay,
        "jan.peeters@example.be",
        phone="+32 51 12 34 56",
        street="Ieperstraat 5",
        postcode="8980",
        municipality="Zonnebeke",
        language="fr",
    )
    assert response.status_code == 202
    assert response.json() == {
        "status": "verification_sent",
        "email": "jan.peeters@example.be",
        "resend_after": 60,
    }
    assert response.headers["content-language"] == "nl"
    assert (
        sim_users_with(relay, "jan.peeters@example.be") == []
    )  # nothing in ESM before the address is proven

    mail = mails_to(relay, "jan.peeters@example.be")[-1]
    assert "Confirmez" in str(mail["Subject"])  # the profile's language, not the request's
    code = last_code(relay, "jan.peeters@example.be")
    assert code in html_of(mail)

    verify = await relay.client.post(
        "/v1/accounts/verify", json={"email": "jan.peeters@example.be", "code": code}
    )
    assert verify.status_code == 200, verify.text
    pair = verify.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == 900
    assert pair["account"]["email_verified"] is True and pair["account"]["language"] == "fr"
    await relay.drain()

    [user] = sim_users_with(relay, "jan.peeters@example.be")
    assert user.is_external and not user.is_disabled
    assert (user.name, user.lastname, user.language) == ("Jan", "Peeters", "fr")
    assert user.profile["phone"] == "+32 51 12 34 56"
    assert user.profile["address"] == "Ieperstraat 5"
    assert user.profile["city"] == "8980 Zonnebeke"
    created = relay.sim.requests_to("user", "POST")
    assert len(created) == 1 and created[0].params["is_external"] == "1"

    me = await relay.client.get("/v1/me", headers=bearer(pair))
    assert me.status_code == 200 and me.json()["id"] == pair["account"]["id"]


async def test_an_existing_invgate_user_is_reused_not_duplicated(
    relay: RelayHarness, sim_http: httpx.AsyncClient
) -> None:
    existing = await sim_http.post(
        "user", data={"name": "Els", "lastname": "Claeys", "email": "els@example.be", "is_external": "1"}
    )
    assert existing.status_code == 200, existing.text
    relay.sim.request_log.clear()

    await verified_citizen(relay, "ELS@example.be", first_name="Els", last_name="Claeys")
    await relay.drain()

    [user] = sim_users_with(relay, "els@example.be")
    assert user.id == existing.json()["id"]
    assert relay.sim.requests_to("user", "POST") == []
    assert relay.sim.requests_to("users.by")  # looked up by e-mail, exact match
    assert relay.sim.requests_to("users.by")[0].params["exact_match"] == "1"


async def test_an_internal_invgate_user_is_linked_but_never_edited(relay: RelayHarness) -> None:
    agent = relay.sim.integration_agent
    await verified_citizen(relay, agent.email, first_name="Someone", last_name="Else")
    await relay.drain()
    assert relay.sim.requests_to("user", "POST") == []
    assert relay.sim.requests_to("user", "PUT") == []
    assert (agent.name, agent.is_external) != ("Someone", True)


async def test_invgate_down_during_verification_creates_the_user_once_it_is_back(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    relay.sim.faults.outage(3600)
    pair = await verified_citizen(relay, "mieke@example.be", first_name="Mieke")
    await relay.drain()
    # The account works while InvGate is down ...
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200
    assert sim_users_with(relay, "mieke@example.be") == []
    [entry] = await relay.context.outbox.entries(kind="ensure_customer")
    assert entry.state == "pending" and entry.attempts >= 1 and "503" in (entry.last_error or "")

    relay.sim.faults.clear()
    clock.advance(120)
    await relay.drain()
    [user] = sim_users_with(relay, "mieke@example.be")
    assert user.is_external and user.name == "Mieke"
    [entry] = await relay.context.outbox.entries(kind="ensure_customer")
    assert entry.state == "sent"


async def test_a_lost_reply_after_creation_does_not_duplicate_the_user(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    relay.sim.faults.drop_reply_after_commit(1, endpoint="user", method="POST")
    await verified_citizen(relay, "lost@example.be")
    await relay.drain()
    clock.advance(120)
    await relay.drain()
    assert len(sim_users_with(relay, "lost@example.be")) == 1
    [entry] = await relay.context.outbox.entries(kind="ensure_customer")
    assert entry.state == "sent"


async def test_invgate_refusing_the_customer_leaves_a_dead_entry_for_operators(relay: RelayHarness) -> None:
    relay.sim.faults.fail_next(1, status=428, endpoint="user", method="POST")
    pair = await verified_citizen(relay, "refused@example.be")
    await relay.drain()
    [entry] = await relay.context.outbox.entries(kind="ensure_customer")
    assert entry.state == "dead" and "428" in (entry.last_error or "")
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200


async def test_sign_up_with_a_taken_address_answers_the_same_and_warns_the_owner(relay: RelayHarness) -> None:
    first = await sign_up(relay, "owner@example.be")
    verify = await relay.client.post(
        "/v1/accounts/verify",
        json={"email": "owner@example.be", "code": last_code(relay, "owner@example.be")},
    )
    assert verify.status_code == 200
    before = len(mails_to(relay, "owner@example.be"))

    again = await sign_up(relay, "Owner@Example.be", password="Andere-Poging-7", first_name="Mallory")
    assert again.status_code == first.status_code == 202
    assert again.json() == first.json()
    warning = mails_to(relay, "owner@example.be")[before:]
    assert len(warning) == 1
    body = text_of(warning[0])
    assert "http://127.0.0.1:8550/wachtwoord-vergeten" in body
    assert 'href="http://127.0.0.1:8550/wachtwoord-vergeten"' in html_of(warning[0])
    # the owner's password and name are untouched
    login = await relay.client.post(
        "/v1/auth/login", json={"email": "owner@example.be", "password": PASSWORD}
    )
    assert login.status_code == 200 and login.json()["account"]["first_name"] == "Jan"


async def test_repeated_warnings_are_capped_per_hour(relay: RelayHarness) -> None:
    await verified_citizen(relay, "calm@example.be")
    before = len(mails_to(relay, "calm@example.be"))
    for _ in range(3):
        assert (await sign_up(relay, "calm@example.be")).status_code == 202
    assert len(mails_to(relay, "calm@example.be")) == before + 1


async def test_an_unverified_account_can_log_in_but_is_marked_unverified(relay: RelayHarness) -> None:
    await sign_up(relay, "pending@example.be")
    login = await relay.client.post(
        "/v1/auth/login", json={"email": "pending@example.be", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert login.json()["account"]["email_verified"] is False


async def test_verification_ends_sessions_opened_before_it(relay: RelayHarness) -> None:
    await sign_up(relay, "early@example.be")
    early = await relay.client.post(
        "/v1/auth/login", json={"email": "early@example.be", "password": PASSWORD}
    )
    code = last_code(relay, "early@example.be")
    verify = await relay.client.post("/v1/accounts/verify", json={"email": "early@example.be", "code": code})
    assert verify.status_code == 200
    assert_problem(await relay.client.get("/v1/me", headers=bearer(early.json())), 401, "session_revoked")
    assert (await relay.client.get("/v1/me", headers=bearer(verify.json()))).status_code == 200


async def test_resend_mails_a_new_code_and_the_older_one_stays_valid(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    await sign_up(relay, "resend@example.be")
    first_code = last_code(relay, "resend@example.be")
    too_soon = await relay.client.post("/v1/accounts/verify/resend", json={"email": "resend@example.be"})
    assert_problem(too_soon, 429, "rate_limited")
    assert int(too_soon.headers["retry-after"]) >= 1

    clock.advance(61)
    resent = await relay.client.post("/v1/accounts/verify/resend", json={"email": "resend@example.be"})
    assert resent.status_code == 202 and resent.json()["status"] == "verification_sent"
    await relay.drain()
    assert len(mails_to(relay, "resend@example.be")) == 2

    verify = await relay.client.post(
        "/v1/accounts/verify", json={"email": "resend@example.be", "code": first_code}
    )
    assert verify.status_code == 200


async def test_resend_for_unknown_or_verified_addresses_answers_the_same_and_sends_nothing(
    clocked_relay: RelayHarness, clock: FakeClock
) -> None:
    relay = clocked_relay
    await verified_citizen(relay, "done@example.be")
    clock.advance(61)  # past the cool-down the sign-up started
    before = len(relay.mail.messages())
    for address in ("done@example.be", "nobody@example.be"):
        response = await relay.client.post("/v1/accounts/verify/resend", json={"email": address})
        assert response.status_code == 202
        assert response.json() == {"status": "verification_sent", "email": address, "resend_after": 60}
    await relay.drain()
    assert len(relay.mail.messages()) == before
