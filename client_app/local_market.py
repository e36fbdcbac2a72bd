"""A market server as a child process on a loopback port (`privrec market serve`): the demo's
embedded market, and the real server the tests talk to. Only the command line is shared: the
app still reaches the market over HTTP alone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class MarketProcess:
    """Runs the market in local mode with ``data_dir`` and any other ``PRIVREC_*`` settings;
    ``kill()`` crashes it (SIGKILL), ``start()`` restarts it on the same port and data."""

    def __init__(
        self,
        *,
        data_dir: Path,
        settings: Mapping[str, str] | None = None,
        workers: int = 1,
        port: int | None = None,
        log_path: Path | None = None,
        inherit_settings: bool = True,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = log_path or data_dir / f"server-{self.port}.log"
        inherited = {
            name: value
            for name, value in os.environ.items()
            if inherit_settings or not name.startswith("PRIVREC_")
        }
        self.env = {
            **inherited,
            "PRIVREC_MODE": "local",
            "PRIVREC_DATA_DIR": str(data_dir),
            **(settings or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def _cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "privrec_cli", *args]

    def start(self, timeout: float = 90.0) -> Self:
        """Start and wait until it answers (RuntimeError with its log's tail if it does not)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = self._cli("market", "serve", "--port", str(self.port))
        command += ["--workers", str(self.workers)]
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"the market exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/v1/ledger/key", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the market did not start in {timeout} s: {self.log_tail()}")

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """Crash it: no shutdown handler runs."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            self.process = None

    def open_epoch(self) -> int:
        """The open epoch, read from the public ledger: its last entry's epoch, or the next one
        after a close."""
        head = httpx.get(f"{self.url}/v1/ledger/head", timeout=30)
        if head.status_code == 404:  # no entry yet
            return 0
        head.raise_for_status()
        seq = int(head.json()["seq"])
        after = {} if seq == 0 else {"after": seq - 1}
        page = httpx.get(f"{self.url}/v1/ledger", params={**after, "limit": 1}, timeout=30)
        page.raise_for_status()
        last = json.loads(page.text.splitlines()[0])
        return int(last["epoch"]) + (1 if last["kind"] == "epoch_close" else 0)

    def settle(self, epoch: int | None = None) -> str:
        """`privrec market settle --epoch N` on this market's database, N by default the open
        epoch (settled now, due or not); its output (RuntimeError if it fails)."""
        args = ["market", "settle", "--epoch", str(self.open_epoch() if epoch is None else epoch)]
        done = subprocess.run(self._cli(*args), env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"settlement failed: {(done.stderr or done.stdout).strip()}")
        return done.stdout.strip()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
