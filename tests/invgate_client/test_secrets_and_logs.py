"""Credentials and tokens never reach logs, exception messages or tracebacks; each call logs once
with its correlation id and without citizens' data."""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from cna_relay.invgate import (
    BasicCredentials,
    InvGateError,
    OAuthClientCredentials,
    Secret,
)
from cna_relay.invgate.http import LOGGER_NAME
from invgate_sim import OAuthClient, SimConfig, Simulator, create_app

from .support import citizen, in_process_client, make_ticket

API_KEY = "api-KEY-0b7c1e55"
CLIENT_SECRET = "client-SECRET-4a9f"


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret and secret in text]


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Messages plus every attribute of every record (extra fields, args, exception text)."""
    parts = [caplog.text]
    for record in caplog.records:
        parts.extend(f"{key}={value!r}" for key, value in vars(record).items())
    return "\n".join(parts)


def _exception_texts(error: BaseException) -> str:
    """What error reporters show: messages, tracebacks and every frame's locals (as Sentry and
    `pytest --showlocals` do), along the whole chain. This test module's own frames are left
    out: they hold the expected secrets to search for."""
    texts = [str(error), repr(error), *traceback.format_exception(error)]
    pending: list[traceback.TracebackException | None] = [
        traceback.TracebackException.from_exception(error, capture_locals=True)
    ]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        texts.extend(str(frame.locals) for frame in current.stack if frame.filename != __file__)
        pending.extend([current.__cause__, current.__context__])
    return "\n".join(texts)


async def _provoke_errors(
    app: FastAPI, credentials: BasicCredentials | OAuthClientCredentials
) -> list[InvGateError]:
    sim: Simulator = app.state.sim
    errors: list[InvGateError] = []
    async with in_process_client(app, credentials) as client:
        customer = await client.create_external_user(citizen())
        await client.create_ticket(make_ticket(customer.id))
        faults: tuple[Callable[[], None], ...] = (
            lambda: sim.faults.fail_next(1, status=503),
            lambda: sim.faults.fail_next(1, status=429),
            lambda: sim.faults.drop_reply_after_commit(1),
            lambda: sim.faults.outage(5),
        )
        for arm in faults:
            arm()
            try:
                await client.helpdesks()
            except InvGateError as error:
                errors.append(error)
            sim.faults.clear()
    return errors


async def test_basic_credentials_never_leak(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(SimConfig(api_user="cna-api", api_key=API_KEY))
    header = base64.b64encode(f"cna-api:{API_KEY}".encode()).decode()

    errors = await _provoke_errors(app, BasicCredentials("cna-api", Secret(API_KEY)))
    async with in_process_client(app, BasicCredentials("cna-api", Secret(API_KEY + "-wrong"))) as client:
        try:
            await client.helpdesks()
        except InvGateError as refused:
            errors.append(refused)

    assert len(errors) == 5
    secrets = [API_KEY, header]
    assert _leaks(_everything_logged(caplog), secrets) == []
    for error in errors:
        text = _exception_texts(error)
        assert _leaks(text, secrets) == [], [line for line in text.splitlines() if _leaks(line, secrets)][:5]


async def test_oauth_secret_and_tokens_never_leak(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    config = SimConfig(api_key=API_KEY, oauth_clients={"cna-relay": OAuthClient(secret=CLIENT_SECRET)})
    app = create_app(config)
    sim: Simulator = app.state.sim

    errors = await _provoke_errors(app, OAuthClientCredentials("cna-relay", Secret(CLIENT_SECRET)))
    async with in_process_client(
        app, OAuthClientCredentials("cna-relay", Secret(CLIENT_SECRET + "x"))
    ) as client:
        try:
            await client.helpdesks()
        except InvGateError as refused:
            errors.append(refused)

    tokens = list(sim.tokens)
    assert tokens and len(errors) == 5
    secrets = [CLIENT_SECRET, *tokens]
    assert _leaks(_everything_logged(caplog), secrets) == []
    for error in errors:
        text = _exception_texts(error)
        assert _leaks(text, secrets) == [], [line for line in text.splitlines() if _leaks(line, secrets)][:5]


async def test_each_call_logs_once_with_correlation_and_without_parameter_values(
    sim_app: FastAPI, sim_config: SimConfig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    async with in_process_client(
        sim_app,
        BasicCredentials(sim_config.api_user, Secret(sim_config.api_key)),
        correlation_id=lambda: "outbox-42",
    ) as client:
        await client.find_user_by_email("anna.peeters@example.be")
        sim_app.state.sim.faults.fail_next(1, status=500)
        with pytest.raises(InvGateError):
            await client.helpdesks()

    records = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert [(r.levelname, r.invgate_endpoint, r.invgate_outcome) for r in records] == [  # type: ignore[attr-defined]
        ("INFO", "users.by", "ok"),
        ("WARNING", "helpdesks", "InvGateUnavailable"),
    ]
    assert all(r.correlation_id == "outbox-42" for r in records)  # type: ignore[attr-defined]
    assert "email" in records[0].getMessage() and "anna.peeters" not in records[0].getMessage()
    assert "HTTP 500" in records[1].getMessage()
