"""Screenshots of the market's web pages for docs/screenshots/: the web tests' market (two
settled epochs) in Debian's headless Chromium.

    python scripts/screenshot_web.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.conftest import CHROMIUM, MIXTAPE, running_web_market


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as data,
        running_web_market(Path(data)) as market,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        shots = {
            "web-leaderboard.png": "/leaderboard",
            "web-model.png": f"/models/{market.model_ids[MIXTAPE.name]}",
        }
        for name, path in shots.items():
            page.goto(f"{market.url}{path}")
            page.wait_for_function("document.documentElement.dataset.chartsDrawn === '2'")
            page.screenshot(path=str(args.out / name), full_page=True)
            print(args.out / name)
        browser.close()


if __name__ == "__main__":
    main()
