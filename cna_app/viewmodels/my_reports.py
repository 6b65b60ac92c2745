""" "Mijn meldingen": the citizen's reports as the relay knows them, newest first, a page at a time,
each with its thumbnail (fetched with the bearer token, so not as a plain image URL); the reports
still waiting on the device are the outbox's (`ReportFlow.outbox`) and shown above them.

In offline mode the relay's list is not asked for (`needs_connection`): the waiting reports
still show, and the list loads by itself once the relay answers again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from cna_app.contract.wire import ReportView
from cna_app.services.errors import RelayError, SessionExpired
from cna_app.viewmodels.forms import FormState
from cna_app.viewmodels.navigation import Route
from cna_app.viewmodels.report_context import ReportShellPort
from cna_app.viewmodels.report_form import ReportFlow

T = TypeVar("T")
PAGE_SIZE = 20


class MyReportsFlow:
    def __init__(self, shell: ReportShellPort, report: ReportFlow) -> None:
        self._shell = shell
        self._report = report
        self.items: list[ReportView] = []
        self.next_cursor: str | None = None
        self.loaded = False
        self.form = FormState()
        self.thumbnails: dict[str, bytes] = {}
        # The list was wanted while the app was offline; it loads once the relay answers.
        self.needs_connection = False
        self._loaded_for: tuple[str, int] | None = None
        self._asked_for: tuple[str, int] | None = None
        self._thumbnailer: asyncio.Task[None] | None = None

    @property
    def stale(self) -> bool:
        """A report reached the relay (e.g. from the outbox) since the list was last asked for,
        or the list was wanted offline and the relay answers now."""
        if self.needs_connection:
            return not self._shell.offline
        return self._asked_for is not None and self._key() != self._asked_for

    def _key(self) -> tuple[str, int]:
        account = self._shell.session.account
        return (account["id"] if account else "", self._report.deliveries)

    async def load(self) -> None:
        """The first page, unless what is shown is still current (same account, no new report)."""
        key = self._key()
        if self.form.busy or (self.loaded and key == self._loaded_for):
            return
        self.needs_connection = self._shell.offline
        if self.needs_connection:
            self._shell.changes.notify()
            return
        self._asked_for = key
        page = await self._call(lambda token: self._shell.relay.list_reports(token, limit=PAGE_SIZE))
        if page is None:
            return
        self.items, self.next_cursor, self.loaded = list(page["items"]), page["next_cursor"], True
        self._loaded_for = key
        self._report.outbox.poke()
        self._fetch_thumbnails()
        self._shell.changes.notify()

    async def load_more(self) -> None:
        cursor = self.next_cursor
        if cursor is None or self.form.busy:
            return
        page = await self._call(
            lambda token: self._shell.relay.list_reports(token, limit=PAGE_SIZE, cursor=cursor)
        )
        if page is None:
            return
        known = {item["id"] for item in self.items}
        self.items += [item for item in page["items"] if item["id"] not in known]
        self.next_cursor = page["next_cursor"]
        self._fetch_thumbnails()
        self._shell.changes.notify()

    def discard_draft(self) -> None:
        """Another account (or none): the list must not linger on screen."""
        if self._thumbnailer is not None:
            self._thumbnailer.cancel()
        self.items, self.next_cursor, self.loaded = [], None, False
        self._loaded_for = self._asked_for = None
        self.needs_connection = False
        self.thumbnails.clear()
        self.form.clear()

    close = discard_draft

    async def _call(self, call: Callable[[str], Awaitable[T]]) -> T | None:
        self.form.clear()
        self.form.busy = True
        self._shell.changes.notify()
        try:
            return await self._shell.session.authorized(call)
        except SessionExpired:
            await self._shell.session_expired(Route.REPORTS)
        except RelayError as error:
            self.form.show(error, fields=())
        finally:
            self.form.busy = False
            self._shell.changes.notify()
        return None

    def _thumbnail_call(self, path: str) -> Callable[[str], Awaitable[bytes]]:
        return lambda token: self._shell.relay.report_thumbnail(token, path)

    def _fetch_thumbnails(self) -> None:
        if self._thumbnailer is None or self._thumbnailer.done():
            self._thumbnailer = asyncio.get_running_loop().create_task(self._thumbnails())

    async def _thumbnails(self) -> None:
        # One at a time and only the missing ones: a slow connection should show the list first.
        while todo := [i for i in self.items if i["thumbnail_url"] and i["id"] not in self.thumbnails]:
            item = todo[0]
            try:
                data = await self._shell.session.authorized(self._thumbnail_call(item["thumbnail_url"] or ""))
            except RelayError:
                data = b""  # shown as an icon; not asked again on this page
            self.thumbnails[item["id"]] = data
            self._shell.changes.notify()
