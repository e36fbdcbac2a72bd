"""Where browsers keep their history: the Firefox and Chrome/Chromium-family profiles on Linux,
macOS and Windows. Pure path logic over an injectable home folder and environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Chromium-family browsers: (name, folder under the Linux config dir, under macOS's Application
# Support, under Windows' LOCALAPPDATA). Every profile folder holds a `History` file.
_CHROMIUM_FAMILY = (
    ("Chrome", "google-chrome", "Google/Chrome", "Google/Chrome/User Data"),
    ("Chromium", "chromium", "Chromium", "Chromium/User Data"),
    ("Brave", "BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser",
     "BraveSoftware/Brave-Browser/User Data"),
    ("Edge", "microsoft-edge", "Microsoft Edge", "Microsoft/Edge/User Data"),
)  # fmt: skip


@dataclass(frozen=True)
class BrowserProfile:
    """One browser profile's history file, and the importer that reads it."""

    browser: str
    profile: str
    path: Path
    importer: str  # "firefox" or "chrome"

    @property
    def label(self) -> str:
        return f"{self.browser}: {self.profile}"


def platform_name(platform: str = sys.platform) -> str:
    """ "linux", "macos" or "windows" for a `sys.platform` value (other Unixes count as Linux)."""
    if platform == "darwin":
        return "macos"
    if platform.startswith(("win", "cygwin")):
        return "windows"
    return "linux"


def find_browser_profiles(
    home: Path | None = None,
    system: str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[BrowserProfile]:
    """Every Firefox and Chrome/Chromium-family profile with a history file, Firefox first, each
    browser's profiles by name. `system` is "linux", "macos" or "windows" (default: this one)."""
    home = Path.home() if home is None else home
    system = platform_name() if system is None else system
    env = os.environ if env is None else env
    firefox_roots, chromium_roots = _roots(home, system, env)
    found: list[BrowserProfile] = []
    for root in firefox_roots:
        for history in _histories(root, "places.sqlite"):
            found.append(BrowserProfile("Firefox", _firefox_profile(history.parent), history,
                                        "firefox"))  # fmt: skip
    for browser, root in chromium_roots:
        for history in _histories(root, "History"):
            found.append(BrowserProfile(browser, history.parent.name, history, "chrome"))
    return found


def _roots(
    home: Path, system: str, env: Mapping[str, str]
) -> tuple[list[Path], list[tuple[str, Path]]]:
    if system == "windows":
        roaming = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
        firefox = [roaming / "Mozilla" / "Firefox" / "Profiles"]
        return firefox, [(name, local / windows) for name, _, _, windows in _CHROMIUM_FAMILY]
    if system == "macos":
        support = home / "Library" / "Application Support"
        firefox = [support / "Firefox" / "Profiles"]
        return firefox, [(name, support / mac) for name, _, mac, _ in _CHROMIUM_FAMILY]
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    firefox = [
        home / ".mozilla" / "firefox",
        home / "snap" / "firefox" / "common" / ".mozilla" / "firefox",
        home / ".var" / "app" / "org.mozilla.firefox" / ".mozilla" / "firefox",
    ]
    flatpak = home / ".var" / "app"
    chromium = [(name, config / linux) for name, linux, _, _ in _CHROMIUM_FAMILY]
    chromium += [
        ("Chromium", home / "snap" / "chromium" / "common" / "chromium"),
        ("Chromium", flatpak / "org.chromium.Chromium" / "config" / "chromium"),
        ("Chrome", flatpak / "com.google.Chrome" / "config" / "google-chrome"),
    ]
    return firefox, chromium


def _histories(root: Path, file_name: str) -> list[Path]:
    """`root/<profile>/<file_name>` for each profile folder that has one."""
    try:
        folders = sorted(child for child in root.iterdir() if child.is_dir())
    except OSError:  # no such browser here, or not readable
        return []
    return [folder / file_name for folder in folders if (folder / file_name).is_file()]


def _firefox_profile(folder: Path) -> str:
    """A Firefox profile's name from its folder ("x1y2z3.default-release" -> "default-release")."""
    _salt, dot, name = folder.name.partition(".")
    return name if dot and name else folder.name
