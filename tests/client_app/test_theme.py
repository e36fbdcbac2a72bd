"""The palette: every text colour the app draws is readable on every fill it is drawn on
(WCAG AA) in both themes, and the .kv rules take their colours from the palette only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from client_app.ui.theme import (
    DARK,
    FOCUS_PAIRS,
    FONT_SCALES,
    LIGHT,
    NON_TEXT_CONTRAST,
    ROLES,
    TEXT_CONTRAST,
    TEXT_PAIRS,
    THEMES,
    Theme,
    checked_font_scale,
    contrast_ratio,
    rgba,
    theme_named,
)

UI = Path(__file__).resolve().parents[2] / "client_app" / "ui"
KV_FILES = sorted((UI / "kv").glob("*.kv"))
# Properties that colour text, and properties that fill what text is drawn on.
TEXT_COLOUR_KEYS = (
    "color",
    "disabled_color",
    "foreground_color",
    "disabled_foreground_color",
    "hint_text_color",
    "title_color",
)
FILL_KEYS = ("background_color", "rgba", "color_selected", "odd_color", "even_color")
TRANSPARENT = "(0, 0, 0, 0)"
ROLE_REFERENCE = re.compile(r"app\.theme\.(\w+)")


def kv_values(key: str) -> list[tuple[str, str]]:
    """(file:line, value) of every ``key: value`` line of the .kv files."""
    found = []
    for path in KV_FILES:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = re.match(rf"\s*{key}:\s*(.+)$", line)
            if match:
                found.append((f"{path.name}:{number}", match.group(1)))
    return found


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_every_text_colour_is_readable_on_every_fill_it_is_drawn_on(theme: Theme) -> None:
    def below(pairs: tuple[tuple[str, str], ...], floor: float) -> dict[str, float]:
        ratios = {(a, b): contrast_ratio(theme.colour(a), theme.colour(b)) for a, b in pairs}
        return {f"{a} on {b}": round(r, 2) for (a, b), r in ratios.items() if r < floor}

    unreadable = below(TEXT_PAIRS, TEXT_CONTRAST)
    assert not unreadable, f"{theme.name}: text below {TEXT_CONTRAST}:1: {unreadable}"
    faint = below(FOCUS_PAIRS, NON_TEXT_CONTRAST)
    assert not faint, f"{theme.name}: a focus ring below {NON_TEXT_CONTRAST}:1: {faint}"


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast_ratio(rgba("#000000"), rgba("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(rgba("#777777"), rgba("#777777")) == pytest.approx(1.0)
    # Reference values from the WCAG contrast checker.
    assert contrast_ratio(rgba("#ffffff"), rgba("#1d4ed8")) == pytest.approx(6.70, abs=0.01)
    assert contrast_ratio(rgba("#767676"), rgba("#ffffff")) == pytest.approx(4.54, abs=0.01)
    # What issue 13 measured: the old text colour on the old green "Liked" (2.4:1) and on the
    # old blue primary buttons (3.4:1).
    old_text = (0.93, 0.94, 0.96, 1.0)
    assert contrast_ratio(old_text, (0.30, 0.69, 0.44, 1.0)) == pytest.approx(2.37, abs=0.01)
    assert contrast_ratio(old_text, (0.24, 0.49, 0.93, 1.0)) == pytest.approx(3.43, abs=0.01)


def test_the_kv_rules_draw_text_only_in_the_palettes_text_pairs() -> None:
    texts = {text for text, _ in TEXT_PAIRS}
    fills = {fill for _, fill in TEXT_PAIRS} | {fill for _, fill in FOCUS_PAIRS}
    problems = []
    for key in TEXT_COLOUR_KEYS:
        for where, value in kv_values(key):
            roles = ROLE_REFERENCE.findall(value)
            if not roles:
                problems.append(f"{where}: {key} is not a palette colour: {value}")
            wrong = [role for role in roles if role not in texts]
            problems += [f"{where}: {key} uses {role}, not a text role" for role in wrong]
    for key in FILL_KEYS:
        for where, value in kv_values(key):
            roles = ROLE_REFERENCE.findall(value)
            if not roles and TRANSPARENT not in value.replace("0, 0, 0, 0", TRANSPARENT):
                problems.append(f"{where}: {key} is not a palette colour: {value}")
            allowed = fills | {"focus", "overlay"}
            problems += [f"{where}: {key} uses {r}, not a fill" for r in roles if r not in allowed]
    assert not problems, "\n".join(problems)


def test_every_colour_the_kv_rules_name_is_in_the_palette() -> None:
    named = {role for path in KV_FILES for role in ROLE_REFERENCE.findall(path.read_text())}
    assert named, "the .kv rules name no palette colour"
    assert named <= ROLES, f"not in the palette: {sorted(named - ROLES)}"
    # No colour is spelled out in Python beside the rules either.
    for source in sorted(UI.rglob("*.py")):
        if source.name == "theme.py":
            continue
        text = source.read_text()
        assert not re.search(r"\bcolou?r\s*=\s*\(", text), f"{source}: a colour outside the palette"


def test_themes_and_text_sizes_are_chosen_by_name_and_refuse_others() -> None:
    assert theme_named("light") is LIGHT and theme_named("dark") is DARK
    with pytest.raises(ValueError, match="no theme 'sepia'; there are dark, light"):
        theme_named("sepia")
    assert [checked_font_scale(factor) for _, factor in FONT_SCALES] == [0.9, 1.0, 1.15, 1.3]
    with pytest.raises(ValueError, match=r"text size 3\.0 is not one of"):
        checked_font_scale(3.0)
    with pytest.raises(ValueError, match="not a #rrggbb colour"):
        rgba("#fff")
    with pytest.raises(KeyError):
        DARK.colour("name")
