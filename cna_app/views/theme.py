"""The Flet themes built from `cna_app.palette`: every colour a view uses is a theme role, so the
contrast test on the palette covers what is on screen in light and dark mode."""

from __future__ import annotations

import flet as ft

from cna_app.palette import Scheme, readable_on, schemes_for

FONT_FAMILY = "DejaVu Sans"
HEADING_FAMILY = "DejaVu Sans Bold"
# Bundled so accents, ✓ and ✗ render offline (flet-web ships Roboto without symbol fallbacks).
FONTS = {FONT_FAMILY: "fonts/DejaVuSans.ttf", HEADING_FAMILY: "fonts/DejaVuSans-Bold.ttf"}


def color_scheme(scheme: Scheme) -> ft.ColorScheme:
    """Material roles from our scheme. `tertiary` carries "success" (met password rules)."""
    return ft.ColorScheme(
        primary=scheme.primary,
        on_primary=scheme.on_primary,
        primary_container=scheme.container,
        on_primary_container=scheme.on_surface,
        secondary=scheme.primary,
        on_secondary=scheme.on_primary,
        secondary_container=scheme.container,
        on_secondary_container=scheme.on_surface,
        tertiary=scheme.success,
        on_tertiary=readable_on(scheme.success),
        error=scheme.error,
        on_error=scheme.on_error,
        error_container=scheme.container,
        on_error_container=scheme.error,
        surface=scheme.surface,
        on_surface=scheme.on_surface,
        on_surface_variant=scheme.muted,
        surface_container_lowest=scheme.container,
        surface_container_low=scheme.container,
        surface_container=scheme.container,
        surface_container_high=scheme.container,
        surface_container_highest=scheme.container,
        outline=scheme.outline,
        outline_variant=scheme.outline,
        inverse_surface=scheme.on_surface,
        on_inverse_surface=scheme.surface,
        inverse_primary=scheme.container,
    )


def build_theme(scheme: Scheme) -> ft.Theme:
    return ft.Theme(
        color_scheme=color_scheme(scheme),
        font_family=FONT_FAMILY,
        scaffold_bgcolor=scheme.surface,
        # Desktop browsers default to the compact density, which shrinks buttons below 48 px.
        visual_density=ft.VisualDensity.STANDARD,
        appbar_theme=ft.AppBarTheme(bgcolor=scheme.primary, color=scheme.on_primary),
    )


def apply_theme(page: ft.Page, brand_color: object) -> None:
    """Light and dark themes for the municipality colour; the device chooses which one."""
    light, dark = schemes_for(brand_color)
    page.fonts = dict(FONTS)
    page.theme = build_theme(light)
    page.dark_theme = build_theme(dark)
    page.theme_mode = ft.ThemeMode.SYSTEM
