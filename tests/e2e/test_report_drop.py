"""Files dragged from the computer onto the web app, and pasted: `assets/cna-drop.js` turns a drop
into a paste on the focused text field (Flet 1.0.5's web client has no OS drop target), and a
drop with no field focused waits for the next one instead of making the browser open the file."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from tests.e2e.conftest import AppPage, RunningApp
from tests.e2e.stack import ReportStack, verified_citizen
from tests.e2e.test_report_journey import EMAIL, log_in
from tests.support import images

pytestmark = pytest.mark.e2e

# Builds a File from base64 in the page and fires dragenter/dragover/drop (or a paste) at `target`.
DROP = """([b64, name, type, how]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type}));
  if (how === "paste") {
    document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
    return;
  }
  const target = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2) || document.body;
  let handled = true;
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const event = new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true});
    target.dispatchEvent(event);
    if (kind !== "dragenter") handled = handled && event.defaultPrevented;
  }
  return handled;  // the browser's own handling (open the file, leave the app) was prevented
}"""


def send_file(tab: AppPage, name: str, data: bytes, content_type: str, how: str = "drop") -> bool | None:
    result: bool | None = tab.page.evaluate(DROP, [base64.b64encode(data).decode(), name, content_type, how])
    return result


def test_dropped_and_pasted_files_become_attachments(
    report_stack: ReportStack,
    start_app: Callable[..., RunningApp],
    open_app: Callable[..., AppPage],
) -> None:
    verified_citizen(report_stack, EMAIL)
    tab = open_app(start_app(report_stack.url))
    log_in(tab)

    tab.fill("Beschrijving", "Zwerfvuil langs de Ieperstraat.")
    assert send_file(tab, "gesleept.jpg", images.jpeg(800, 600, gps=False), "image/jpeg")
    tab.text("gesleept.jpg")
    tab.shot("dropped-on-the-description")

    tab.fill("Adres zoeken", "Ieper")
    send_file(tab, "schermafdruk.png", images.png(400, 300), "image/png", how="paste")
    tab.text("schermafdruk.jpg")
    tab.shot("pasted-into-the-address-field")

    tab.page.keyboard.press("Escape")
    tab.page.evaluate("document.activeElement && document.activeElement.blur()")
    assert send_file(tab, "plan.pdf", images.pdf(), "application/pdf")  # not opened by the browser
    assert not tab.has_text("plan.pdf")  # no field had the focus: the drop waits
    tab.fill("Beschrijving", " Ook een plan.")  # focusing a field delivers the waiting drop
    tab.text("plan.pdf")
    tab.shot("drop-delivered-on-focus")
