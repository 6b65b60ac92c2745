"""The three pagination walkers: complete, in order, and never endless."""

from __future__ import annotations

import pytest

from cna_relay.invgate import paging
from cna_relay.invgate.errors import InvGateUnexpectedResponse


async def test_keyset_pages_follow_next_page_key_to_the_end() -> None:
    pages = {None: ([1, 2], "b"), "b": ([3], "c"), "c": ([], None)}
    asked: list[str | None] = []

    async def fetch(key: str | None) -> tuple[list[int], str | None]:
        asked.append(key)
        return pages[key]

    assert await paging.keyset_pages(fetch, what="x") == [1, 2, 3]
    assert asked == [None, "b", "c"]


async def test_keyset_pages_refuse_a_repeated_key() -> None:
    async def fetch(key: str | None) -> tuple[list[int], str | None]:
        return [1], "same"

    with pytest.raises(InvGateUnexpectedResponse, match="repeated"):
        await paging.keyset_pages(fetch, what="x", max_pages=5)


async def test_offset_pages_stop_at_total_or_an_empty_page() -> None:
    data = list(range(25))

    async def fetch(offset: int) -> tuple[list[int], int]:
        return data[offset : offset + 10], len(data)

    assert await paging.offset_pages(fetch, what="x") == data

    async def lying_total(offset: int) -> tuple[list[int], int]:
        return (data[offset : offset + 10], 1000)

    assert await paging.offset_pages(lying_total, what="x") == data


async def test_numbered_pages_count_from_one_until_a_short_page() -> None:
    data = list(range(7))
    asked: list[int] = []

    async def fetch(number: int) -> list[int]:
        asked.append(number)
        return data[(number - 1) * 3 : number * 3]

    assert await paging.numbered_pages(fetch, page_size=3, identity=lambda i: i, what="x") == data
    assert asked == [1, 2, 3]


async def test_numbered_pages_detect_a_server_that_ignores_page() -> None:
    async def fetch(number: int) -> list[int]:
        return [1, 2, 3]

    with pytest.raises(InvGateUnexpectedResponse, match="repeats"):
        await paging.numbered_pages(fetch, page_size=3, identity=lambda i: i, what="x")


async def test_endless_pages_are_cut_off() -> None:
    async def fetch(key: str | None) -> tuple[list[int], str | None]:
        return [1], str(int(key or 0) + 1)

    with pytest.raises(InvGateUnexpectedResponse, match="more than 5 pages"):
        await paging.keyset_pages(fetch, what="x", max_pages=5)
