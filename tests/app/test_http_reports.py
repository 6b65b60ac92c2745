"""`HttpRelayApi`'s report and place calls against the real relay (in-process, with the simulator,
mail sink and geocoder stub): what the app sends is what the relay accepts, a resend is
recognised, and every refusal arrives as the problem the form knows how to show."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cna_app.contract.wire import Language, ReportIn
from cna_app.services.errors import RelayProblem, RelayUnavailable
from cna_app.services.http_relay import HttpRelayApi
from cna_app.services.multipart import UploadFile
from cna_app.services.photos import AttachmentLimits, IncomingFile, prepare_attachment
from tests.relay.accounts.helpers import verified_citizen
from tests.support import images
from tests.support.databases import sqlite_url
from tests.support.geocoder_stub import GeocoderStub, running_geocoder_stub
from tests.support.relay_fixtures import RelayHarness, running_relay

EMAIL = "an.devos@example.be"


@pytest.fixture
def geocoder() -> Iterator[GeocoderStub]:
    with running_geocoder_stub() as stub:
        yield stub


@pytest.fixture
async def relay(sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path, geocoder: GeocoderStub):  # type: ignore[no-untyped-def]
    async with running_relay(
        sim_app=sim_app,
        sim_config=sim_config,
        mail_sink=mail_sink,
        database_url=sqlite_url(tmp_path),
        geocoder_domain=geocoder.domain,
        geocoder_scheme="http",
        geocoder_min_interval_s=0.01,
    ) as harness:
        yield harness


@pytest.fixture
async def session(relay: RelayHarness) -> AsyncIterator[tuple[HttpRelayApi, str, list[Language]]]:
    language: list[Language] = ["nl"]
    api = HttpRelayApi(
        "http://relay.test", language=lambda: language[0], transport=httpx.ASGITransport(app=relay.app)
    )
    pair = await verified_citizen(relay, EMAIL)
    yield api, pair["access_token"], language
    await api.aclose()


def report(**changes: Any) -> ReportIn:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "description": "Losliggende stoeptegel voor de bakker.",
        "location": {
            "lat": 50.8717,
            "lon": 2.9866,
            "source": "gps",
            "accuracy_m": 8.0,
            "address": "Kerkstraat",
        },
    }
    body.update(changes)
    return body  # type: ignore[return-value]


def prepared_files() -> list[UploadFile]:
    limits = AttachmentLimits()
    made = [
        prepare_attachment(IncomingFile("voetpad.jpg", images.jpeg(3000, 2000, orientation=6)), limits),
        prepare_attachment(IncomingFile("schets.png", images.png(800, 600)), limits),
        prepare_attachment(IncomingFile("plan.pdf", images.pdf()), limits),
    ]
    return [UploadFile(item.name, item.content_type, item.data) for item in made]


async def test_a_report_the_app_prepared_becomes_one_ticket_with_its_files(
    relay: RelayHarness, session: tuple[HttpRelayApi, str, list[Language]]
) -> None:
    api, token, _ = session
    body, files = report(), prepared_files()
    progress: list[tuple[int, int]] = []
    receipt = await api.submit_report(token, body, files, progress=lambda s, t: progress.append((s, t)))
    assert receipt["id"] == body["id"] and receipt["reference"].startswith("CNA-")
    assert progress[-1][0] == progress[-1][1] > sum(len(f.data) for f in files)

    again = await api.submit_report(token, body, files)  # a resend after a lost answer
    assert again == receipt
    await relay.settle()
    [ticket] = relay.sim.tickets.values()
    assert len(ticket.attachments) == 3

    page = await api.list_reports(token, limit=5)
    assert [item["reference"] for item in page["items"]] == [receipt["reference"]]
    view = await api.get_report(token, body["id"])
    assert view["delivery"] == "forwarded" and view["location"]["address"] == "Kerkstraat"
    assert view["thumbnail_url"] is not None
    thumbnail = await api.report_thumbnail(token, view["thumbnail_url"])
    assert thumbnail[:3] == b"\xff\xd8\xff"


async def test_the_same_id_with_other_content_is_a_conflict(
    session: tuple[HttpRelayApi, str, list[Language]],
) -> None:
    api, token, _ = session
    body = report()
    await api.submit_report(token, body, [])
    with pytest.raises(RelayProblem) as caught:
        await api.submit_report(token, {**body, "description": "Iets anders."}, [])
    assert (caught.value.status, caught.value.code) == (409, "report_id_conflict")


async def test_refusals_arrive_as_problems_in_the_users_language(
    session: tuple[HttpRelayApi, str, list[Language]],
) -> None:
    api, token, language = session
    language[0] = "fr"
    outside = report(location={"lat": 50.8510, "lon": 2.8850, "source": "pin"})
    with pytest.raises(RelayProblem) as caught:
        await api.submit_report(token, outside, [])
    assert caught.value.code == "outside_municipality" and "Zonnebeke" in caught.value.detail
    assert caught.value.detail.startswith("Ce lieu")
    four = [UploadFile(f"{i}.pdf", "application/pdf", images.pdf()) for i in range(4)]
    with pytest.raises(RelayProblem) as caught:
        await api.submit_report(token, report(), four)
    assert caught.value.code == "too_many_attachments"
    with pytest.raises(RelayProblem) as caught:
        await api.submit_report(token, report(), [UploadFile("x.jpg", "image/jpeg", images.html_polyglot())])
    assert caught.value.code == "unsupported_attachment" and caught.value.errors[0].field == "attachments.0"


async def test_places_are_searched_and_named_through_the_relay(
    session: tuple[HttpRelayApi, str, list[Language]], geocoder: GeocoderStub
) -> None:
    api, token, _ = session
    found = await api.geocode(token, "Kerkstraat", limit=5)
    labels = {place["label"]: place["inside"] for place in found["results"]}
    assert labels.get("Kerkstraat, 8980 Zonnebeke") is True
    named = await api.reverse(token, 50.8712, 2.9832)
    assert named["label"] == "Ieperstraat 12, 8980 Zonnebeke"
    assert geocoder.last().params["lat"].startswith("50.8712")  # plain decimals, never "5.0e1"
    geocoder.fail_next(5)
    with pytest.raises(RelayProblem) as caught:
        await api.geocode(token, "Stationsstraat")
    assert caught.value.code == "geocoder_unavailable"


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/v1/reports/x/thumbnail",
        "//evil.example/v1/reports/x/thumbnail",
        "/v1/me",
        "/v1/reports/../me/thumbnail",
    ],
)
async def test_the_bearer_token_only_goes_to_thumbnail_paths_on_the_relay(
    session: tuple[HttpRelayApi, str, list[Language]], path: str
) -> None:
    api, token, _ = session
    with pytest.raises(RelayUnavailable):
        await api.report_thumbnail(token, path)
