"""Files into the report form: the file chooser ("Bestanden selecteren"), pasting and dropping.

How the bytes reach Python depends on where Python runs:

- **web** (Python on the server, the file in the browser): with an upload folder configured
  (`CNA_APP_UPLOAD_DIR`; `cna_app.app.run` always sets one in web mode) each chosen file is PUT to
  Flet's signed upload URL, read once, and deleted at once. Without one the bytes come over the
  websocket (`with_data`), which is capped at 16 MiB per message by uvicorn: three large photos in
  one selection could exceed it, which is why the upload route is preferred.
- **desktop and mobile**: the picker gives a path; the file is read in a worker thread.
- **paste** (and drop on the web, see `assets/cna-drop.js`): the bytes arrive with the event.

The chooser is opened by a `PickFiles` client action, i.e. inside the user's tap, which is the
only way a browser on iOS opens it. Files beyond the form's remaining room are not fetched at
all; they still reach the form (without bytes) so it can say why they were left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from cna_app.services.photos import MAX_RAW_IMAGE_BYTES, IncomingFile

ALLOWED_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "heif", "pdf"]
UPLOAD_TIMEOUT_S = 300.0
UPLOAD_URL_TTL_S = 600
CLIENT_TIMEOUT_S = 10.0
Deliver = Callable[[list[IncomingFile]], Awaitable[None]]
logger = logging.getLogger(__name__)


class FileIntake:
    """One per page. `connect(deliver, room)` points it at the form that wants the files."""

    def __init__(self, page: ft.Page, *, upload_dir: str | None) -> None:
        self._page = page
        self._root = Path(upload_dir).resolve() if upload_dir and page.web else None
        self._folder = uuid.uuid4().hex  # this page's own corner of the upload folder
        self._deliver: Deliver | None = None
        self._room: Callable[[], int] = lambda: 0
        self._changed: Callable[[], None] = lambda: None
        self._pending: asyncio.Future[None] | None = None
        self.receiving: str | None = None  # name of the file in transfer, for the form to show
        self.picker = ft.FilePicker(on_result=self._picked, on_upload=self._uploaded)

    def connect(self, deliver: Deliver, room: Callable[[], int], changed: Callable[[], None]) -> None:
        """Files go to `deliver`; at most `room()` are fetched; `changed()` when a transfer starts or ends."""
        self._deliver, self._room, self._changed = deliver, room, changed

    def action(self) -> ft.PickFiles:
        """What "Bestanden selecteren" carries: the chooser opens on the client, in the tap."""
        return ft.PickFiles(
            self.picker,
            allow_multiple=True,
            with_data=self._page.web and self._root is None,
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=ALLOWED_EXTENSIONS,
        )

    async def pasted(self, e: ft.TextFieldPasteFilesEvent) -> None:
        files = [IncomingFile(item.name or "geplakt-bestand", bytes(item.bytes or b"")) for item in e.files]
        await self._hand_over(files)

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root / self._folder, ignore_errors=True)

    async def _picked(self, e: ft.FilePickerResultEvent) -> None:
        room = self._room()
        wanted, extra = e.files[:room], e.files[room:]
        files = [await self._fetch(item) for item in wanted]
        files += [IncomingFile(item.name, b"") for item in extra]  # refused by the form, never fetched
        await self._hand_over(files)

    async def _hand_over(self, files: list[IncomingFile]) -> None:
        if files and self._deliver is not None:
            await self._deliver(files)

    async def _fetch(self, item: ft.FilePickerFile) -> IncomingFile:
        if item.size is not None and item.size > MAX_RAW_IMAGE_BYTES:
            return IncomingFile(item.name, b"", problem="too_large")
        if item.bytes is not None:
            return IncomingFile(item.name, bytes(item.bytes))
        if item.path:
            return await asyncio.to_thread(_read_file, item.name, Path(item.path))
        if self._root is not None:
            return await self._upload(item)
        return IncomingFile(item.name, b"", problem="transfer_failed")

    async def _upload(self, item: ft.FilePickerFile) -> IncomingFile:
        relative = f"{self._folder}/{uuid.uuid4().hex}"
        target = self._root / relative if self._root else Path()
        self._pending = asyncio.get_running_loop().create_future()
        self.receiving = item.name
        self._changed()
        try:
            url = self._page.get_upload_url(relative, UPLOAD_URL_TTL_S)
            upload = ft.FilePickerUploadFile(upload_url=url, id=item.id, name=item.name)
            await asyncio.wait_for(self.picker.upload([upload]), CLIENT_TIMEOUT_S)
            await asyncio.wait_for(self._pending, UPLOAD_TIMEOUT_S)
            return await asyncio.to_thread(_read_file, item.name, target)
        except (TimeoutError, RuntimeError, OSError) as exc:
            logger.info("upload of a picked file failed: %s", type(exc).__name__)
            return IncomingFile(item.name, b"", problem="transfer_failed")
        finally:
            self.receiving, self._pending = None, None
            self._changed()
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)

    def _uploaded(self, e: ft.FilePickerUploadEvent) -> None:
        pending = self._pending
        if pending is None or pending.done():
            return
        if e.error:
            pending.set_exception(RuntimeError(e.error))
        elif e.progress is not None and e.progress >= 1.0:
            pending.set_result(None)


def _read_file(name: str, path: Path) -> IncomingFile:
    try:
        if path.stat().st_size > MAX_RAW_IMAGE_BYTES:
            return IncomingFile(name, b"", problem="too_large")
        return IncomingFile(name, path.read_bytes())
    except OSError:
        return IncomingFile(name, b"", problem="transfer_failed")
