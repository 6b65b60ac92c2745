"""Composition root of the app: `create_main(config)` builds one `main(page)` per `ClientConfig`;
each page (browser tab, phone app) gets its own services, shell and router.

`Services` is the seam for tests: the control-tree tests pass a factory that returns fakes,
everything else uses `device_services`, which picks the real adapters for the platform.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import flet as ft
import flet_geolocator as fg
import flet_secure_storage as fss

from cna_app.adapters.cache_storage import PreferencesCacheStore
from cna_app.adapters.device import PageLocales, SharedPreferencesStore
from cna_app.adapters.draft_storage import PreferencesDraftStore
from cna_app.adapters.files import FileIntake
from cna_app.adapters.geolocation import GeolocatorLocator
from cna_app.adapters.navigator import PageNavigator
from cna_app.adapters.secure_storage import SecureStorageSlot
from cna_app.config import ClientConfig
from cna_app.contract.wire import Language
from cna_app.i18n import DEFAULT_LANGUAGE
from cna_app.services.device import Clock, DeviceLocales, Preferences, SystemClock
from cna_app.services.device_cache import CacheStore, FileCacheStore, MemoryCacheStore
from cna_app.services.drafts import DraftStore, FileDraftStore, MemoryDraftStore
from cna_app.services.http_relay import HttpRelayApi
from cna_app.services.keyring_slot import KeyringSlot
from cna_app.services.location import ChainLocator, Locator, NoLocator, PlyerLocator
from cna_app.services.photos import MAX_RAW_IMAGE_BYTES
from cna_app.services.relay import RelayApi
from cna_app.services.startup_cache import StartupCache
from cna_app.services.tokens import FallbackTokenStore, SlotTokenStore, TokenStore
from cna_app.viewmodels.shell import Shell
from cna_app.views.router import Router


@dataclass
class Services:
    """The ports one page's shell runs on, and how to release them."""

    relay: RelayApi
    tokens: TokenStore
    preferences: Preferences
    locales: DeviceLocales
    clock: Clock = field(default_factory=SystemClock)
    close: Callable[[], Awaitable[None]] | None = None
    drafts: DraftStore = field(default_factory=MemoryDraftStore)
    locator: Locator = field(default_factory=NoLocator)
    # Where the last configuration and account are kept for a start without a connection.
    cache: CacheStore = field(default_factory=MemoryCacheStore)


# How long closing a page waits to write the report form to the device.
CLOSE_FLUSH_S = 2.0
ServicesFactory = Callable[[ft.Page, ClientConfig, Callable[[], Language]], Services]


def device_services(page: ft.Page, config: ClientConfig, language: Callable[[], Language]) -> Services:
    """Real adapters: httpx to the relay, keyring on desktop, secure storage on web and mobile."""
    relay = HttpRelayApi(config.relay_url, language=language, timeout_s=config.request_timeout_s)
    prefs = ft.SharedPreferences()
    return Services(
        relay=relay,
        tokens=FallbackTokenStore(SlotTokenStore(_secret_slot(page))),
        preferences=SharedPreferencesStore(prefs),
        locales=PageLocales(page),
        close=relay.aclose,
        drafts=PreferencesDraftStore(prefs)
        if page.web
        else FileDraftStore(_storage(config) / "report-drafts"),
        locator=ChainLocator([GeolocatorLocator(fg.Geolocator(), web=bool(page.web)), PlyerLocator()]),
        cache=PreferencesCacheStore(prefs)
        if page.web
        else FileCacheStore(_storage(config) / "offline-cache"),
    )


def _storage(config: ClientConfig) -> Path:
    """What the app keeps on desktop and mobile: the app's storage folder (mobile builds get one
    from Flet), else a folder in the user's home."""
    return Path(config.storage_dir) if config.storage_dir else Path.home() / ".cna-app"


def _secret_slot(page: ft.Page) -> KeyringSlot | SecureStorageSlot:
    platform = page.platform
    if page.web or platform is None or platform.is_mobile():
        return SecureStorageSlot(fss.SecureStorage())
    return KeyringSlot()


@dataclass
class AppSession:
    """What one page runs on: its ports, its shell and its router."""

    ports: Services
    shell: Shell
    router: Router
    files: FileIntake

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError):
            # Typing from the last second; a web client that is already gone cannot take it.
            await asyncio.wait_for(self.shell.report.flush(), CLOSE_FLUSH_S)
        self.shell.close()
        self.router.close()
        self.files.close()
        if self.ports.close is not None:
            await self.ports.close()


def build_session(page: ft.Page, config: ClientConfig, services: ServicesFactory) -> AppSession:
    # The relay asks for the language on every request; the shell that knows it comes next.
    holder: list[Shell] = []
    ports = services(page, config, lambda: holder[0].language if holder else DEFAULT_LANGUAGE)
    routers: list[Router] = []
    shell = Shell(
        relay=ports.relay,
        tokens=ports.tokens,
        preferences=ports.preferences,
        locales=ports.locales,
        nav=PageNavigator(page, render=lambda route: routers[0].render(route)),
        clock=ports.clock,
        drafts=ports.drafts,
        locator=ports.locator,
        outbox_delays_s=config.outbox_retry_s,
        cache=StartupCache(ports.cache, relay_url=config.relay_url),
    )
    holder.append(shell)
    files = FileIntake(page, upload_dir=config.upload_dir)
    routers.append(Router(page, shell, files=files))
    return AppSession(ports, shell, routers[0], files)


def create_main(
    config: ClientConfig, *, services: ServicesFactory = device_services
) -> Callable[[ft.Page], Awaitable[None]]:
    """The `main(page)` Flet runs for every new page (browser tab, app start)."""

    async def main(page: ft.Page) -> None:
        session = build_session(page, config, services)
        # Start-up can wait for the relay indefinitely; a closed tab must not keep it retrying.
        starting = asyncio.create_task(session.shell.start())

        async def on_close() -> None:
            starting.cancel()
            await session.close()

        page.on_close = on_close
        session.router.render()
        with contextlib.suppress(asyncio.CancelledError):
            await starting

    return main


def ensure_upload_secret(environ: MutableMapping[str, str]) -> None:
    """Flet signs upload URLs with `FLET_SECRET_KEY` and refuses uploads without one. A key made
    here is fine for one server process; several processes behind a balancer must share one,
    so deployments set it explicitly."""
    if not environ.get("FLET_SECRET_KEY"):
        environ["FLET_SECRET_KEY"] = secrets.token_urlsafe(32)


def with_upload_folder(config: ClientConfig, environ: MutableMapping[str, str]) -> ClientConfig:
    """Web mode receives chosen files by HTTP upload (see `cna_app.adapters.files`): without a
    configured folder, a private temporary one; uploads larger than the app would read are cut
    off by Flet itself."""
    environ.setdefault("FLET_MAX_UPLOAD_SIZE", str(MAX_RAW_IMAGE_BYTES))
    if config.upload_dir:
        return config
    return replace(config, upload_dir=tempfile.mkdtemp(prefix="cna-uploads-"))


def run(config: ClientConfig) -> None:
    """Serve the app: in the browser (web mode) or as a desktop window."""
    if not config.web:
        ft.run(create_main(config), assets_dir=config.assets_dir)
        return
    ensure_upload_secret(os.environ)
    config = with_upload_folder(config, os.environ)
    ft.run(
        create_main(config),
        view=ft.AppView.WEB_BROWSER,
        port=config.port,
        assets_dir=config.assets_dir,
        upload_dir=config.upload_dir,
        # Everything from the flet-web wheel: no CDN on offline machines and in CI.
        no_cdn=True,
    )
