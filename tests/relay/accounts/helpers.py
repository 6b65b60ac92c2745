"""Builders and readers shared by the account tests: sign up, read the mailed code, log in."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import httpx

from tests.support.relay_fixtures import RelayHarness

PASSWORD = "Zonnebloem-42!"
OTHER_PASSWORD = "Kerktoren#1987"
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def sign_up_body(email: str, *, password: str = PASSWORD, **profile: Any) -> dict[str, Any]:
    return {"email": email, "password": password, "first_name": "Jan", "last_name": "Peeters", **profile}


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def mails_to(relay: RelayHarness, address: str) -> list[EmailMessage]:
    wanted = address.lower()
    return [message for message in relay.mail.messages() if wanted in str(message["To"]).lower()]


def last_code(relay: RelayHarness, address: str) -> str:
    """The 6-digit code in the newest mail to `address` (after the outbox ran)."""
    messages = mails_to(relay, address)
    assert messages, f"no mail to {address}"
    found = _CODE.search(text_of(messages[-1]))
    assert found is not None, text_of(messages[-1])
    return found.group(1)


async def sign_up(relay: RelayHarness, email: str, **body: Any) -> httpx.Response:
    response = await relay.client.post("/v1/accounts", json=sign_up_body(email, **body))
    await relay.drain()
    return response


async def verified_citizen(relay: RelayHarness, email: str, **body: Any) -> dict[str, Any]:
    """Sign up and verify with the mailed code; returns the `TokenPair`."""
    response = await sign_up(relay, email, **body)
    assert response.status_code == 202, response.text
    verify = await relay.client.post(
        "/v1/accounts/verify", json={"email": email, "code": last_code(relay, email)}
    )
    assert verify.status_code == 200, verify.text
    pair: dict[str, Any] = verify.json()
    return pair


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """A problem+json answer with this status and code (and never a 5xx)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["type"] == f"urn:cna:problem:{code}"
    return body
