"""The wheel: what it carries, and what a clean virtualenv gets from `pip install privrec`
(working commands, a clear message for a missing extra) and from `privrec[server]` (a
running market, and still no torch or Kivy)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from recommenders.reference import REFERENCE_MODELS
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
# One worker builds the wheel: two pip builds in one source tree would collide.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # setuptools builds in its source tree's build/: a private copy, so no two builds (two
    # xdist workers, a developer's own) ever share one, and the checkout stays clean.
    source = tmp_path_factory.mktemp("source") / "privrec"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "artifacts", ".*_cache", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
        cwd=out,
    )
    (path,) = out.glob("privrec-*.whl")
    return path


def test_the_wheel_carries_the_data_the_bundles_and_the_app_layouts(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "privrec = privrec_cli:main" in scripts
    assert "privrec_cli.py" in names
    for data in (
        "recommenders/data/LICENSES.md",
        "recommenders/data/online_retail/transactions.csv.gz",
        "recommenders/data/goodbooks/books.csv.gz",
        "recommenders/data/goodbooks/ratings.csv.gz",
        "recommenders/data/goodbooks/to_read.csv.gz",
        "recommenders/data/stackexchange/questions.csv.gz",
        "recommenders/data/stackexchange/events.csv.gz",
        "recommenders/data/lastfm/artists.csv.gz",
        "recommenders/data/lastfm/plays.csv.gz",
        "recommenders/data/listenbrainz/listens.csv.gz",
    ):
        assert data in names
    assert {f"recommenders/data/reference/{name}.zip" for name in REFERENCE_MODELS} <= names
    assert {
        f"client_app/ui/kv/{screen}.kv"
        for screen in ("welcome", "my_data", "recommendations", "wallet", "privacy", "settings")
    } <= names
    assert {
        f"market_server/web/{asset}"
        for asset in (
            "templates/base.html",
            "templates/leaderboard.html",
            "templates/model.html",
            "static/css/site.css",
            "static/js/charts.js",
            "static/vendor/chart.umd.min.js",
            "static/vendor/chart.js.LICENSE.md",
        )
    } <= names
    assert not any(n.startswith("tests/") for n in names)


def test_openfhe_is_only_a_benchmark_extra(wheel: Path) -> None:
    """OpenFHE (benchmarks/he_compare.py) is never a runtime dependency: it is required by the
    `compare` extra alone, and nothing the wheel carries imports it or ships its files."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        sources = {n: archive.read(n).decode() for n in names if n.endswith(".py")}
    requirements = [
        line
        for line in metadata.decode().splitlines()
        if line.startswith("Requires-Dist:") and "openfhe" in line.lower()
    ]
    assert len(requirements) == 1
    assert requirements[0].endswith('; extra == "compare"')
    imports = re.compile(r"^\s*(import|from)\s+openfhe\b|import_module\(\s*[\"']openfhe", re.M)
    assert not [name for name, text in sources.items() if imports.search(text)]
    assert not [name for name in names if "openfhe" in name.lower()]


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Path]:
    """A virtualenv with nothing but the wheel and its core dependencies."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(home)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, str(wheel)], check=True, cwd=home)
    yield home


def run(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # Run outside the source tree, so only the installed package can be imported.
    return subprocess.run(
        [str(home / "bin" / "privrec"), *args],
        capture_output=True,
        text=True,
        cwd=home,
        check=check,
    )


def importable(home: Path, module: str) -> bool:
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([str(home / "bin" / "python"), "-c", probe], cwd=home).returncode == 0


def test_plain_install_gives_working_commands_and_names_missing_extras(clean_venv: Path) -> None:
    assert "privrec 0.1.0" in run(clean_venv, "--version").stdout
    assert "ckks4096-v1 (default)" in run(clean_venv, "crypto", "profiles").stdout
    missing = run(clean_venv, "model", "list", check=False)
    assert missing.returncode == 2
    assert "pip install 'privrec[ml]'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_server_extra_serves_without_torch_or_kivy(
    clean_venv: Path, wheel: Path, tmp_path: Path
) -> None:
    pip = [str(clean_venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, f"{wheel}[server]"], check=True, cwd=clean_venv)
    for module in ("torch", "kivy", "sentence_transformers"):
        assert not importable(clean_venv, module), f"{module} came with privrec[server]"
    port = free_port()
    env = {"PRIVREC_MODE": "local", "PRIVREC_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [str(clean_venv / "bin" / "privrec"), "market", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                key = httpx.get(f"http://127.0.0.1:{port}/v1/ledger/key", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the installed server did not start"
                time.sleep(0.2)
        assert key.status_code == 200 and len(key.json()["public_key"]) == 64
        assert httpx.get(f"http://127.0.0.1:{port}/v1/models").json() == []
        # The web pages and their static files come with the package.
        page = httpx.get(f"http://127.0.0.1:{port}/leaderboard")
        assert page.status_code == 200 and "<h1>Leaderboard</h1>" in page.text
        chart = httpx.get(f"http://127.0.0.1:{port}/static/vendor/chart.umd.min.js")
        assert chart.status_code == 200 and "Chart.js v4" in chart.text
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()
