"""The relay's user-facing text (error messages) in nl, fr and en, and language negotiation."""

from cna_relay.i18n.catalog import LANGUAGES, Catalog, negotiate_language

__all__ = ["LANGUAGES", "Catalog", "negotiate_language"]
