"""The app's colours, per theme (light and dark), and the text sizes a user can pick. No Kivy:
tests compute the WCAG contrast of every text/background pair from here, and the .kv rules read
their colours only from the running app's theme (``app.theme.<role>``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

RGBA = tuple[float, float, float, float]


def rgba(hex_colour: str) -> RGBA:
    """``"#1d4ed8"`` as Kivy's (r, g, b, a) floats, opaque."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, 1.0)


@dataclass(frozen=True)
class Theme:
    """Colours by role. ``on_x`` is the text drawn on the fill ``x``."""

    name: str
    label: str
    background: RGBA  # the window behind everything
    surface: RGBA  # cards, bars, table rows
    raised: RGBA  # secondary buttons, fields, striped rows, items inside cards
    pressed: RGBA  # a button held down; an unlit vote button
    disabled: RGBA  # a button that cannot be pressed now (its text is ``muted``)
    text: RGBA
    muted: RGBA  # secondary text
    accent: RGBA  # primary buttons, the selected screen
    on_accent: RGBA
    good: RGBA  # a lit Like
    on_good: RGBA
    bad: RGBA  # a lit Dislike
    on_bad: RGBA
    warn: RGBA  # the NON-COMMERCIAL badge
    on_warn: RGBA
    error_text: RGBA
    ok_text: RGBA
    warn_text: RGBA  # a caution in words (a file the app does not recognise)
    info_text: RGBA  # category headings, "what leaves" (a calm colour that is not a button)
    focus: RGBA  # the ring around the widget the keyboard acts on
    overlay: RGBA  # behind a dialog (translucent)

    def colour(self, role: str) -> RGBA:
        """The colour of ``role`` (KeyError if there is no such role)."""
        if role not in ROLES:
            raise KeyError(role)
        value: RGBA = getattr(self, role)
        return value


ROLES: Final = frozenset(f.name for f in fields(Theme)) - {"name", "label"}

# The fills that carry white text (buttons, the selected screen, lit votes) and the warning
# badge are the same in both themes: each is dark enough for white, light enough to stand out.
_SHARED_FILLS: Final = {
    "accent": rgba("#1d4ed8"),
    "on_accent": rgba("#ffffff"),
    "good": rgba("#15803d"),
    "on_good": rgba("#ffffff"),
    "bad": rgba("#b91c1c"),
    "on_bad": rgba("#ffffff"),
    "warn": rgba("#f59e0b"),
}

DARK: Final = Theme(
    name="dark",
    label="Dark",
    background=rgba("#1b1d22"),
    surface=rgba("#272a31"),
    raised=rgba("#353942"),
    pressed=rgba("#4a4f5b"),
    disabled=rgba("#2e3138"),
    text=rgba("#eef0f5"),
    muted=rgba("#a9b0bd"),
    **_SHARED_FILLS,
    on_warn=rgba("#1b1d22"),
    error_text=rgba("#ff8a80"),
    ok_text=rgba("#74d99a"),
    warn_text=rgba("#fbbf24"),
    info_text=rgba("#8cb8ff"),
    focus=rgba("#ffd166"),
    overlay=(0.0, 0.0, 0.0, 0.6),
)

LIGHT: Final = Theme(
    name="light",
    label="Light",
    background=rgba("#eef0f3"),
    surface=rgba("#ffffff"),
    raised=rgba("#e4e7ec"),
    pressed=rgba("#d0d5dd"),
    disabled=rgba("#f2f3f5"),
    text=rgba("#1a1d23"),
    muted=rgba("#4e5562"),
    **_SHARED_FILLS,
    on_warn=rgba("#1a1d23"),
    error_text=rgba("#b42318"),
    ok_text=rgba("#146c36"),
    warn_text=rgba("#92400e"),
    info_text=rgba("#1e4fb5"),
    focus=rgba("#c2410c"),
    overlay=(0.0, 0.0, 0.0, 0.45),
)

THEMES: Final = {theme.name: theme for theme in (DARK, LIGHT)}
DEFAULT_THEME: Final = DARK.name

# Every text colour the rules draw, with every fill it is drawn on (WCAG AA: 4.5:1).
TEXT_PAIRS: Final = (
    *(("text", fill) for fill in ("background", "surface", "raised", "pressed")),
    *(("muted", fill) for fill in ("background", "surface", "raised", "disabled")),
    ("on_accent", "accent"),
    ("on_good", "good"),
    ("on_bad", "bad"),
    ("on_warn", "warn"),
    *(("error_text", fill) for fill in ("background", "surface", "raised")),
    *(("ok_text", fill) for fill in ("background", "surface")),
    *(("warn_text", fill) for fill in ("background", "surface", "raised")),
    *(("info_text", fill) for fill in ("background", "surface")),
)
# The focus ring against what it is drawn over (WCAG 1.4.11, non-text: 3:1): it is drawn just
# outside the focused widget, so over the fills of containers, never the widget's own.
FOCUS_PAIRS: Final = tuple(("focus", fill) for fill in ("background", "surface", "raised"))
TEXT_CONTRAST: Final = 4.5
NON_TEXT_CONTRAST: Final = 3.0

# The text sizes offered in Settings: (label, factor on every font size).
FONT_SCALES: Final = (("Small", 0.9), ("Normal", 1.0), ("Large", 1.15), ("Largest", 1.3))
DEFAULT_FONT_SCALE: Final = 1.0


def relative_luminance(colour: RGBA) -> float:
    """WCAG 2.x relative luminance of an opaque sRGB colour."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: RGBA, second: RGBA) -> float:
    """WCAG contrast ratio of two opaque colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_named(name: str) -> Theme:
    """The theme called ``name``; ValueError names the ones there are."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"no theme {name!r}; there are {', '.join(THEMES)}") from None


def checked_font_scale(scale: float) -> float:
    """``scale`` if Settings offers it; ValueError otherwise."""
    offered = [factor for _, factor in FONT_SCALES]
    if scale not in offered:
        raise ValueError(f"text size {scale!r} is not one of {offered}")
    return scale
