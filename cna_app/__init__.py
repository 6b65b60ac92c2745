"""CNA citizen app (Flet). Only this package ships in the app bundle.

`cna_app.contract` is the wire contract shared with the relay: pure Python, importable without
flet. Everything else in this package is the client.
"""
