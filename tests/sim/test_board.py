"""The read-only HTML board at `/`, the ticket page internal mails link to, downloads and thumbnails."""

from __future__ import annotations

import html
import io

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from invgate_sim import SimConfig, create_app
from tests.sim.helpers import PDF, comment, create_customer, create_ticket, png_bytes
from tests.support.servers import free_port


@pytest.fixture
async def web(sim_app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url="http://invgate.test")


async def test_the_board_lists_a_ticket_with_its_attachments_comments_and_mail(
    sim_http: httpx.AsyncClient, web: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http, "board@example.org", name="Bert", lastname="Board")
    files = [
        ("attachments[]", ("put.png", png_bytes(), "image/png")),
        ("attachments[]", ("plan.pdf", PDF, "application/pdf")),
    ]
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=files, title="Put <script>alert(1)</script>"
    )
    await comment(sim_http, ticket_id, "Publiek antwoord", public=True)
    await comment(sim_http, ticket_id, "Interne nota", public=False)
    page = (await web.get("/")).text
    assert (
        f"#{ticket_id}" in page and "Bert Board" in page and "Wegen en Mobiliteit" in page and "Nieuw" in page
    )
    assert "<script>alert(1)</script>" not in page and html.escape("<script>") in page
    assert "Publiek antwoord" in page and "Interne nota" in page and "intern" in page and "publiek" in page
    image_id, pdf_id = sim_app.state.sim.tickets[ticket_id].attachments
    assert f'src="/attachments/{image_id}/thumbnail"' in page
    assert f'href="/attachments/{pdf_id}/download"' in page and "plan.pdf" in page
    assert "Uw melding" in page and "board@example.org" in page  # the mail sent


async def test_thumbnails_are_small_pngs_and_non_images_have_none(
    sim_http: httpx.AsyncClient, web: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    files = [
        ("attachments[]", ("groot.png", png_bytes(size=(1200, 900)), "image/png")),
        ("attachments[]", ("plan.pdf", PDF, "application/pdf")),
    ]
    ticket_id = await create_ticket(sim_http, customer["id"], files=files)
    image_id, pdf_id = sim_app.state.sim.tickets[ticket_id].attachments
    thumb = await web.get(f"/attachments/{image_id}/thumbnail")
    assert thumb.headers["content-type"] == "image/png"
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 160
    assert (await web.get(f"/attachments/{pdf_id}/thumbnail")).status_code == 404
    assert (await web.get("/attachments/999/thumbnail")).status_code == 404


async def test_a_corrupt_image_gets_no_thumbnail_and_does_not_break_the_board(
    sim_http: httpx.AsyncClient, web: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=[("attachments[]", ("kapot.jpg", b"\xff\xd8garbage", "image/jpeg"))]
    )
    [attachment_id] = sim_app.state.sim.tickets[ticket_id].attachments
    assert (await web.get(f"/attachments/{attachment_id}/thumbnail")).status_code == 404
    assert (await web.get("/")).status_code == 200


async def test_downloads_are_attachments_never_rendered_inline(
    sim_http: httpx.AsyncClient, web: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    customer = await create_customer(sim_http)
    evil = b"<html><script>alert(1)</script></html>"
    ticket_id = await create_ticket(
        sim_http, customer["id"], files=[("attachments[]", ("x y.html", evil, "text/html"))]
    )
    [attachment_id] = sim_app.state.sim.tickets[ticket_id].attachments
    response = await web.get(f"/attachments/{attachment_id}/download")
    assert response.content == evil
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_ticket_page_is_what_internal_mail_links_open(
    sim_http: httpx.AsyncClient, web: httpx.AsyncClient
) -> None:
    customer = await create_customer(sim_http)
    ticket_id = await create_ticket(sim_http, customer["id"], title="Lamp kapot")
    page = await web.get(f"/requests/show/index/id/{ticket_id}")
    assert page.status_code == 200 and "Lamp kapot" in page.text and "Uw melding" in page.text
    assert (await web.get("/requests/show/index/id/4242")).status_code == 404
    assert (await web.get("/requests/show/index/id/abc")).status_code == 422


async def test_failed_mails_show_on_the_board(sim_config: SimConfig) -> None:
    app = create_app(sim_config.with_changes(smtp_port=free_port()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://invgate.test/api/v1/",
        auth=(sim_config.api_user, sim_config.api_key),
    ) as http:
        customer = await create_customer(http)
        await create_ticket(http, customer["id"])
        page = (await http.get("http://invgate.test/")).text
    assert "failed" in page and "ConnectionRefusedError" in page


async def test_the_board_needs_no_credentials_and_shows_active_faults(
    web: httpx.AsyncClient, sim_app: FastAPI
) -> None:
    sim_app.state.sim.faults.outage(60)
    page = await web.get("/")
    assert page.status_code == 200 and "outage" in page.text and "Nog geen tickets" in page.text
