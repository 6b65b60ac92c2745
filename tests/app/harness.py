"""A headless Flet page for control-tree tests (flet-1.0.md §4b), pinned to flet 1.0.5 internals.

`FakeFletClient` plays the Flutter client on the other end of a real `Session`: it encodes every
message like the real server does (the encoder snapshots state the next diff relies on), answers
method calls the app makes (`push_route`, device info, shared preferences, secure storage, the
geolocator, map camera moves) and turns `push_route` into the route-change event a browser would
send. `AppHarness` runs the real `create_main(...)` on it with a `FakeRelay` and the real Flet
adapters (draft storage in shared preferences, the geolocator, the file picker), and offers
`click`, `type`, `find`, `texts`, and for the report form `pick_files`, `paste_files`, `tap_map`.
`AppHarness.again(previous)` starts the app once more on the same client storage (shared
preferences and secure storage): a citizen opening the app again on the same device.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import flet as ft
import flet_geolocator as fg
import flet_map as fm
import flet_secure_storage as fss
import msgpack
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from cna_app.adapters.cache_storage import PreferencesCacheStore
from cna_app.adapters.device import PageLocales, SharedPreferencesStore
from cna_app.adapters.draft_storage import PreferencesDraftStore
from cna_app.adapters.geolocation import GeolocatorLocator
from cna_app.adapters.secure_storage import SecureStorageSlot
from cna_app.app import Services, create_main
from cna_app.config import ClientConfig
from cna_app.services.tokens import FallbackTokenStore, SlotTokenStore
from cna_app.viewmodels.shell import Phase, Shell
from tests.app.fakes import FakeRelay, ManualClock, settle

assert ft.__version__ == "1.0.5", "the harness relies on flet 1.0.5 internals"


class FakeFletClient(Connection):
    """The client side of the wire: records what the app sends, answers what it asks."""

    def __init__(
        self, *, locales: tuple[tuple[str, str], ...] = (("nl", "BE"),), secure_storage: bool = True
    ):
        super().__init__()
        self.page_url = "http://127.0.0.1:8550"
        self.pubsubhub = PubSubHub()
        self.session: Session | None = None
        self.messages: list[Message] = []
        self.crashes: list[str] = []
        self.locales = locales
        self.secure_storage_works = secure_storage
        self.secure_storage: dict[str, str] = {}
        self.preferences: dict[str, Any] = {}
        self.methods: list[str] = []
        # The device's position for the geolocator (None: the user refuses), and camera moves.
        self.position: tuple[float, float, float] | None = (50.8722, 2.9868, 12.0)
        self.permission = "whileInUse"
        self.camera: list[dict[str, Any]] = []

    def send_message(self, message: Message) -> None:
        msgpack.packb(
            [message.action, message.body], default=configure_encode_object_for_msgpack(ft.BaseControl)
        )
        self.messages.append(message)
        if message.action == MessageAction.SESSION_CRASHED:
            self.crashes.append(str(message.body))
        if message.action == MessageAction.INVOKE_METHOD:
            asyncio.get_running_loop().call_soon(self._answer, message.body)

    def _answer(self, body: Any) -> None:
        assert self.session is not None
        control = self.session.index.get(body.control_id)
        self.methods.append(f"{type(control).__name__}.{body.name}")
        result, error = self._call(control, body.name, body.args or {})
        self.session.handle_invoke_method_results(body.control_id, body.call_id, result, error)
        if body.name == "push_route" and error is None:
            asyncio.get_running_loop().create_task(self.browse_to(body.args["route"]))

    def _call(self, control: Any, name: str, args: dict[str, Any]) -> tuple[Any, str | None]:
        if isinstance(control, ft.Page) and name == "push_route":
            return None, None
        if isinstance(control, ft.Page) and name == "get_device_info":
            locales = [{"language_code": lang, "country_code": country} for lang, country in self.locales]
            return {"locales": locales, "browser_name": "chrome"}, None
        if isinstance(control, fss.SecureStorage):
            if not self.secure_storage_works:
                return None, "MissingPluginException: secure storage is not available"
            return _dict_method(self.secure_storage, name, args)
        if isinstance(control, ft.SharedPreferences):
            return _dict_method(self.preferences, name, args)
        if isinstance(control, fg.Geolocator):
            return self._geolocator(name)
        if isinstance(control, fm.Map) and name in ("move_to", "center_on"):
            self.camera.append(args)
            return None, None
        return None, f"FakeFletClient does not know {type(control).__name__}.{name}"

    def _geolocator(self, name: str) -> tuple[Any, str | None]:
        if name in ("get_permission_status", "request_permission"):
            return self.permission, None
        if name == "is_location_service_enabled":
            return True, None
        if name == "get_current_position":
            if self.position is None:
                return None, "User denied permission to access the device's location."
            lat, lon, accuracy = self.position
            return {"latitude": lat, "longitude": lon, "accuracy": accuracy}, None
        return None, f"unknown geolocator method {name}"

    async def browse_to(self, route: str) -> None:
        """What the browser does on a new URL (address bar, back button, or push_route)."""
        assert self.session is not None
        page = self.session.page
        self.session.apply_page_patch({"route": route})
        await self.session.dispatch_event(page._i, "route_change", {"route": route})


def _dict_method(store: dict[str, Any], name: str, args: dict[str, Any]) -> tuple[Any, str | None]:
    if name == "get":
        return store.get(args["key"]), None
    if name == "set":
        store[args["key"]] = args["value"]
        return True, None
    if name == "remove":
        store.pop(args["key"], None)
        return True, None
    if name == "get_keys":
        return [key for key in store if key.startswith(args["key_prefix"])], None
    return None, f"unknown method {name}"


def walk(root: Any) -> Iterator[ft.BaseControl]:
    """Every control under `root`, depth first, through any field holding controls."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, ft.BaseControl) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for f in dataclasses.fields(node):
            if f.name.startswith("_") or f.name in {"parent", "page"}:
                continue
            value = getattr(node, f.name, None)
            if isinstance(value, ft.BaseControl | list | tuple):
                stack.append(value)


class AppHarness:
    def __init__(
        self,
        relay: FakeRelay,
        *,
        locales: tuple[tuple[str, str], ...] = (("nl", "BE"),),
        secure_storage: bool = True,
    ):
        self.relay = relay
        self.clock = ManualClock()
        self.client = FakeFletClient(locales=locales, secure_storage=secure_storage)
        self.shell: Shell | None = None
        self.stopped = False
        self._main: asyncio.Task[None] | None = None

    @classmethod
    def again(cls, previous: AppHarness, relay: FakeRelay | None = None) -> AppHarness:
        """A new app run on `previous`'s device: the same local and secure storage."""
        harness = cls(relay or previous.relay)
        harness.client.preferences = previous.client.preferences
        harness.client.secure_storage = previous.client.secure_storage
        return harness

    async def start(self, route: str = "/") -> AppHarness:
        client = self.client
        client.loop = asyncio.get_running_loop()
        session = Session(client)
        client.session = session
        session.apply_page_patch(
            {
                "route": route,
                "width": 400,
                "height": 800,
                "web": True,
                "platform": "linux",
                "url": client.page_url,
            }
        )
        client.send_message(
            Message(
                MessageAction.REGISTER_CLIENT,
                RegisterClientResponseBody(
                    session_id=session.id, page_patch=session.get_page_patch(), error=""
                ),
            )
        )
        self.session = session
        _context_page.set(session.page)
        main = create_main(ClientConfig(), services=self._services)
        self._main = asyncio.create_task(main(session.page))
        await self.settle()
        return self

    def _services(self, page: ft.Page, config: ClientConfig, language: Any) -> Services:
        # The real Flet adapters, talking to the fake client; the relay is the in-memory fake.
        store = FallbackTokenStore(SlotTokenStore(SecureStorageSlot(fss.SecureStorage(), timeout_s=1)))
        prefs = ft.SharedPreferences()
        return Services(
            relay=self.relay,
            tokens=store,
            preferences=SharedPreferencesStore(prefs),
            locales=PageLocales(page),
            clock=self.clock,
            drafts=PreferencesDraftStore(prefs, timeout_s=1),
            locator=GeolocatorLocator(fg.Geolocator(), web=True, client_timeout_s=1, position_timeout_s=1),
            cache=PreferencesCacheStore(prefs, timeout_s=1),
        )

    @property
    def page(self) -> ft.Page:
        return self.session.page

    @property
    def app_shell(self) -> Shell:
        router = self.page.on_route_change.__self__  # type: ignore[union-attr]
        return router.shell

    async def settle(self) -> None:
        await settle(40)
        # The client reports a closed dialog as dismissed once its closing animation ends.
        for dialog in [d for d in self.page._dialogs.controls if not d.open]:
            await self.session.dispatch_event(dialog._i, "dismiss", None)
            await settle(10)

    async def until_ready(self) -> None:
        for _ in range(20):
            if self.app_shell.phase is Phase.READY:
                return
            await self.settle()
        raise AssertionError(f"app not ready: {self.app_shell.phase}")

    # ---- looking --------------------------------------------------------------------------

    @property
    def top(self) -> ft.View:
        return self.page.views[-1]

    def controls(self) -> Iterator[ft.BaseControl]:
        yield from walk(self.top)
        yield from walk([dialog for dialog in self.page._dialogs.controls if dialog.open])

    def find(self, key: str) -> Any:
        found = [c for c in self.controls() if getattr(c, "key", None) == key]
        assert len(found) == 1, f"{len(found)} controls with key {key!r} on {self.top.route}"
        return found[0]

    def has(self, key: str) -> bool:
        return any(getattr(c, "key", None) == key for c in self.controls())

    def texts(self) -> list[str]:
        """Visible text and screen-reader labels of the top view and open dialogs."""
        found: list[str] = []
        for control in self.controls():
            if getattr(control, "visible", True) is False:
                continue
            for name in ("value", "label", "content", "tooltip", "error", "semantics_label"):
                value = getattr(control, name, None)
                if isinstance(value, str) and value:
                    found.append(value)
        return found

    def text(self) -> str:
        return "\n".join(self.texts())

    # ---- acting ---------------------------------------------------------------------------

    async def click(self, key: str) -> None:
        control = self.find(key)
        assert not control.disabled, f"{key} is disabled"
        await self.session.dispatch_event(control._i, "click", None)
        await self.settle()

    async def type(self, key: str, text: str) -> None:
        control = self.find(key)
        self.session.apply_patch(control._i, {"value": text})
        await self.session.dispatch_event(control._i, "change", text)
        await self.settle()

    async def submit(self, key: str) -> None:
        control = self.find(key)
        await self.session.dispatch_event(control._i, "submit", None)
        await self.settle()

    async def choose(self, key: str, value: str) -> None:
        control = self.find(key)
        self.session.apply_patch(control._i, {"value": value})
        await self.session.dispatch_event(control._i, "change", value)
        await self.settle()

    async def pick_files(self, *files: tuple[str, bytes]) -> None:
        """What the browser's file chooser hands over after "Bestanden selecteren" (with data)."""
        router = self.page.on_route_change.__self__  # type: ignore[union-attr]
        picker = router.files.picker
        payload = [
            {"id": i, "name": name, "size": len(data), "bytes": data} for i, (name, data) in enumerate(files)
        ]
        await self.session.dispatch_event(picker._i, "result", {"files": payload})
        await self.settle_work()

    async def paste_files(self, key: str, *files: tuple[str, str, bytes]) -> None:
        """Files pasted (or, on the web, dropped) into the text field `key`: (name, type, bytes)."""
        control = self.find(key)
        payload = [{"name": name, "mime_type": mime, "bytes": data} for name, mime, data in files]
        await self.session.dispatch_event(control._i, "paste_files", {"files": payload})
        await self.settle_work()

    async def tap_map(self, lat: float, lon: float) -> None:
        control = next(c for c in self.controls() if isinstance(c, fm.Map))
        event = {"coordinates": {"latitude": lat, "longitude": lon}, "local_position": {"x": 1, "y": 1}}
        await self.session.dispatch_event(control._i, "tap", event)
        await self.settle()

    async def settle_work(self) -> None:
        """Settle, giving worker threads (photo processing) real time to finish."""
        for _ in range(100):
            await self.settle()
            shell = self.app_shell
            if not shell.report.attachments.processing:
                return
            await asyncio.sleep(0.01)

    async def back(self) -> None:
        """The app bar's back arrow (or Android's back button): a view pop."""
        await self.session.dispatch_event(self.page._i, "view_pop", {"route": self.top.route})
        await self.settle()

    async def stop(self) -> None:
        """Close the app (the page goes); stopping twice is stopping once."""
        if self.stopped:
            return
        self.stopped = True
        shell = self.app_shell
        shell.close()
        if self._main is not None and not self._main.done():
            self._main.cancel()
            await asyncio.gather(self._main, return_exceptions=True)
        assert self.client.crashes == [], self.client.crashes
