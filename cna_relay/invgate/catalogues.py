"""Catalogues: helpdesks, categories and the ticket attributes. Ids differ between instances
(and between QA and production), so the relay reads them at start-up instead of hard-coding."""

from __future__ import annotations

from cna_relay.invgate import endpoints as ep
from cna_relay.invgate.endpoints import Call
from cna_relay.invgate.http import InvGateHttp
from cna_relay.invgate.mapping import Params
from cna_relay.invgate.models import CatalogueItem, Category, Helpdesk, HelpdeskLevel
from cna_relay.invgate.paging import numbered_pages
from cna_relay.invgate.parsing import (
    parse_catalogue,
    parse_categories,
    parse_helpdesks,
    parse_helpdesks_and_levels,
)

# InvGate's maximum `page_size` for `categories`.
CATEGORY_PAGE_SIZE = 500


class CatalogueOperations:
    _http: InvGateHttp

    async def helpdesks(self) -> tuple[Helpdesk, ...]:
        return tuple(parse_helpdesks(await self._http.call(ep.HELPDESKS, {})))

    async def helpdesks_and_levels(self) -> tuple[Helpdesk | HelpdeskLevel, ...]:
        return tuple(parse_helpdesks_and_levels(await self._http.call(ep.HELPDESKS_AND_LEVELS, {})))

    async def categories(
        self, *, search: str | None = None, page_size: int = CATEGORY_PAGE_SIZE
    ) -> tuple[Category, ...]:
        """Every category (all pages; instances have thousands), optionally filtered by name."""

        async def page(number: int) -> list[Category]:
            params: Params = {"search": search, "page": number, "page_size": page_size}
            return parse_categories(await self._http.call(ep.CATEGORIES, params))

        pages = await numbered_pages(page, page_size=page_size, identity=lambda c: c.id, what="categories")
        return tuple(pages)

    async def priorities(self) -> tuple[CatalogueItem, ...]:
        return await self._attribute(ep.PRIORITIES)

    async def ticket_types(self) -> tuple[CatalogueItem, ...]:
        return await self._attribute(ep.TYPES)

    async def sources(self) -> tuple[CatalogueItem, ...]:
        return await self._attribute(ep.SOURCES)

    async def statuses(self) -> tuple[CatalogueItem, ...]:
        """Status ids and their localised names; never hard-code the ids (they vary per instance)."""
        return await self._attribute(ep.STATUSES)

    async def _attribute(self, call: Call) -> tuple[CatalogueItem, ...]:
        return tuple(parse_catalogue(await self._http.call(call, {}), call.endpoint))
