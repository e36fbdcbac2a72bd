"""Helpers shared by the benchmarks that drive a real market server: its database, its process
tree's CPU and memory from /proc (Linux), threads, and log lines."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx

from tests.live_server import throwaway_schema

T = TypeVar("T")
MIB = 1024 * 1024
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def failure(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path}: {response.status_code} {response.text[:200]}"


def each(things: list[T], action: Callable[[T], None]) -> None:
    """Run ``action`` on every thing in its own thread; re-raise the first failure."""
    failures: list[BaseException] = []

    def guarded(thing: T) -> None:
        try:
            action(thing)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(thing,)) for thing in things]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


@contextmanager
def database(url: str | None, work_dir: Path) -> Iterator[str]:
    """SQLite in ``work_dir`` by default. On PostgreSQL the run gets a schema of its own,
    dropped afterwards, so runs never meet each other's accounts and models."""
    if url is None:
        yield f"sqlite:///{work_dir / 'market.sqlite3'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    with throwaway_schema(url, "privrec_bench") as schema_url:
        yield schema_url


# --- one process tree's CPU and memory, from /proc --------------------------------------------


@dataclass(frozen=True)
class ProcStat:
    ppid: int
    cpu_s: float  # user + system CPU of the process itself
    reaped_children_cpu_s: float  # of its children that exited and were waited for
    name: str


def proc_stat(pid: int) -> ProcStat | None:
    """A process's /proc/<pid>/stat; None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, _, rest = text.partition(" (")[2].rpartition(")")  # the name may hold spaces
    fields = rest.split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ProcStat(int(fields[1]), (utime + stime) / TICK, (cutime + cstime) / TICK, name)


def all_proc_stats() -> dict[int, ProcStat]:
    stats: dict[int, ProcStat] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := proc_stat(int(entry))) is not None:
            stats[int(entry)] = stat
    return stats


def process_tree(root: int, stats: dict[int, ProcStat] | None = None) -> list[int]:
    """``root`` and all its live descendants."""
    stats = all_proc_stats() if stats is None else stats
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        children.setdefault(stat.ppid, []).append(pid)
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        if pid in stats:
            tree.append(pid)
            frontier += children.get(pid, [])
    return tree


def tree_cpu_s(root: int) -> float:
    """CPU seconds of ``root`` and every descendant, those that already exited included: a
    live process's own time, plus the time of the children it reaped (cutime + cstime)."""
    stats = all_proc_stats()
    return sum(
        stats[pid].cpu_s + stats[pid].reaped_children_cpu_s for pid in process_tree(root, stats)
    )


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(root: int) -> tuple[int, int]:
    """(resident bytes now, sum of each process's peak resident bytes) over the tree."""
    tree = process_tree(root)
    rss = sum(_status_kib(pid, "VmRSS") for pid in tree) * 1024
    hwm = sum(_status_kib(pid, "VmHWM") for pid in tree) * 1024
    return rss, hwm


class RssSampler:
    """Samples the tree's summed resident memory every ``interval`` seconds in a thread."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root = root
        self.interval = interval
        self.peak_rss = 0
        self.peak_hwm = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        rss, hwm = tree_memory(self.root)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_hwm = max(self.peak_hwm, hwm)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
