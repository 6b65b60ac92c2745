"""Flet views: they render view-model state and forward events, nothing more.

`Router` (router.py) maps routes to screens; each screen builds its controls once and copies
view-model state into them in `refresh()`, so typing never rebuilds a field under the cursor.
"""
