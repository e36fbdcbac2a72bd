"""A real local Ray cluster for tests and benchmarks: a head and more node processes on this
machine (``ray start --block``, each stopped by its own process group, never ``ray stop``,
which would stop every Ray node of the machine)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from client_app.local_market import free_port

ROOT = Path(__file__).resolve().parents[1]
RAY = str(Path(sys.executable).with_name("ray"))


@dataclass
class LocalRayCluster:
    address: str  # "127.0.0.1:port" of the head's GCS
    processes: list[subprocess.Popen[bytes]]  # each node's ``ray start --block``, head first

    def kill_node(self, index: int) -> None:
        """Crash one node (not the head) and everything it runs, as a lost machine."""
        if index == 0:
            raise ValueError("the head holds the cluster's state: kill another node")
        os.killpg(self.processes[index].pid, signal.SIGKILL)
        self.processes[index].wait(timeout=30)


@contextmanager
def local_ray_cluster(
    *, nodes: int = 2, cpus_per_node: int = 1, object_store_bytes: int = 100 * 2**20
) -> Iterator[LocalRayCluster]:
    """A head plus ``nodes - 1`` more nodes, each with ``cpus_per_node`` CPUs and its own object
    store; the repository is on their import path."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "RAY_USAGE_STATS_ENABLED": "0",
    }
    # A short path: Ray's socket paths must stay under the 107-byte limit of a Unix socket.
    temp_dir = tempfile.mkdtemp(prefix="rc", dir="/tmp")
    address = f"127.0.0.1:{free_port()}"
    common = [
        "--block",
        "--node-ip-address=127.0.0.1",
        f"--num-cpus={cpus_per_node}",
        f"--object-store-memory={object_store_bytes}",
        "--disable-usage-stats",
    ]
    head = [
        RAY, "start", "--head", f"--port={address.split(':')[1]}", f"--temp-dir={temp_dir}",
        "--include-dashboard=false", f"--dashboard-port={free_port()}", *common,
    ]  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    log = Path(temp_dir) / "start.log"
    try:
        with log.open("ab") as out:
            processes.append(_start(head, env, out))
            _wait_for_port(address, processes)
            for _ in range(nodes - 1):
                worker = [RAY, "start", f"--address={address}", *common]
                processes.append(_start(worker, env, out))
            _wait_for_nodes(address, nodes, env, processes)
        yield LocalRayCluster(address, processes)
    finally:
        for process in reversed(processes):
            _stop(process)
        shutil.rmtree(temp_dir, ignore_errors=True)


def _start(command: list[str], env: dict[str, str], out: BinaryIO) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)


def _wait_for_port(address: str, processes: list[subprocess.Popen[bytes]]) -> None:
    """Until the head's GCS accepts connections (so that other nodes can join)."""
    host, port = address.split(":")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _check_alive(processes)
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the Ray head at {address} did not listen in 90 s")


def _check_alive(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is not None:
            raise RuntimeError(f"a Ray node exited with {process.returncode}")


def _wait_for_nodes(
    address: str, count: int, env: dict[str, str], processes: list[subprocess.Popen[bytes]]
) -> None:
    """Until ``ray status`` shows ``count`` alive nodes (a node process that exits fails)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _check_alive(processes)
        status = subprocess.run(
            [RAY, "status", f"--address={address}"], env=env, capture_output=True, text=True
        )
        if status.returncode == 0 and status.stdout.count(" node_") >= count:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the Ray cluster at {address} did not reach {count} nodes in 90 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop one node: its ``ray start`` and everything it started (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 15)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            # The node's daemons share the group: make sure none outlives its ray start.
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
        return
