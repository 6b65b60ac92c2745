"""End-to-end fixtures: the app in web mode as its own process, driven by Debian's Chromium.

- `chromium`     one headless browser per session (Playwright with `/usr/bin/chromium`; nothing is
                 ever downloaded)
- `start_app`    starts `python main.py` in web mode on a free port (or a given one, to start the
                 same app again for the same browser storage) against a given relay URL, waits
                 for it over HTTP, stops it afterwards (or earlier: `RunningApp.stop()`); its log
                 goes to the artifacts folder
- `open_app`     opens a started app in a fresh browser context (nl-BE unless told otherwise,
                 optionally with an emulated GPS position), or in the context of an earlier tab
                 (`like=`: same local storage, as when a citizen opens the app again), turns
                 Flutter's semantics tree on and returns an `AppPage`
- `report_stack` the relay (restartable), simulator, mail sink, geocoder stub and tile server of
                 a report journey (`tests/e2e/stack.py`)

`AppPage` saves numbered screenshots under `test-artifacts/e2e/<test>/` and fails the test the
moment "Error running app" shows (a watcher in the page) or the app logs an unhandled error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from invgate_sim import SimConfig
from invgate_sim.mailsink import MailSink
from tests.app.fakes import make_config
from tests.e2e.stack import ReportStack
from tests.support.databases import sqlite_url
from tests.support.geocoder_stub import running_geocoder_stub
from tests.support.servers import free_port, serve_in_thread, wait_for_http
from tests.support.sim_fixtures import sim_config_for

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CRASH_TEXT = "Error running app"
# What the app's process logs when a handler, `main` or a page task fails.
APP_FAILURES = ("Unhandled error in", "Exception in callback", "Task exception was never retrieved")
# Flutter paints after the semantics DOM updates; screenshots wait this long for the frame.
PAINT_SETTLE_S = 0.8
# Installed before any page script: flags the page the moment Flet's crash screen appears.
CRASH_WATCHER = """
(() => {
  const check = () => {
    if (document.body && document.body.innerText.includes(CRASH_TEXT)) { window.__cnaCrashed = true; }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
  setInterval(check, 250);
})();
""".replace("CRASH_TEXT", repr(CRASH_TEXT))


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0

    def stop(self) -> None:
        """Stop the app's process (the citizen closes the app; the server is gone)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def assert_healthy(self) -> None:
        """No handler of the app failed. (A closing browser makes flet-web log a websocket
        traceback; that is the browser leaving, not the app failing, so it does not count.)"""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        for marker in APP_FAILURES:
            assert marker not in text, text[-4000:]


@pytest.fixture
def start_app(artifacts: Path) -> Iterator[Callable[..., RunningApp]]:
    started: list[tuple[RunningApp, object]] = []

    def start(relay_url: str, *, outbox_retry_s: str | None = None, port: int | None = None) -> RunningApp:
        port = port or free_port()
        env = {key: value for key, value in os.environ.items() if key not in {"DISPLAY", "WAYLAND_DISPLAY"}}
        env.update(
            CNA_APP_WEB="1",
            CNA_APP_PORT=str(port),
            CNA_RELAY_URL=relay_url,
            FLET_SECRET_KEY="e2e-test-secret",
            FLET_FORCE_WEB_SERVER="1",
        )
        if outbox_retry_s is not None:
            env["CNA_APP_OUTBOX_RETRY_S"] = outbox_retry_s
        log = artifacts / f"app-{len(started) + 1}.log"
        handle = log.open("wb")
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py")],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        app = RunningApp(url=f"http://127.0.0.1:{port}/", process=process, log=log, port=port)
        started.append((app, handle))
        try:
            wait_for_http(app.url, timeout=60)
        except TimeoutError:
            process.kill()
            raise AssertionError(
                f"the app did not start:\n{log.read_text(errors='replace')[-4000:]}"
            ) from None
        return app

    yield start
    for app, handle in started:
        app.stop()
        handle.close()  # type: ignore[attr-defined]
    for app, _ in started:
        app.assert_healthy()


@dataclass
class AppPage:
    """A browser tab on the app, through Flutter's accessibility tree."""

    page: Page
    artifacts: Path
    app: RunningApp
    shots: list[Path] = field(default_factory=list)

    def check(self) -> None:
        crashed = self.page.evaluate("window.__cnaCrashed === true")
        assert not crashed, f"the app showed {CRASH_TEXT!r}"
        self.app.assert_healthy()

    def shot(self, name: str) -> Path:
        time.sleep(PAINT_SETTLE_S)
        self.check()
        path = self.artifacts / f"{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(path)
        return path

    def text(self, text: str | re.Pattern[str], *, timeout_s: float = 20) -> Locator:
        """The element showing `text` once it is there; fails early if the app crashes meanwhile."""
        locator = self.page.get_by_text(text).first
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check()
            if locator.count() and locator.is_visible():
                return locator
            self.page.wait_for_timeout(100)
        self.page.screenshot(path=str(self.artifacts / "failure.png"))
        raise AssertionError(f"{text!r} did not appear; the page shows:\n{self.visible_text()}")

    def has_text(self, text: str) -> bool:
        self.page.wait_for_timeout(PAINT_SETTLE_S * 1000)
        return bool(self.page.get_by_text(text).count())

    def button(self, name: str | re.Pattern[str]) -> Locator:
        locator = self.page.get_by_role("button", name=name).first
        locator.wait_for(state="visible", timeout=20_000)
        return locator

    def click(self, name: str | re.Pattern[str]) -> None:
        self.check()
        self.button(name).click()
        self.check()

    def pick(self, menu: str | re.Pattern[str], item: str) -> None:
        """Open a popup menu and choose an item (items are `menuitem`s in the semantics tree)."""
        self.click(menu)
        choice = self.page.get_by_role("menuitem", name=item).first
        choice.wait_for(state="visible", timeout=20_000)
        choice.click()
        self.check()

    def fill(self, label: str | re.Pattern[str], value: str) -> None:
        """Type into a field: click first, or Flutter types into the previously focused field."""
        self.check()
        field_ = self.page.get_by_label(label).first
        field_.wait_for(state="visible", timeout=20_000)
        field_.click()
        field_.fill("")
        field_.press_sequentially(value)
        self.check()

    def labels(self) -> list[str]:
        """What a screen reader announces: each semantics node's label or own text."""
        # Flutter web puts a node's label in `aria-label` or in a <span> directly under the node.
        script = """Array.from(document.querySelectorAll('flt-semantics')).map(
            e => e.getAttribute('aria-label')
              || Array.from(e.children).filter(c => c.tagName === 'SPAN').map(c => c.textContent).join(' ')
        ).map(s => (s || '').trim()).filter(Boolean)"""
        labels: list[str] = self.page.evaluate(script)
        return labels

    def wait_for_label(self, label: str, *, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check()
            if label in self.labels():
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"no {label!r} among {self.labels()}")

    def said(self, pattern: str | re.Pattern[str], *, timeout_s: float = 20) -> str:
        """The first screen-reader label or visible text matching `pattern`, once there. Cards
        that are one semantics node (a report in a list) carry their text in `aria-label`."""
        wanted = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check()
            for label in [*self.labels(), self.visible_text()]:
                if wanted.search(label):
                    return label
            self.page.wait_for_timeout(100)
        self.page.screenshot(path=str(self.artifacts / "failure.png"))
        raise AssertionError(f"nothing matches {wanted.pattern!r} among {self.labels()}")

    def visible_text(self) -> str:
        return self.page.evaluate("document.body.innerText")

    def button_heights(self) -> dict[str, float]:
        heights = {}
        for button in self.page.locator("flt-semantics[role=button]").all():
            box = button.bounding_box()
            if box and box["height"] > 0:
                heights[button.get_attribute("aria-label") or button.inner_text()] = box["height"]
        return heights


@pytest.fixture
def open_app(chromium: Browser, artifacts: Path) -> Iterator[Callable[..., AppPage]]:
    contexts = []

    def open_(
        app: RunningApp,
        *,
        path: str = "",
        locale: str = "nl-BE",
        width: int = 420,
        height: int = 900,
        geolocation: tuple[float, float] | None = None,
        like: AppPage | None = None,
    ) -> AppPage:
        if like is not None:
            context = like.page.context
        else:
            options: dict[str, Any] = {"locale": locale, "viewport": {"width": width, "height": height}}
            if geolocation is not None:
                options["permissions"] = ["geolocation"]
                options["geolocation"] = {
                    "latitude": geolocation[0],
                    "longitude": geolocation[1],
                    "accuracy": 12,
                }
            context = chromium.new_context(**options)
            contexts.append(context)
        page = context.new_page()
        console = (artifacts / "browser-console.log").open("a", encoding="utf-8")
        page.on("console", lambda message: console.write(f"{message.type}: {message.text}\n"))
        page.on("pageerror", lambda error: console.write(f"pageerror: {error}\n"))
        page.on("framenavigated", lambda frame: console.write(f"navigated: {frame.url}\n"))
        page.add_init_script(CRASH_WATCHER)
        page.goto(app.url + path)
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
        page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        # A tab in an earlier tab's context continues its screenshot numbering.
        return AppPage(page=page, artifacts=artifacts, app=app, shots=like.shots if like else [])

    yield open_
    for context in contexts:
        context.close()


def config_only_relay() -> Starlette:
    """Just enough relay to answer `GET /v1/config`, for journeys that need no account."""

    async def config(request: Request) -> JSONResponse:
        return JSONResponse(make_config(name="Gemeente Testdorp", primary_color="#E30613"))

    return Starlette(routes=[Route("/v1/config", config)])


@pytest.fixture
def config_relay() -> Iterator[str]:
    with serve_in_thread(config_only_relay(), probe_path="/v1/config") as url:
        yield url


@pytest.fixture
def report_stack(sim_app: Any, sim_config: Any, mail_sink: Any, tmp_path: Path) -> Iterator[ReportStack]:
    """Relay (started), simulator, mail sink, geocoder stub and tile server for one journey."""
    from invgate_sim.tiles import create_tile_app

    with (
        running_geocoder_stub() as geocoder,
        serve_in_thread(create_tile_app(), probe_path="/1/0/0.png") as tiles,
    ):
        stack = ReportStack(
            sim_app=sim_app,
            sim_config=sim_config,
            mail=mail_sink,
            geocoder=geocoder,
            tiles_url=tiles,
            database_url=sqlite_url(tmp_path),
        )
        stack.start_relay()
        try:
            yield stack
        finally:
            stack.stop_relay()


@pytest.fixture
def sim_config(mail_sink: MailSink) -> SimConfig:
    """ESM's own "ticket created" mail off, as CNA deployments run it (docs/adr/0007): the
    citizen's one mail about a new report is the relay's confirmation."""
    return sim_config_for(mail_sink, notifications={"ticket_created": False})
