"""Plain-HTTP helpers for the simulator's tests, written from the reference document (not the relay)."""

from __future__ import annotations

from typing import Any

import httpx

INTEGRATION_AGENT = 2
INTERNAL_EMPLOYEE = 3  # Greet Coppens, an internal user who is no agent
TRIAGE_AGENT = 101  # Marleen De Wilde, Algemeen Onthaal
ROAD_AGENT = 104  # Jan Peeters, Wegen en Mobiliteit
TRIAGE_HELPDESK, ROADS_HELPDESK, WASTE_HELPDESK = 10, 11, 12
ROADS_LEVEL_2 = 31
TRIAGE_CATEGORY, ROADS_CATEGORY, WASTE_CATEGORY = 20, 21, 22
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
    + bytes(range(1, 65))
    + b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    + b"\x00" * 15
    + b"\x03\xff\xc4\x00\x14\x10\x01"
    + b"\x00" * 16
    + b"\xff\xda\x00\x08\x01\x01\x00\x00?\x00\x37\xff\xd9"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (64, 48)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


async def create_customer(
    http: httpx.AsyncClient,
    email: str = "an.peeters@example.org",
    *,
    name: str = "An",
    lastname: str = "Peeters",
    external: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    data = {
        "name": name,
        "lastname": lastname,
        "email": email,
        "is_external": "1" if external else "0",
        **extra,
    }
    response = await http.post("user", data=data)
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()
    return user


def ticket_form(customer: int, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "creator_id": INTEGRATION_AGENT,
        "customer_id": customer,
        "category_id": ROADS_CATEGORY,
        "priority_id": 2,
        "type_id": 1,
        "source_id": 1,
        "title": "Put in het fietspad",
        "description": "Diepe put in het fietspad aan de Kerkstraat 12.",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


async def create_ticket(http: httpx.AsyncClient, customer_id: int, **overrides: Any) -> int:
    """Create a ticket with `ticket_form` values; `files=` are multipart parts, other keywords override."""
    files = overrides.pop("files", None)
    response = await http.post("incident", data=ticket_form(customer_id, **overrides), files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "OK", body
    return int(body["request_id"])


async def comment(
    http: httpx.AsyncClient,
    ticket_id: int,
    text: str,
    *,
    public: bool,
    author: int = ROAD_AGENT,
    solution: bool = False,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> httpx.Response:
    data = {
        "request_id": ticket_id,
        "comment": text,
        "author_id": author,
        "customer_visible": int(public),
        "is_solution": int(solution),
    }
    return await http.post("incident.comment", data=data, files=files)


async def get_ticket(http: httpx.AsyncClient, ticket_id: int, **params: Any) -> dict[str, Any]:
    response = await http.get("incident", params={"id": ticket_id, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
