"""Staff accounts exist only through `python -m cna_relay users create-staff`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cna_relay.accounts.deps import StaffSession
from cna_relay.accounts.staff_cli import StaffCreationError, create_staff, read_password
from cna_relay.settings import RelaySettings
from tests.relay.accounts.helpers import PASSWORD, assert_problem, bearer
from tests.support.databases import sqlite_url
from tests.support.relay_fixtures import FAST_ARGON2, running_relay

ROOT = Path(__file__).resolve().parents[3]


def run_cli(database_url: str, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CNA_RELAY_DATABASE_URL": database_url, "CNA_RELAY_ARGON2_TIME_COST": "1"}
    env["CNA_RELAY_ARGON2_MEMORY_KIB"] = str(FAST_ARGON2["argon2_memory_kib"])
    return subprocess.run(
        [sys.executable, "-m", "cna_relay", "users", "create-staff", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


async def test_create_staff_from_the_command_line_then_log_in_as_staff(
    sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path)
    args = ("--email", "Loket@Example.be", "--first-name", "Lies", "--last-name", "Loket", "--language", "fr")
    done = run_cli(url, *args, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "loket@example.be" in done.stdout and PASSWORD not in done.stdout + done.stderr

    again = run_cli(url, *args, stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "exists already" in again.stderr

    async with running_relay(
        sim_app=sim_app, sim_config=sim_config, mail_sink=mail_sink, database_url=url
    ) as relay:

        async def staff_only(caller: StaffSession) -> dict[str, str]:
            return {"role": caller.role}

        relay.app.add_api_route("/probe/staff", staff_only)
        login = await relay.client.post(
            "/v1/auth/login", json={"email": "loket@example.be", "password": PASSWORD}
        )
        assert login.status_code == 200
        account = login.json()["account"]
        assert (account["role"], account["email_verified"], account["language"]) == ("staff", True, "fr")
        assert (await relay.client.get("/probe/staff", headers=bearer(login.json()))).json() == {
            "role": "staff"
        }
        await relay.drain()
        assert relay.sim.requests_to("user", "POST") == []  # counter clerks get no klantenfiche


def test_the_password_is_never_an_argument(tmp_path: Path) -> None:
    done = run_cli(sqlite_url(tmp_path), "--email", "a@example.be", "--first-name", "A", "--last-name", "B",
                   "--password", PASSWORD, stdin="")  # fmt: skip
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "not a valid e-mail address"),
        ({"password": "kort"}, "password: password_rule.min_length"),
        ({"first_name": "   "}, "first_name: required"),
        ({"last_name": "B\x00"}, "last_name: control_characters"),
    ],
)
async def test_bad_staff_details_are_refused_with_a_reason(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    settings = RelaySettings(
        database_url=sqlite_url(tmp_path), environment="test", argon2_time_cost=1, argon2_memory_kib=8 * 1024
    )
    details = {
        "email": "staff@example.be",
        "first_name": "A",
        "last_name": "B",
        "language": "nl",
        "password": PASSWORD,
    }
    with pytest.raises(StaffCreationError, match=message):
        await create_staff(settings, **{**details, **overrides})


def test_a_piped_password_is_read_from_the_first_line_only() -> None:
    class Piped(io.StringIO):
        def isatty(self) -> bool:
            return False

    assert read_password(Piped(PASSWORD + "\r\nignored\n"), io.StringIO()) == PASSWORD


async def test_a_staff_account_cannot_be_made_through_the_api(tmp_path: Path, relay: Any) -> None:
    response = await relay.client.post(
        "/v1/accounts",
        json={
            "email": "x@example.be",
            "password": PASSWORD,
            "first_name": "X",
            "last_name": "Y",
            "role": "staff",
        },
    )
    assert response.status_code == 202
    assert_problem(await relay.client.post("/v1/staff", json={}), 404, "not_found")
