"""Adapters from the ports in `cna_app.services` to Flet's client services (secure storage,
shared preferences, device info, routing). Only these and `cna_app.views` import flet.

Every call that waits for the client is bounded by a timeout: a client build without the
service never answers, and the app must fall back instead of hanging.
"""
