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
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field

import flet as ft
import flet_secure_storage as fss

from cna_app.adapters.device import PageLocales, SharedPreferencesStore
from cna_app.adapters.navigator import PageNavigator
from cna_app.adapters.secure_storage import SecureStorageSlot
from cna_app.config import ClientConfig
from cna_app.contract.wire import Language
from cna_app.i18n import DEFAULT_LANGUAGE
from cna_app.services.device import Clock, DeviceLocales, Preferences, SystemClock
from cna_app.services.http_relay import HttpRelayApi
from cna_app.services.keyring_slot import KeyringSlot
from cna_app.services.relay import RelayApi
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


ServicesFactory = Callable[[ft.Page, ClientConfig, Callable[[], Language]], Services]


def device_services(page: ft.Page, config: ClientConfig, language: Callable[[], Language]) -> Services:
    """Real adapters: httpx to the relay, keyring on desktop, secure storage on web and mobile."""
    relay = HttpRelayApi(config.relay_url, language=language, timeout_s=config.request_timeout_s)
    return Services(
        relay=relay,
        tokens=FallbackTokenStore(SlotTokenStore(_secret_slot(page))),
        preferences=SharedPreferencesStore(ft.SharedPreferences()),
        locales=PageLocales(page),
        close=relay.aclose,
    )


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

    async def close(self) -> None:
        self.shell.close()
        self.router.close()
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
    )
    holder.append(shell)
    routers.append(Router(page, shell))
    return AppSession(ports, shell, routers[0])


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


def run(config: ClientConfig) -> None:
    """Serve the app: in the browser (web mode) or as a desktop window."""
    main = create_main(config)
    if not config.web:
        ft.run(main, assets_dir=config.assets_dir)
        return
    ensure_upload_secret(os.environ)
    ft.run(
        main,
        view=ft.AppView.WEB_BROWSER,
        port=config.port,
        assets_dir=config.assets_dir,
        upload_dir=config.upload_dir,
        # Everything from the flet-web wheel: no CDN on offline machines and in CI.
        no_cdn=True,
    )
