"""Credentials never show themselves: repr, str, format, pickling, the client's repr."""

from __future__ import annotations

import base64
import pickle

import pytest

from cna_relay.invgate import BasicCredentials, InvGateClient, OAuthClientCredentials, Secret

KEY = "k3y-that-must-never-leak"


def test_secret_hides_its_value_everywhere_but_reveal() -> None:
    secret = Secret(KEY)
    assert secret.reveal() == KEY
    for shown in (
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        "{}".format(secret),  # noqa: UP032 - str.format is a path of its own
        f"{secret:>40}",
    ):
        assert KEY not in shown
        assert "*" in shown


def test_secret_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match="pickled"):
        pickle.dumps(Secret(KEY))


def test_secrets_compare_by_value_and_hash_alike() -> None:
    assert Secret(KEY) == Secret(KEY)
    assert Secret(KEY) != Secret("other")
    assert Secret(KEY) != KEY
    assert hash(Secret(KEY)) == hash(Secret("other"))  # the hash must not leak the value either


def test_secret_wraps_only_text() -> None:
    with pytest.raises(TypeError):
        Secret(b"bytes")  # type: ignore[arg-type]


def test_basic_credentials_repr_shows_the_user_only() -> None:
    credentials = BasicCredentials("cna-api", Secret(KEY))
    assert "cna-api" in repr(credentials)
    assert KEY not in repr(credentials)
    header = credentials.authorization()
    assert KEY not in repr(header)
    assert base64.b64decode(header.reveal().removeprefix("Basic ")) == f"cna-api:{KEY}".encode()


@pytest.mark.parametrize(("user", "key"), [("", KEY), ("a:b", KEY), ("cna-api", "")])
def test_basic_credentials_refuse_unusable_values_without_echoing_them(user: str, key: str) -> None:
    with pytest.raises(ValueError) as caught:
        BasicCredentials(user, Secret(key))
    assert KEY not in str(caught.value)


def test_oauth_credentials_repr_hides_the_client_secret() -> None:
    credentials = OAuthClientCredentials("cna-relay", Secret(KEY), scopes=frozenset({"api.v1.incident:post"}))
    assert KEY not in repr(credentials)
    with pytest.raises(ValueError, match="scopes"):
        OAuthClientCredentials("cna-relay", Secret(KEY), scopes=frozenset({"a b"}))


async def test_client_repr_names_the_instance_not_the_key() -> None:
    async with InvGateClient(
        base_url="https://gemeente.example/api/v1", credentials=BasicCredentials("cna-api", Secret(KEY))
    ) as client:
        assert client.base_url == "https://gemeente.example/api/v1/"
        assert "gemeente.example" in repr(client)
        assert KEY not in repr(client)
    async with InvGateClient(
        base_url="https://gemeente.example/api/v1/",
        credentials=OAuthClientCredentials("cna-relay", Secret(KEY)),
    ) as client:
        assert "/oauth/v2.0/access_token" in repr(client)
        assert KEY not in repr(client)


@pytest.mark.parametrize(
    "url",
    [
        f"https://cna-api:{KEY}@gemeente.example/api/v1/",
        "ftp://gemeente.example/api/v1/",
        "gemeente.example/api/v1/",
        "https://gemeente.example/api/v1/?key=1",
        "https://gemeente.example/api/v1/#x",
        "http://[::1",
    ],
)
def test_bad_base_urls_are_refused_without_repeating_them(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        InvGateClient(base_url=url, credentials=BasicCredentials("cna-api", Secret("x")))
    assert KEY not in str(caught.value)
