"""A real market process with three deployed models, shared by the client tests of a module;
the real app run on a fresh virtual display under the scripted user (ui_driver.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from client_app.sdk import PrivrecClient
from tests.factories import ModelSpec, deploy_models
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "7c" * 32
MODELS = {
    spec.name: spec
    for spec in (
        ModelSpec("shelf", "shelf-labs", ("books",), stake=200, bid=3, seed=2),
        ModelSpec("basket", "basket-co", ("purchases",), 150, 2, history=True, seed=0),
        ModelSpec("mixtape", "basket-co", ("books", "music"), stake=100, bid=0, seed=1),
    )
}
ITEMS = 40
DIM = 8
REPO = Path(__file__).resolve().parents[2]
SCREENS_DIR = REPO / "artifacts" / "screens"
DRIVER_TIMEOUT = 240


@dataclass
class Market:
    server: LiveServer
    model_ids: dict[str, int]

    @property
    def url(self) -> str:
        return self.server.url


def model_options(name: str) -> dict[str, Any]:
    """What `bundle_parts` takes for one of MODELS (to recompute plaintext scores)."""
    return MODELS[name].bundle_options(ITEMS, DIM)


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    data = tmp_path_factory.mktemp("market")
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key=MARKET_KEY
    )
    with server:
        (data / "bundles").mkdir()
        deployed = deploy_models(
            server.url, data / "bundles", MODELS.values(), items=ITEMS, dim=DIM
        )
        yield Market(server, deployed.model_ids)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def app_client(market: Market, tmp_path: Path, embedder: FakeEmbedder) -> Iterator[PrivrecClient]:
    client = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    client.create_identity()
    yield client
    client.close()


# --- the real app on a virtual display (ui_driver.py) -------------------------------------------


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb server on a free display; its name (":N")."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: run `make ui-deps` (installs xvfb and Mesa's OpenGL)")
    log = tmp_path / "xvfb.log"
    read, write = os.pipe()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=output,
            stderr=output,
        )
    os.close(write)
    try:
        with os.fdopen(read) as announced:  # Xvfb writes the display number once it is ready
            number = announced.readline().strip()
        if not number:
            pytest.fail(f"Xvfb did not start: {log.read_text()[-2000:]}")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_driver(
    scenario: str, display: str, market_url: str, workdir: Path, home: Path | None = None
) -> dict[str, Any]:
    """Run the app under the scripted user in a fresh process (with `home` as its home folder,
    if given); the driver's report."""
    report_path = workdir / f"report-{scenario}.json"
    env = {
        **os.environ,
        "DISPLAY": display,
        "KIVY_HOME": str(workdir / "kivy"),
        "KIVY_LOG_MODE": "PYTHON",
    }
    if home is not None:
        env["HOME"] = str(home)
    command = [sys.executable, "-m", "tests.client_app.ui_driver", "--scenario", scenario]
    command += ["--data-dir", str(workdir / "app"), "--market-url", market_url]
    command += ["--fixture", str(workdir / "exports" / "goodreads_library_export.csv")]
    command += ["--screens", str(SCREENS_DIR), "--report", str(report_path)]
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=DRIVER_TIMEOUT
    )
    assert report_path.exists(), f"the driver wrote no report:\n{done.stderr[-5000:]}"
    report: dict[str, Any] = json.loads(report_path.read_text())
    assert report["ok"], f"{report.get('error')}\nsteps: {report['steps']}\n{done.stderr[-3000:]}"
    assert done.returncode == 0
    return report
