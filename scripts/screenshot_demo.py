"""Screenshot every screen as the demo user first sees it, in the dark and the light theme at
the default window size and in the dark theme at the smallest (800 x 600), into
docs/screenshots/<screen>-dark.png, -light.png and -800x600.png (a dev-time script; rerun it
when the reference models or the screens change).

Usage: DISPLAY=:77 python scripts/screenshot_demo.py [--demo-dir DIR]
It sets up the demo's market and user (`privrec demo` does the same; an existing demo
directory is reused) and drives the real app on the display (tests/client_app/ui_driver.py).
A virtual display will do: `Xvfb :77 -screen 0 1280x800x24 &`. Old PNGs of the directory are
removed first (not the web pages', web-*.png), so a screen that is gone leaves no stale picture.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from client_app.demo import Demo, has_display  # noqa: E402  (after the path is set)
from client_app.sdk import PrivrecClient  # noqa: E402

SCREENSHOTS = REPO / "docs" / "screenshots"
DRIVER_TIMEOUT_S = 600
WEB_PREFIX = "web-"  # the web pages' screenshots, scripts/screenshot_web.py's to replace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo-dir", type=Path, help="default: a fresh temporary directory")
    args = parser.parse_args(argv)
    if not has_display():
        parser.error("no display: set DISPLAY (e.g. to an Xvfb server)")
    for old in SCREENSHOTS.glob("*.png"):
        if not old.name.startswith(WEB_PREFIX):
            old.unlink()
    with tempfile.TemporaryDirectory(prefix="privrec-screenshot-") as scratch:
        directory = args.demo_dir or Path(scratch) / "demo"
        demo = Demo(directory)
        demo.anchor_replay()
        with demo.market:
            demo.deploy_models()
            client = PrivrecClient(directory / "app", market_url=demo.market.url)
            try:
                user, added = demo.load_user(client)
                demo.prepare_user(client, user, added, fund=True)  # lists to screenshot
                client.wait_for_embedding()
            finally:
                client.close()
            report = Path(scratch) / "report.json"
            command = [sys.executable, "-m", "tests.client_app.ui_driver"]
            command += ["--scenario", "screenshot", "--data-dir", str(directory / "app")]
            command += ["--market-url", demo.market.url, "--fixture", os.devnull]
            command += ["--screens", str(SCREENSHOTS), "--report", str(report)]
            env = {
                **os.environ,
                "KIVY_HOME": str(Path(scratch) / "kivy"),
                "KIVY_LOG_MODE": "PYTHON",
            }
            done = subprocess.run(command, cwd=REPO, env=env, timeout=DRIVER_TIMEOUT_S)
            if done.returncode != 0:
                print(report.read_text() if report.exists() else "the driver wrote no report")
                return 1
            # The Privacy screen's training part, for docs/federated.md: a user of its own who
            # has joined training runs (the driver's `training` scenario asks no market).
            shots = Path(scratch) / "training"
            command = [sys.executable, "-m", "tests.client_app.ui_driver"]
            command += ["--scenario", "training", "--data-dir", str(shots / "app")]
            command += ["--market-url", demo.market.url, "--fixture", os.devnull]
            command += ["--screens", str(shots), "--report", str(report)]
            done = subprocess.run(command, cwd=REPO, env=env, timeout=DRIVER_TIMEOUT_S)
            if done.returncode != 0:
                print(report.read_text() if report.exists() else "the driver wrote no report")
                return 1
            (shots / "privacy_training.png").replace(SCREENSHOTS / "privacy-training.png")
    for written in sorted(SCREENSHOTS.glob("*.png")):
        print(f"wrote {written.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
