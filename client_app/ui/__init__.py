"""The Kivy desktop app: screens over plain controllers, long work on a worker thread.

Importing this package configures Kivy through the environment, before Kivy itself loads."""

import os

# Kivy parses sys.argv on import unless told not to; the app has its own command line.
os.environ["KIVY_NO_ARGS"] = "1"
# Window defaults for a desktop program (KCFG_* is Kivy's own override; the user's wins).
for _key, _value in {
    "KCFG_GRAPHICS_WIDTH": "1280",
    "KCFG_GRAPHICS_HEIGHT": "800",
    "KCFG_GRAPHICS_MINIMUM_WIDTH": "1000",
    "KCFG_GRAPHICS_MINIMUM_HEIGHT": "640",
    "KCFG_KIVY_EXIT_ON_ESCAPE": "0",
    "KCFG_INPUT_MOUSE": "mouse,disable_multitouch",
}.items():
    os.environ.setdefault(_key, _value)
