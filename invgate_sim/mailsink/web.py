"""The sink's web page (messages, bodies, attachments with thumbnails) and JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, HTTPException
from starlette.responses import HTMLResponse, Response

from invgate_sim.mailsink.store import CaughtMessage, MessageStore
from invgate_sim.thumbnails import is_image, thumbnail_png


@dataclass(frozen=True)
class Part:
    index: int
    filename: str
    content_type: str
    content: bytes


def attachments_of(message: EmailMessage) -> list[Part]:
    parts = []
    for index, part in enumerate(message.iter_attachments()):
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        parts.append(Part(index, part.get_filename() or f"part-{index}", part.get_content_type(), content))
    return parts


def body_of(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    try:
        content = part.get_content()
    except (LookupError, ValueError, UnicodeError):
        # A sink must show what arrived, even with a charset nobody knows: fall back to UTF-8.
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else None
    return content if isinstance(content, str) else None


def describe(caught: CaughtMessage, *, include_raw: bool = False) -> dict[str, Any]:
    message = caught.parsed()
    base = f"/api/messages/{caught.id}"
    described: dict[str, Any] = {
        "id": caught.id,
        "from": str(message.get("From", caught.mail_from)),
        "to": caught.rcpt_tos,
        "header_to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
        "received_at": datetime.fromtimestamp(caught.received_at, tz=UTC).isoformat(),
        "headers": {key: str(value) for key, value in message.items()},
        "text": body_of(message, "plain"),
        "html": body_of(message, "html"),
        "attachments": [
            {
                "index": part.index,
                "filename": part.filename,
                "content_type": part.content_type,
                "size": len(part.content),
                "url": f"/messages/{caught.id}/attachments/{part.index}",
            }
            for part in attachments_of(message)
        ],
        "raw_url": f"{base}/raw",
    }
    if include_raw:
        described["raw"] = caught.raw.decode("utf-8", errors="replace")
    return described


def create_sink_app(store: MessageStore) -> FastAPI:
    app = FastAPI(title="Mail sink", docs_url=None, redoc_url=None, openapi_url=None)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("invgate_sim.mailsink", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )

    def caught_or_404(message_id: int) -> CaughtMessage:
        caught = store.get(message_id)
        if caught is None:
            raise HTTPException(404, "No such message")
        return caught

    def part_or_404(message_id: int, index: int) -> Part:
        parts = attachments_of(caught_or_404(message_id).parsed())
        if not 0 <= index < len(parts):
            raise HTTPException(404, "No such attachment")
        return parts[index]

    @app.get("/", response_class=HTMLResponse)
    async def index() -> str:
        messages = [describe(caught) for caught in reversed(store.all())]
        return env.get_template("index.html").render(messages=messages)

    @app.get("/messages/{message_id}", response_class=HTMLResponse)
    async def message_page(message_id: int) -> str:
        described = describe(caught_or_404(message_id))
        images = {a["index"] for a in described["attachments"] if is_image(a["content_type"])}
        return env.get_template("message.html").render(message=described, images=images)

    @app.get("/messages/{message_id}/attachments/{index}")
    async def download(message_id: int, index: int) -> Response:
        part = part_or_404(message_id, index)
        disposition = f"attachment; filename*=UTF-8''{quote(part.filename, safe='')}"
        headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
        return Response(part.content, media_type=part.content_type, headers=headers)

    @app.get("/messages/{message_id}/attachments/{index}/thumbnail")
    async def thumbnail(message_id: int, index: int) -> Response:
        preview = thumbnail_png(part_or_404(message_id, index).content)
        if preview is None:
            raise HTTPException(404, "No preview")
        return Response(preview, media_type="image/png")

    @app.get("/api/messages")
    async def list_messages(raw: bool = False) -> list[dict[str, Any]]:
        return [describe(caught, include_raw=raw) for caught in store.all()]

    @app.get("/api/messages/{message_id}")
    async def one_message(message_id: int) -> dict[str, Any]:
        return describe(caught_or_404(message_id), include_raw=True)

    @app.get("/api/messages/{message_id}/raw")
    async def raw_message(message_id: int) -> Response:
        return Response(caught_or_404(message_id).raw, media_type="message/rfc822")

    @app.delete("/api/messages")
    async def delete_messages() -> dict[str, int]:
        return {"deleted": store.clear()}

    return app
