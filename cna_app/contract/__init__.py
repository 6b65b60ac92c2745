"""The wire contract between the app and the relay: one definition, used by both.

Pure Python (no flet, no pydantic) so the app bundle stays lean; the relay validates these
TypedDicts with pydantic. The relay may import this package; this package never imports the relay.
"""
