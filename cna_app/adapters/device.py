"""Preferences and device locales through the Flet client."""

from __future__ import annotations

import asyncio
import logging

import flet as ft

CLIENT_TIMEOUT_S = 5.0
logger = logging.getLogger(__name__)


class SharedPreferencesStore:
    """`Preferences` in the client's shared preferences (localStorage on the web)."""

    def __init__(self, prefs: ft.SharedPreferences, *, timeout_s: float = CLIENT_TIMEOUT_S) -> None:
        self._prefs = prefs
        self._timeout_s = timeout_s

    async def get(self, key: str) -> str | None:
        try:
            value = await asyncio.wait_for(self._prefs.get(key), self._timeout_s)
        except (TimeoutError, RuntimeError) as exc:
            logger.info("preference %s unavailable: %s", key, type(exc).__name__)
            return None
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str) -> None:
        try:
            await asyncio.wait_for(self._prefs.set(key, value), self._timeout_s)
        except (TimeoutError, RuntimeError) as exc:
            logger.info("preference %s not saved: %s", key, type(exc).__name__)


class PageLocales:
    """`DeviceLocales` from `page.get_device_info()`; empty when the client cannot tell."""

    def __init__(self, page: ft.Page, *, timeout_s: float = CLIENT_TIMEOUT_S) -> None:
        self._page = page
        self._timeout_s = timeout_s

    async def preferred(self) -> list[str]:
        try:
            info = await asyncio.wait_for(self._page.get_device_info(), self._timeout_s)
        except (TimeoutError, RuntimeError, TypeError, ValueError) as exc:
            logger.info("device locales unavailable: %s", type(exc).__name__)
            return []
        if info is None:
            return []
        return [
            f"{locale.language_code}-{locale.country_code}" if locale.country_code else locale.language_code
            for locale in info.locales
        ]
