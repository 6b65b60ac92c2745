"""Small named texts kept on the device so the app can start without a connection.

`CacheStore` is the port; it lives where the report drafts live (`cna_app.services.drafts`):
`FileCacheStore` keeps one file per name in a folder next to the drafts' (desktop, mobile),
`cna_app.adapters.cache_storage.PreferencesCacheStore` keeps them in the browser's local storage
(web, where Python runs on the server and "the device" is the browser), `MemoryCacheStore` in
memory (tests, and platforms without either). What is kept, and why it can be trusted again, is
`cna_app.services.startup_cache`'s business; stores only read and write text.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Protocol

# A cached configuration is a few kilobytes (the boundary is the bulk); anything far larger was
# not written by us, and a tampered store must not make the app read gigabytes at start-up.
MAX_CACHE_CHARS = 2_000_000
_NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")


class CacheStoreError(Exception):
    """The device would not keep (or give back) a cached text."""


class CacheStore(Protocol):
    async def read(self, name: str) -> str | None:
        """The text kept under `name`, or None when there is none (or it is unreadable)."""
        ...

    async def write(self, name: str, text: str) -> None:
        """Keep `text` under `name`, replacing what was there; `CacheStoreError` on failure."""
        ...

    async def erase(self, name: str) -> None: ...


def check_name(name: str) -> str:
    """Names are ours (`config`, `account`), never user input; refuse anything path-like."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a cache name: {name!r}")
    return name


class MemoryCacheStore:
    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    async def read(self, name: str) -> str | None:
        return self.texts.get(check_name(name))

    async def write(self, name: str, text: str) -> None:
        self.texts[check_name(name)] = text

    async def erase(self, name: str) -> None:
        self.texts.pop(check_name(name), None)


class FileCacheStore:
    """`<root>/<name>.json`, written atomically (a crash mid-write leaves the previous copy)."""

    def __init__(self, root: Path) -> None:
        self._root = root

    async def read(self, name: str) -> str | None:
        return await asyncio.to_thread(self._read, self._path(name))

    async def write(self, name: str, text: str) -> None:
        await asyncio.to_thread(self._write, self._path(name), text)

    async def erase(self, name: str) -> None:
        await asyncio.to_thread(self._erase, self._path(name))

    def _path(self, name: str) -> Path:
        return self._root / f"{check_name(name)}.json"

    @staticmethod
    def _read(path: Path) -> str | None:
        try:
            if path.stat().st_size > MAX_CACHE_CHARS * 4:
                return None
            return path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    @staticmethod
    def _write(path: Path, text: str) -> None:
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, "utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            raise CacheStoreError(f"cannot write {path.name}: {type(exc).__name__}") from exc

    @staticmethod
    def _erase(path: Path) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise CacheStoreError(f"cannot remove {path.name}: {type(exc).__name__}") from exc
