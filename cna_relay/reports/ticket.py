"""What a report looks like as an InvGate ticket: pure functions from report fields to text.

The ticket is read by municipal staff, so its labels are Dutch. The citizen's text is HTML-escaped
(InvGate renders ticket descriptions as HTML) and the reference is in the title, where the
relay looks for it when it must find a ticket whose creation reply was lost.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TITLE_WORDS_MAX_CHARS = 60
_SOURCE_LABELS = {"pin": "speld op de kaart", "gps": "gps van het toestel", "address": "ingetypt adres"}
_CHANNEL_LABELS = {"app": "CNA app", "counter": "Loket", "phone": "Telefoon", "email": "E-mail"}


@dataclass(frozen=True, slots=True)
class TicketLocation:
    latitude: float
    longitude: float
    source: str
    accuracy_m: float | None
    address: str | None


def ticket_title(*, reference: str, description: str, address: str | None) -> str:
    """`[CNA-2026-000123] First words of the description – Street`."""
    title = f"[{reference}] {first_words(description, TITLE_WORDS_MAX_CHARS)}"
    street = street_of(address)
    return f"{title} – {street}" if street else title


def first_words(text: str, limit: int) -> str:
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0] or words[:limit]
    return cut.rstrip(",.;:-") + "…"


def street_of(address: str | None) -> str | None:
    """The street part of a typed or geocoded address ("Kerkstraat 12, 8980 Zonnebeke" → "Kerkstraat")."""
    if not address:
        return None
    first = address.split(",")[0].strip()
    street = re.sub(r"\s+\d+\s*\w?$", "", first).strip()
    return street[:60] or None


def ticket_description(
    *,
    reference: str,
    description: str,
    location: TicketLocation,
    map_link: str,
    channel: str,
    on_behalf_of: str | None = None,
) -> str:
    """The ticket body as HTML; every value from the citizen is escaped."""
    text = "<br>".join(html.escape(line) for line in description.splitlines())
    accuracy = f", nauwkeurigheid ±{location.accuracy_m:.0f} m" if location.accuracy_m is not None else ""
    source = _SOURCE_LABELS.get(location.source, location.source)
    place = [
        f"<b>Adres:</b> {html.escape(location.address)}" if location.address else "<b>Adres:</b> onbekend",
        f"<b>Coördinaten:</b> {location.latitude:.6f}, {location.longitude:.6f} ({source}{accuracy})",
        f'<a href="{html.escape(map_link, quote=True)}">Toon op de kaart</a>',
    ]
    origin = [
        f"<b>Referentie:</b> {html.escape(reference)}",
        f"<b>Gemeld via:</b> {_CHANNEL_LABELS.get(channel, html.escape(channel))}",
    ]
    if on_behalf_of:
        origin.append(f"<b>Namens:</b> {html.escape(on_behalf_of)}")
    return f"<p>{text}</p><p>{'<br>'.join(place)}</p><p>{'<br>'.join(origin)}</p>"


def map_link(template: str, latitude: float, longitude: float) -> str:
    return template.format(lat=f"{latitude:.6f}", lon=f"{longitude:.6f}")
