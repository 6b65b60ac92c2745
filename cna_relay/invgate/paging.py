"""Walk InvGate's three pagination styles to the end, refusing to loop forever.

- keyset: `page_key` in, `next_page_key` out (null on the last page);
- offset: `limit`/`offset` in, `total` out;
- page number: `page`/`page_size` in, a short page marks the end.

A server that hands back a page key it already gave, or pages past `MAX_PAGES`, is answered with
`InvGateUnexpectedResponse` rather than an endless loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from cna_relay.invgate.errors import InvGateUnexpectedResponse

T = TypeVar("T")
MAX_PAGES = 1000


async def keyset_pages(
    fetch: Callable[[str | None], Awaitable[tuple[list[T], str | None]]],
    *,
    what: str,
    max_pages: int = MAX_PAGES,
) -> list[T]:
    """Every item of a keyset-paginated list, in server order."""
    items: list[T] = []
    seen_keys: set[str] = set()
    page_key: str | None = None
    for _ in range(max_pages):
        page, page_key = await fetch(page_key)
        items.extend(page)
        if page_key is None:
            return items
        if page_key in seen_keys:
            raise InvGateUnexpectedResponse(f"{what}: page key repeated", endpoint=what)
        seen_keys.add(page_key)
    raise InvGateUnexpectedResponse(f"{what}: more than {max_pages} pages", endpoint=what)


async def offset_pages(fetch: Callable[[int], Awaitable[tuple[list[T], int]]], *, what: str) -> list[T]:
    """Every item of a `limit`/`offset` list; `fetch(offset)` returns (items, total)."""
    items: list[T] = []
    for _ in range(MAX_PAGES):
        page, total = await fetch(len(items))
        items.extend(page)
        if not page or len(items) >= total:
            return items
    raise InvGateUnexpectedResponse(f"{what}: more than {MAX_PAGES} pages", endpoint=what)


async def numbered_pages(
    fetch: Callable[[int], Awaitable[list[T]]],
    *,
    page_size: int,
    identity: Callable[[T], Hashable],
    what: str,
) -> list[T]:
    """Every item of a `page`/`page_size` list (pages count from 1). A page that only repeats
    items already seen means the server ignores `page`: stop instead of looping."""
    items: list[T] = []
    seen: set[Hashable] = set()
    for page_number in range(1, MAX_PAGES + 1):
        page = await fetch(page_number)
        fresh = [item for item in page if identity(item) not in seen]
        if page and not fresh:
            raise InvGateUnexpectedResponse(
                f"{what}: page {page_number} repeats earlier items", endpoint=what
            )
        items.extend(fresh)
        seen.update(identity(item) for item in fresh)
        if len(page) < page_size:
            return items
    raise InvGateUnexpectedResponse(f"{what}: more than {MAX_PAGES} pages", endpoint=what)
