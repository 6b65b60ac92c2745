"""Errors are problem+json in the caller's language; catalogues stay complete."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from cna_relay.app import create_app
from cna_relay.i18n import LANGUAGES, Catalog, negotiate_language
from cna_relay.settings import RelaySettings


@pytest.fixture
async def relay(sqlite_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(RelaySettings(database_url=sqlite_database_url, environment="test"), run_worker=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay.test") as client:
            yield client


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "nl"),
        ("", "nl"),
        ("fr-BE,fr;q=0.9,en;q=0.5", "fr"),
        ("de-DE,en;q=0.3", "en"),
        ("en;q=0.1,fr;q=0.8", "fr"),
        ("nl-BE", "nl"),
        ("xx,yy;q=abc", "nl"),
        ("fr;q=0", "nl"),
        ("*", "nl"),
        ("," * 5000, "nl"),
    ],
)
def test_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    catalog = Catalog.bundled()
    reference = catalog.keys("nl")
    for language in LANGUAGES:
        assert catalog.keys(language) == reference, language
        for key in reference:
            assert catalog.placeholders(language, key) == catalog.placeholders("nl", key), (language, key)


def test_every_documented_problem_code_has_texts() -> None:
    catalog = Catalog.bundled()
    api = Path(__file__).resolve().parents[2] / "docs" / "api.md"
    section = api.read_text(encoding="utf-8").split("## Problem codes")[1]
    codes = re.findall(r"`([a-z_]+)`", section)
    assert "validation_error" in codes and "internal_error" in codes
    for code in codes:
        assert catalog.has(f"problem.{code}.title") and catalog.has(f"problem.{code}.detail"), code


async def test_unknown_route_is_a_localised_problem(relay: httpx.AsyncClient) -> None:
    response = await relay.get("/v1/nothing-here", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == "fr"
    body = response.json()
    assert body["code"] == "not_found" and body["type"] == "urn:cna:problem:not_found"
    assert body["title"] == "Introuvable" and body["status"] == 404


async def test_wrong_method_is_a_problem(relay: httpx.AsyncClient) -> None:
    response = await relay.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


async def test_health_and_readiness(relay: httpx.AsyncClient) -> None:
    assert (await relay.get("/healthz")).json() == {"status": "ok"}
    ready = await relay.get("/readyz")
    assert ready.status_code == 200 and ready.json()["outbox"] == {}
