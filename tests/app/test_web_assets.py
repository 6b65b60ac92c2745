"""The web page the app serves is flet-web's own plus one script (the drop-to-paste bridge):
a Flet upgrade that changes its page makes this fail, so the copy is refreshed, not left stale."""

from __future__ import annotations

from pathlib import Path

import flet_web

ASSETS = Path(__file__).resolve().parents[2] / "assets"
OUR_LINES = (
    "\n  <!-- CNA: files dropped on the page reach the focused text field as a paste (docs/app.md). -->"
    '\n  <script src="cna-drop.js"></script>'
)


def test_the_served_page_is_flet_webs_page_plus_the_drop_bridge() -> None:
    theirs = (Path(flet_web.__file__).parent / "web" / "index.html").read_text("utf-8")
    ours = (ASSETS / "index.html").read_text("utf-8")
    anchor = '<script src="python.js"></script>'
    assert ours == theirs.replace(anchor, anchor + OUR_LINES, 1)
    assert (ASSETS / "cna-drop.js").read_text("utf-8").count('addEventListener("drop"') == 1
