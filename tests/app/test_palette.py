"""WCAG AA contrast of every colour pair the views use, in light and dark theme, for any
municipality colour (including unreadable brand colours and garbage from the config)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cna_app.palette import (
    NON_TEXT_CONTRAST,
    TEXT_CONTRAST,
    Scheme,
    contrast_ratio,
    normalise_color,
    parse_hex,
    schemes_for,
    with_contrast,
)
from cna_app.views.theme import color_scheme

# (foreground, background) pairs as the views combine them.
TEXT_PAIRS = [
    ("on_surface", "surface"),
    ("on_surface", "container"),
    ("muted", "surface"),
    ("muted", "container"),
    ("primary", "surface"),  # text buttons, links
    ("primary", "container"),
    ("on_primary", "primary"),  # filled buttons, app bar
    ("error", "surface"),
    ("error", "container"),
    ("on_error", "error"),  # the delete button
    ("success", "surface"),
    ("success", "container"),
    ("surface", "on_surface"),  # snackbars use the inverse pair
]
NON_TEXT_PAIRS = [("outline", "surface"), ("outline", "container"), ("primary", "surface")]


def assert_accessible(scheme: Scheme) -> None:
    colours = scheme.as_dict()
    for fg, bg in TEXT_PAIRS:
        assert contrast_ratio(colours[fg], colours[bg]) >= TEXT_CONTRAST, (fg, bg, colours)
    for fg, bg in NON_TEXT_PAIRS:
        assert contrast_ratio(colours[fg], colours[bg]) >= NON_TEXT_CONTRAST, (fg, bg, colours)


@pytest.mark.parametrize(
    "brand",
    [
        "#0B5C8E",
        "#FFFF00",
        "#FFFFFF",
        "#000000",
        "#E30613",
        "#7FD49A",
        "#808080",
        "#00F",
        "not a colour",
        None,
    ],
)
def test_known_brand_colours_give_accessible_schemes(brand: object) -> None:
    for scheme in schemes_for(brand):
        assert_accessible(scheme)


@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_every_brand_colour_gives_accessible_schemes(rgb: tuple[int, int, int]) -> None:
    for scheme in schemes_for("#{:02x}{:02x}{:02x}".format(*rgb)):
        assert_accessible(scheme)


def test_a_readable_brand_colour_is_kept_as_is() -> None:
    light, _ = schemes_for("#0B5C8E")
    assert light.primary == "#0B5C8E"


def test_an_unreadable_brand_colour_keeps_its_hue_but_darkens() -> None:
    light, dark = schemes_for("#FFFF00")
    r, g, b = parse_hex(light.primary) or (0, 0, 0)
    assert r == g and b == 0 and r < 0xFF
    assert dark.primary == "#FFFF00"


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert with_contrast("#777777", against="#FFFFFF") != "#777777"


@pytest.mark.parametrize("raw", ["#12", "#GGGGGG", "123456", "#1234567", "", 0x123456, "#12345"])
def test_malformed_colours_fall_back_to_the_default(raw: object) -> None:
    assert parse_hex(raw) is None
    assert normalise_color(raw) == "#0B5C8E"


def test_the_flet_theme_uses_the_checked_colours() -> None:
    light, _ = schemes_for("#E30613")
    material = color_scheme(light)
    assert (material.primary, material.on_primary, material.surface, material.on_surface) == (
        light.primary,
        light.on_primary,
        light.surface,
        light.on_surface,
    )
    assert (material.on_surface_variant, material.error, material.tertiary) == (
        light.muted,
        light.error,
        light.success,
    )
    assert material.surface_container == light.container
    assert (material.inverse_surface, material.on_inverse_surface) == (light.on_surface, light.surface)
