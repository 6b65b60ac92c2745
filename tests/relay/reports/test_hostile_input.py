"""Broken and hostile submissions get a clear problem document and store nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cna_relay.reports.models import Report
from tests.relay.accounts.helpers import assert_problem, bearer
from tests.relay.reports.helpers import INSIDE, OUTSIDE, citizen, multipart, report_json, submit
from tests.support import images
from tests.support.relay_fixtures import RelayHarness


async def stored_reports(relay: RelayHarness) -> int:
    from sqlalchemy import func, select

    async with relay.context.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Report)) or 0)


async def test_four_attachments_are_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    photo = images.jpeg(64, 64)
    response = await submit(relay, pair, report_json(), [(f"{n}.jpg", photo, "image/jpeg") for n in range(4)])
    body = assert_problem(response, 422, "too_many_attachments")
    assert "3" in body["detail"]
    assert await stored_reports(relay) == 0


async def test_a_16_mb_file_is_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await submit(relay, pair, report_json(), [("groot.jpg", images.oversized(), "image/jpeg")])
    assert_problem(response, 413, "attachment_too_large")
    assert await stored_reports(relay) == 0


async def test_a_decompression_bomb_is_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await submit(relay, pair, report_json(), [("bom.png", images.png_bomb(), "image/png")])
    body = assert_problem(response, 415, "unsupported_attachment")
    assert body["errors"][0]["field"] == "attachments.0"


async def test_an_html_js_polyglot_is_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await submit(relay, pair, report_json(), [("foto.jpg", images.html_polyglot(), "image/jpeg")])
    assert_problem(response, 415, "unsupported_attachment")


async def test_content_decides_the_type_not_the_name(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    body = report_json()
    response = await submit(relay, pair, body, [("scan.pdf", images.png(200, 100), "application/pdf")])
    assert response.status_code == 202, response.text
    status = (await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(pair))).json()
    assert status["attachments"] == [
        {"name": "scan.jpg", "content_type": "image/jpeg", "size": status["attachments"][0]["size"]}
    ]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\boot.ini", "a\x00b.jpg", "\u202egnp.exe", "x" * 500 + ".jpg"]
)
async def test_hostile_file_names_are_sanitised(relay: RelayHarness, name: str) -> None:
    pair = await citizen(relay)
    body = report_json()
    response = await submit(relay, pair, body, [(name, images.jpeg(80, 60), "image/jpeg")])
    assert response.status_code == 202, response.text
    [attachment] = (await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(pair))).json()[
        "attachments"
    ]
    stored = attachment["name"]
    assert "/" not in stored and "\\" not in stored and "\x00" not in stored and "\u202e" not in stored
    assert stored.endswith(".jpg") and len(stored) <= 120


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("", "required"),
        ("   \n\t ", "required"),
        ("Put in de weg\x00", "control_characters"),
        ("Put\u202e in de weg", "control_characters"),
        ("x" * 4001, "too_long"),
    ],
)
async def test_bad_descriptions_are_refused(relay: RelayHarness, description: str, code: str) -> None:
    pair = await citizen(relay)
    response = await submit(relay, pair, report_json(description=description))
    body = assert_problem(response, 422, "validation_error")
    assert {"field": "description", "code": code} in [
        {k: e[k] for k in ("field", "code")} for e in body["errors"]
    ]


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({"lat": 91, "lon": 2.98, "source": "pin"}, "location.lat"),
        ({"lat": 50.87, "lon": -181, "source": "pin"}, "location.lon"),
        ({"lat": "veel", "lon": 2.98, "source": "pin"}, "location.lat"),
        ({"lat": 50.87, "lon": 2.98, "source": "telepathie"}, "location.source"),
        ({"lon": 2.98, "source": "pin"}, "location.lat"),
        ({"lat": 50.87, "lon": 2.98, "source": "gps", "accuracy_m": -5}, "location.accuracy_m"),
    ],
)
async def test_bad_coordinates_are_refused(relay: RelayHarness, location: dict[str, Any], field: str) -> None:
    pair = await citizen(relay)
    response = await submit(relay, pair, report_json(location=location))
    body = assert_problem(response, 422, "validation_error")
    assert field in [error["field"] for error in body["errors"]]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999"])
async def test_non_finite_coordinates_are_refused(relay: RelayHarness, literal: str) -> None:
    pair = await citizen(relay)
    text = json.dumps(report_json()).replace(str(INSIDE["lat"]), literal, 1)
    response = await submit(relay, pair, text)
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "location.lat"


async def test_a_point_outside_the_municipality_is_refused_by_name(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await relay.client.post(
        "/v1/reports",
        files=multipart(report_json(location={**OUTSIDE, "source": "pin"})),
        headers={**bearer(pair), "Accept-Language": "fr"},
    )
    body = assert_problem(response, 422, "outside_municipality")
    assert "Zonnebeke" in body["detail"] and response.headers["content-language"] == "fr"


async def test_a_replayed_uuid_with_other_content_is_a_conflict(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    body = report_json()
    assert (await submit(relay, pair, body)).status_code == 202
    changed = {**body, "description": "Iets helemaal anders"}
    assert_problem(await submit(relay, pair, changed), 409, "report_id_conflict")
    assert await stored_reports(relay) == 1


async def test_another_citizens_uuid_is_a_conflict_and_their_report_stays_hidden(relay: RelayHarness) -> None:
    owner = await citizen(relay)
    intruder = await citizen(relay, "mallory@example.be")
    body = report_json()
    await submit(relay, owner, body)
    assert_problem(await submit(relay, intruder, body), 409, "report_id_conflict")
    assert_problem(
        await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(intruder)), 404, "not_found"
    )
    listing = (await relay.client.get("/v1/reports", headers=bearer(intruder))).json()
    assert listing["items"] == []


@pytest.mark.parametrize(
    ("part", "status", "code"),
    [
        ("{not json", 400, "malformed_request"),
        (
            '{"id": "abc", "description": "x", "location": {"lat": 50.87, "lon": 2.98, "source": "pin"}}',
            422,
            "validation_error",
        ),
        ("[]", 422, "validation_error"),
        ('"just a string"', 422, "validation_error"),
    ],
)
async def test_a_broken_report_part_is_refused(
    relay: RelayHarness, part: str, status: int, code: str
) -> None:
    pair = await citizen(relay)
    assert_problem(await submit(relay, pair, part), status, code)


async def test_a_form_without_report_part_is_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await relay.client.post(
        "/v1/reports",
        files=[("attachments", ("a.jpg", images.jpeg(40, 40), "image/jpeg"))],
        headers=bearer(pair),
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "report"


async def test_a_plain_json_report_without_files_is_accepted(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await relay.client.post("/v1/reports", json=report_json(), headers=bearer(pair))
    assert response.status_code == 202


async def test_other_content_types_are_refused(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    response = await relay.client.post(
        "/v1/reports", content=b"description=x", headers={**bearer(pair), "Content-Type": "text/plain"}
    )
    assert_problem(response, 415, "malformed_request")


async def test_only_logged_in_and_verified_citizens_may_report(relay: RelayHarness) -> None:
    assert_problem(
        await relay.client.post("/v1/reports", files=multipart(report_json())), 401, "unauthorized"
    )
    assert_problem(
        await relay.client.post(
            "/v1/reports", files=multipart(report_json()), headers={"Authorization": "Bearer forged"}
        ),
        401,
        "unauthorized",
    )
    await relay.client.post(
        "/v1/accounts",
        json={
            "email": "nog.niet@example.be",
            "password": "Zonnebloem-42!",
            "first_name": "N",
            "last_name": "N",
        },
    )
    await relay.drain()
    login = await relay.client.post(
        "/v1/auth/login", json={"email": "nog.niet@example.be", "password": "Zonnebloem-42!"}
    )
    if login.status_code == 200:  # an unverified account may log in, but not report
        assert_problem(await submit(relay, login.json(), report_json()), 403, "email_not_verified")


async def test_citizens_may_not_report_for_someone_else(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    walk_in = report_json(on_behalf_of={"first_name": "Piet", "last_name": "Buur"})
    assert_problem(await submit(relay, pair, walk_in), 403, "forbidden")
    assert_problem(await submit(relay, pair, report_json(channel="counter")), 403, "forbidden")


async def test_an_oversized_body_is_refused_before_parsing(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    huge = b"x" * (3 * 15 * 1024 * 1024 + 2 * 1024 * 1024)
    response = await submit(relay, pair, report_json(), [("a.jpg", huge, "image/jpeg")])
    assert_problem(response, 413, "payload_too_large")
