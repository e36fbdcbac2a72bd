"""Named shared-memory segments holding encoded table shards, owned (and always unlinked) by
the process that created them and mapped, never copied, by its scoring workers.

The owner creates each segment with :class:`multiprocessing.shared_memory.SharedMemory`, which
registers it with multiprocessing's resource tracker: a separate process that unlinks whatever
is still registered once every process sharing it has exited, so even a killed server leaks
nothing (its workers exit with it, see :func:`exit_with_parent`). Workers map a segment by name
through ``SharedMemory`` as well, which registers the same name again with the same tracker
(a set: no effect), so only the owner's :meth:`TableSegment.unlink` releases it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import secrets
import threading
from multiprocessing.shared_memory import SharedMemory

# Every segment's name starts with this (tests look for leftovers by it).
SEGMENT_PREFIX = "privrec-table-"
SHM_DIR = "/dev/shm"  # where Linux keeps POSIX shared memory


class TableSegment:
    """One shared-memory segment of ``size`` bytes, zero-filled when created."""

    def __init__(self, memory: SharedMemory, *, owner: bool) -> None:
        self._memory = memory
        self.owner = owner
        self.name = memory.name
        self.size = memory.size

    @classmethod
    def create(cls, size: int) -> TableSegment:
        name = f"{SEGMENT_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        return cls(SharedMemory(name=name, create=True, size=max(size, 1)), owner=True)

    @classmethod
    def attach(cls, name: str) -> TableSegment:
        if not name.startswith(SEGMENT_PREFIX):
            raise ValueError(f"not a table segment: {name!r}")
        return cls(SharedMemory(name=name), owner=False)

    @property
    def buffer(self) -> memoryview:
        """The segment's bytes (views of it must be dropped before :meth:`close`)."""
        buffer = self._memory.buf
        assert buffer is not None, "the segment is closed"
        return buffer

    def close(self) -> None:
        """Unmap the segment from this process (it stays for the others until unlinked)."""
        self._memory.close()

    def unlink(self) -> None:
        """Owner only: unmap, and remove the name, so the memory goes once no one maps it."""
        if not self.owner:
            raise RuntimeError("only the process that created a segment unlinks it")
        with contextlib.suppress(BufferError):  # a live view keeps the pages, not the name
            self._memory.close()
        with contextlib.suppress(FileNotFoundError):  # already gone (a second close)
            self._memory.unlink()


def room_for(size: int) -> bool:
    """Whether ``size`` more bytes of segments fit in /dev/shm now. A segment is sized lazily,
    so one larger than the room left would kill the worker writing it (SIGBUS), e.g. in a
    container with the default 64 MiB /dev/shm: the caller keeps such a table private."""
    try:
        stats = os.statvfs(SHM_DIR)
    except OSError:  # not Linux, or no /dev/shm
        return False
    return stats.f_bavail * stats.f_frsize >= size


def exit_with_parent() -> None:
    """In a worker process: exit as soon as the parent process dies (a killed server), so
    nothing keeps the shared segments (or the resource tracker) alive after it."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
