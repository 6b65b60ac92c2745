"""E-mail normalisation: one account per address, however it is typed; confusables refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cna_relay.accounts.emails import InvalidEmail, normalise_email
from cna_relay.accounts.models import Account
from tests.relay.accounts.helpers import PASSWORD, assert_problem, sign_up, verified_citizen
from tests.support.relay_fixtures import RelayHarness


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Jan.Peeters@Example.BE", "jan.peeters@example.be"),
        ("  jan@example.be  ", "jan@example.be"),
        ("jan@ＥＸＡＭＰＬＥ.be", "jan@example.be"),  # full-width letters fold (UTS #46)
        ("jan@bücher.de", "jan@xn--bcher-kva.de"),
        ("jan@BÜCHER.de", "jan@xn--bcher-kva.de"),
        ("jan@xn--bcher-kva.de", "jan@xn--bcher-kva.de"),
        ("jan@пример.рф", "jan@xn--e1afmkfd.xn--p1ai"),  # a single-script IDN is a real domain
        ("jan+meldingen@example.be", "jan+meldingen@example.be"),  # tags are distinct mailboxes
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_addresses_are_normalised(typed: str, normal: str) -> None:
    assert normalise_email(typed) == normal


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "jan",
        "jan@",
        "@example.be",
        "jan@@example.be",
        "jan peeters@example.be",
        '"jan peeters"@example.be',
        "jan@localhost",
        "jan@[192.0.2.1]",
        "jan@example.test",
        "jаn@example.be",  # Cyrillic а in the local part
        "ｊａｎ@example.be",  # full-width local part
        "jän@example.be",
        "jan@pаypal.com",  # Latin and Cyrillic mixed in one label
        "jan@exampleε.be",  # Latin and Greek mixed
        "jan\x00@example.be",
        "jan@exa\x00mple.be",
        "jan@example.be\r\nBcc: victim@example.be",
        "jan\u200b@example.be",  # zero-width space
        "jan@example.be\u202e",
        "x" * 65 + "@example.be",
        "jan@" + "a" * 250 + ".be",
        "jan@" + ".".join(["abcdefghij"] * 30) + ".be",
        "j" * 400,
    ],
)
def test_bad_and_confusable_addresses_are_refused(typed: str) -> None:
    with pytest.raises(InvalidEmail):
        normalise_email(typed)


async def test_one_account_per_address_whatever_the_case_or_width(relay: RelayHarness) -> None:
    await verified_citizen(relay, "case@example.be")
    before = len(relay.mail.messages())
    for variant in ("CASE@example.be", "Case@EXAMPLE.BE", "case@ＥＸＡＭＰＬＥ.be"):
        assert (await sign_up(relay, variant)).status_code == 202
        login = await relay.client.post("/v1/auth/login", json={"email": variant, "password": PASSWORD})
        assert login.status_code == 200 and login.json()["account"]["email"] == "case@example.be"
    # one "someone tried to sign up" warning (capped per hour), no second account or code
    assert len(relay.mail.messages()) == before + 1
    async with relay.context.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == 1


async def test_refused_addresses_are_a_problem_in_the_callers_language(relay: RelayHarness) -> None:
    message = "Please enter a valid e-mail address."
    for typed in ("jаn@example.be", "jan@pаypal.com", "jan\x00@example.be", "x" * 300, "jan@@example.be"):
        response = await relay.client.post(
            "/v1/accounts",
            json={"email": typed, "password": PASSWORD, "first_name": "Jan", "last_name": "P"},
            headers={"Accept-Language": "en"},
        )
        body = assert_problem(response, 422, "invalid_email")
        assert body["title"] == "Invalid e-mail address"
        assert body["errors"] == [{"field": "email", "code": "invalid_email", "message": message}]
        assert response.headers["content-language"] == "en"


async def test_an_idn_address_signs_up_and_mails_in_ascii(relay: RelayHarness) -> None:
    response = await sign_up(relay, "jan@bücher.de")
    assert response.json()["email"] == "jan@xn--bcher-kva.de"
    assert str(relay.mail.messages()[-1]["To"]) == "jan@xn--bcher-kva.de"
