"""The app's ports to the outside world (relay, token storage, preferences, device locale).

Interfaces here are plain Python and never import flet: view models depend on them and are tested
with fakes. Adapters that need flet live in `cna_app.adapters`.
"""
