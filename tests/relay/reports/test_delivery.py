"""A report becomes exactly one InvGate ticket and one confirmation mail (relay + simulator + SMTP)."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from cna_relay.reports.models import ReportAttachment
from tests.relay.accounts.helpers import bearer, mails_to
from tests.relay.reports.helpers import citizen, report_json, submit
from tests.support import images
from tests.support.relay_fixtures import RelayHarness

REFERENCE = re.compile(r"^CNA-\d{4}-\d{6}$")


def three_photos() -> list[tuple[str, bytes, str]]:
    return [
        ("voetpad.jpg", images.jpeg(3000, 2000), "image/jpeg"),
        ("detail.jpg", images.jpeg(2400, 3200, orientation=6), "image/jpeg"),
        ("overzicht.png", images.png(2600, 1200), "image/png"),
    ]


async def test_report_with_three_photos_becomes_one_ticket_and_one_mail(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    relay.mail.clear()
    body = report_json()
    response = await submit(relay, pair, body, three_photos())
    assert response.status_code == 202, response.text
    receipt = response.json()
    assert REFERENCE.match(receipt["reference"]) and receipt["status"] == "received"
    assert receipt["id"] == body["id"] and response.headers["location"] == f"/v1/reports/{body['id']}"

    await relay.settle()

    [ticket] = relay.sim.tickets.values()
    customer = relay.sim.users[ticket.user_id]
    assert customer.email == "an.devos@example.be" and customer.is_external
    assert receipt["reference"] in ticket.title and "Ieperstraat" in ticket.title
    files = [relay.sim.attachments[attachment_id] for attachment_id in ticket.attachments]
    assert len(files) == 3
    for item in files:
        image = Image.open(io.BytesIO(item.content))
        assert image.format == "JPEG" and max(image.size) <= 2048
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info

    status = (await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(pair))).json()
    assert status["delivery"] == "forwarded" and status["ticket_pretty_id"] == ticket.pretty_id
    helpdesk = relay.sim.helpdesks[ticket.assigned_group_id]
    assert status["helpdesk"] == helpdesk.name

    [mail] = mails_to(relay, "an.devos@example.be")
    assert receipt["reference"] in str(mail["Subject"])
    attachments = list(mail.iter_attachments())

    assert [part.get_filename() for part in attachments] == [item.name for item in files]
    assert relay.sim.mails_sent == []  # ESM's own creation mail stays off


async def test_attachments_are_purged_once_ticket_and_mail_have_them(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    body = report_json()
    await submit(relay, pair, body, three_photos()[:1])
    async with relay.context.db.sessions() as session:
        [stored] = (await session.execute(select(ReportAttachment.data))).scalars().all()
    assert stored is not None and len(stored) > 1000
    await relay.settle()
    async with relay.context.db.sessions() as session:
        assert (await session.execute(select(ReportAttachment.data))).scalars().all() == [None]
    status = (await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(pair))).json()
    assert status["attachments"][0]["content_type"] == "image/jpeg"  # the record stays, the bytes go


async def test_ticket_description_escapes_the_citizens_text(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    text = 'Kapotte lamp <script>alert("x")</script> & <b>vet</b>\nTweede regel'
    await submit(relay, pair, report_json(description=text))
    await relay.settle()
    [ticket] = relay.sim.tickets.values()
    assert "<script>" not in ticket.description and "<b>vet" not in ticket.description
    assert "&lt;script&gt;" in ticket.description or "&amp;lt;script&amp;gt;" in ticket.description


async def test_a_repeated_submission_returns_the_first_receipt(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    body = report_json()
    photo = three_photos()[:1]  # built once: the builder's ICC profile carries a timestamp
    first = await submit(relay, pair, body, photo)
    again = await submit(relay, pair, body, photo)
    assert first.status_code == 202 and again.status_code == 200
    assert again.json() == first.json()
    await relay.settle()
    assert len(relay.sim.tickets) == 1
    assert len(mails_to(relay, "an.devos@example.be")) == 2  # the verification code and one confirmation


async def test_routing_sends_a_clear_report_to_its_helpdesk(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    await submit(
        relay, pair, report_json(description="De straatlamp aan de kerk brandt al een week niet meer.")
    )
    await relay.settle()
    [ticket] = relay.sim.tickets.values()
    assert relay.sim.helpdesks[ticket.assigned_group_id].name == "Openbare Verlichting"


async def test_my_reports_lists_newest_first_with_pages(relay: RelayHarness) -> None:
    pair = await citizen(relay)
    ids = []
    for number in range(3):
        body = report_json(description=f"Zwerfvuil langs de weg, melding {number}")
        ids.append(body["id"])
        assert (await submit(relay, pair, body)).status_code == 202
    first = (await relay.client.get("/v1/reports?limit=2", headers=bearer(pair))).json()
    assert [item["id"] for item in first["items"]] == ids[::-1][:2] and first["next_cursor"]
    rest = await relay.client.get(f"/v1/reports?limit=2&cursor={first['next_cursor']}", headers=bearer(pair))
    assert [item["id"] for item in rest.json()["items"]] == ids[:1] and rest.json()["next_cursor"] is None


async def test_thumbnail_is_a_small_jpeg_for_the_owner_only(relay: RelayHarness) -> None:
    owner = await citizen(relay)
    other = await citizen(relay, "bert.claeys@example.be")
    body = report_json()
    await submit(relay, owner, body, three_photos()[:1])
    status = (await relay.client.get(f"/v1/reports/{body['id']}", headers=bearer(owner))).json()
    thumbnail = await relay.client.get(status["thumbnail_url"], headers=bearer(owner))
    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumbnail.content)).size) <= 400
    assert (await relay.client.get(status["thumbnail_url"], headers=bearer(other))).status_code == 404


async def test_deleting_the_account_waits_for_reports_on_their_way_then_forgets_them(
    relay: RelayHarness,
) -> None:
    pair = await citizen(relay)
    body = report_json()
    await submit(relay, pair, body, three_photos()[:1])
    delete = {"password": "Zonnebloem-42!"}
    early = await relay.client.post("/v1/me/delete", json=delete, headers=bearer(pair))
    assert early.status_code == 409 and early.json()["code"] == "reports_pending"
    assert (await relay.client.get("/v1/me", headers=bearer(pair))).status_code == 200  # nothing happened
    await relay.settle()
    assert (await relay.client.post("/v1/me/delete", json=delete, headers=bearer(pair))).status_code == 204
    async with relay.context.db.sessions() as session:
        assert (await session.execute(select(ReportAttachment))).first() is None
    [ticket] = relay.sim.tickets.values()  # the municipality keeps its ticket
    assert body["id"] and ticket.title.startswith("[CNA-")
