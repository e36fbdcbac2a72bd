"""The Kivy desktop app: screens over plain controllers, long work on a worker thread.

Importing this package configures Kivy through the environment, before Kivy itself loads."""

import os

# Kivy parses sys.argv on import unless told not to; the app has its own command line.
os.environ["KIVY_NO_ARGS"] = "1"
# The smallest window every screen is laid out for (tests/client_app/test_ui.py checks it).
MINIMUM_WINDOW = (800, 600)
# Window defaults for a desktop program (KCFG_* is Kivy's own override; the user's wins).
for _key, _value in {
    # Fits a 1366 x 768 screen with its title bar and a panel.
    "KCFG_GRAPHICS_WIDTH": "1200",
    "KCFG_GRAPHICS_HEIGHT": "700",
    "KCFG_GRAPHICS_MINIMUM_WIDTH": str(MINIMUM_WINDOW[0]),
    "KCFG_GRAPHICS_MINIMUM_HEIGHT": str(MINIMUM_WINDOW[1]),
    "KCFG_KIVY_EXIT_ON_ESCAPE": "0",
    "KCFG_INPUT_MOUSE": "mouse,disable_multitouch",
}.items():
    os.environ.setdefault(_key, _value)
