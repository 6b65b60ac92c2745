"""Board routes: `/` (all tickets and mails), `/requests/show/index/id/{id}` (one ticket, the link
internal mails carry) and the attachment downloads and thumbnails."""

from __future__ import annotations

from urllib.parse import quote

import jinja2
from fastapi import FastAPI, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from invgate_sim.board.view import mail_views, ticket_view
from invgate_sim.simulator import Simulator
from invgate_sim.thumbnails import thumbnail_png


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("invgate_sim.board", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def install_board(app: FastAPI) -> None:
    env = _environment()

    def sim_of(request: Request) -> Simulator:
        sim: Simulator = request.app.state.sim
        sim.apply_timeouts()
        return sim

    async def board(request: Request) -> HTMLResponse:
        sim = sim_of(request)
        tickets = [ticket_view(sim, t) for t in sorted(sim.store.tickets.values(), key=lambda t: -t.id)]
        page = env.get_template("board.html").render(
            config=sim.config, tickets=tickets, mails=mail_views(sim), faults=sim.faults.describe()
        )
        return HTMLResponse(page)

    async def ticket_page(request: Request, ticket_id: int) -> HTMLResponse:
        sim = sim_of(request)
        ticket = sim.store.tickets.get(ticket_id)
        if ticket is None:
            raise HTTPException(404, "No such request")
        mails = [view for view in mail_views(sim) if view.record.ticket_id == ticket_id]
        page = env.get_template("ticket.html").render(
            config=sim.config, ticket=ticket_view(sim, ticket), mails=mails
        )
        return HTMLResponse(page)

    async def download(request: Request, attachment_id: int) -> Response:
        attachment = sim_of(request).store.attachments.get(attachment_id)
        if attachment is None:
            raise HTTPException(404, "No such attachment")
        # Always a download, never rendered inline: an uploaded HTML file must not run on this origin.
        headers = {
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.name, safe='')}",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(attachment.content, media_type=attachment.content_type, headers=headers)

    async def thumbnail(request: Request, attachment_id: int) -> Response:
        attachment = sim_of(request).store.attachments.get(attachment_id)
        preview = thumbnail_png(attachment.content) if attachment else None
        if preview is None:
            raise HTTPException(404, "No preview")
        return Response(preview, media_type="image/png")

    app.add_api_route("/", board, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        "/requests/show/index/id/{ticket_id}", ticket_page, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(
        "/attachments/{attachment_id}/download", download, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(
        "/attachments/{attachment_id}/thumbnail", thumbnail, methods=["GET"], include_in_schema=False
    )
