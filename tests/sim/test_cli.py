"""The command lines, as separate processes: the simulator, the mail sink and the tile server.

"A ticket created with curl shows on the board, and its customer mail in the mail sink": the ticket
here is created with plain HTTP requests against the simulator process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from invgate_sim.mailsink import MailSink
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def read_lines(process: subprocess.Popen[str], count: int, timeout: float = 20) -> list[str]:
    """The first `count` stdout lines; fails with stderr when the process dies or stays silent."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while len(lines) < count:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            stderr = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"no URL printed; got {lines!r}; stderr: {stderr}")
        line = process.stdout.readline()
        if line:
            lines.append(line.strip())
    return lines


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink(http_port=None) as running:
        yield running


def test_the_simulator_prints_its_urls_and_a_plain_http_ticket_reaches_board_and_sink(sink: MailSink) -> None:
    process = start(
        [
            "invgate_sim",
            "--port",
            "0",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(sink.smtp_port),
            "--admin",
        ],
        env={"INVGATE_SIM_API_KEY": "from-env-key"},
    )
    try:
        api_line, board_line, admin_line = read_lines(process, 3)
        api_url = re.search(r"(http://\S+/api/v1/)", api_line).group(1)  # type: ignore[union-attr]
        board_url = re.search(r"(http://\S+/)", board_line).group(1)  # type: ignore[union-attr]
        assert admin_line.endswith("/_sim/")
        auth = ("cna-api", "from-env-key")
        user = httpx.post(
            f"{api_url}user",
            data={"name": "Curl", "lastname": "Tester", "email": "curl@example.org", "is_external": "1"},
            auth=auth,
        ).json()
        created = httpx.post(
            f"{api_url}incident",
            data={
                "creator_id": 2,
                "customer_id": user["id"],
                "category_id": 21,
                "priority_id": 2,
                "type_id": 1,
                "title": "Losliggende stoeptegel",
                "description": "Aan de bakker.",
            },
            files=[("attachments[]", ("tegel.png", b"\x89PNG\r\n\x1a\n", "image/png"))],
            auth=auth,
        ).json()
        assert created["status"] == "OK"
        board = httpx.get(board_url).text
        assert (
            "Losliggende stoeptegel" in board
            and f"#{created['request_id']}" in board
            and "tegel.png" in board
        )
        [mail] = sink.wait_for(timeout=10)
        assert mail["To"].addresses[0].addr_spec == "curl@example.org"
        assert f"#{created['request_id']}" in mail["Subject"]
        # The ticket link uses the served URL, not a placeholder.
        assert httpx.get(f"{board_url}requests/show/index/id/{created['request_id']}").status_code == 200
    finally:
        stop(process)


def test_the_simulator_refuses_an_unreadable_seed(tmp_path: Path) -> None:
    broken = tmp_path / "seed.json"
    broken.write_text("{not json", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "invgate_sim", "--port", "0", "--seed", str(broken)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "seed" in result.stderr


def test_notify_switches_a_mail_rule_and_refuses_unknown_events() -> None:
    from invgate_sim.__main__ import parse_notify

    assert parse_notify(["ticket_created=off", "public_comment=ON"]) == {
        "ticket_created": False,
        "public_comment": True,
    }
    for bad in (["ticket_created"], ["ticket_created=maybe"], ["no_such_event=off"]):
        with pytest.raises(ValueError):
            parse_notify(bad)


def test_the_simulator_refuses_a_bad_notify_switch() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invgate_sim", "--port", "0", "--notify", "nothing=off"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0 and "unknown mail event" in result.stderr


def test_the_mail_sink_command_prints_its_urls_and_catches_mail() -> None:
    smtp_port, http_port = free_port(), free_port()
    process = start(["invgate_sim.mailsink", "--smtp-port", str(smtp_port), "--http-port", str(http_port)])
    try:
        smtp_line, web_line, api_line = read_lines(process, 3)
        assert smtp_line.endswith(f":{smtp_port}") and f":{http_port}" in web_line
        import smtplib

        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.sendmail("a@example.org", ["b@example.org"], b"Subject: hallo\r\n\r\nbody\r\n")
        api_url = api_line.split(": ", 1)[1]
        messages = httpx.get(api_url).json()
        assert [m["subject"] for m in messages] == ["hallo"]
    finally:
        stop(process)


def test_the_tile_command_prints_its_template_and_serves_tiles() -> None:
    process = start(["invgate_sim.tiles", "--port", "0"])
    try:
        [line] = read_lines(process, 1)
        template = line.split(": ", 1)[1]
        assert template.endswith("/{z}/{x}/{y}.png")
        response = httpx.get(template.format(z=3, x=4, y=2))
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    finally:
        stop(process)
