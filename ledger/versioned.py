"""Sharing the book's state between its one writer and read-only snapshots, at a cost that does
not grow with the state: copy-on-write for what changes in place, versions for what only grows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final, Generic, Protocol, Self, TypeVar

from ledger.economy import LedgerError

K = TypeVar("K")
V = TypeVar("V")

# A value and when it was set, with the version it replaced: (generation, value, older).
_Version = tuple[int, Any, Any]

READ_ONLY: Final = "a snapshot of the ledger is read-only"


class VersionedMap(Generic[K, V]):
    """A map whose keys are added or their values replaced, never removed, shared in O(1) by
    read-only views: each value is stamped with the writer's generation, a view sees what was
    set before it was taken, and the writer keeps an older value only while a view may see it.

    Reads and writes are O(1) plus the versions written since the view (a key that is replaced
    at most n times, as a vote changes at most ``max_vote_changes`` times, keeps at most n + 1).
    A view reads the writer's dict while the writer adds to it: in CPython each dict get, set
    and copy is atomic, and a key never leaves, so a view never sees a half-written entry."""

    __slots__ = ("_before", "_generation", "_versions")

    def __init__(self, items: dict[K, V] | None = None) -> None:
        self._versions: dict[K, _Version] = {
            key: (0, value, None) for key, value in (items or {}).items()
        }
        self._generation = 0  # the writer's: stamps what it sets from now on
        self._before: int | None = None  # a view's: it sees versions stamped before this

    def view(self) -> VersionedMap[K, V]:
        """A read-only view of the map as it is now; later writes do not show in it."""
        if self._before is not None:
            return self
        view: VersionedMap[K, V] = VersionedMap()
        view._versions = self._versions
        view._before = self._generation + 1
        self._generation += 1
        return view

    def _visible(self, version: _Version | None) -> _Version | None:
        before = self._before
        if before is not None:
            while version is not None and version[0] >= before:
                version = version[2]
        return version

    def get(self, key: K, default: V | None = None) -> V | None:
        version = self._visible(self._versions.get(key))
        return default if version is None else version[1]

    def __contains__(self, key: object) -> bool:
        return self._visible(self._versions.get(key)) is not None  # type: ignore[arg-type]

    def set(self, key: K, value: V) -> None:
        if self._before is not None:
            raise LedgerError(READ_ONLY)
        older = self._versions.get(key)
        if older is not None and older[0] == self._generation:
            older = older[2]  # no view was taken since it was set: nobody can see it
        self._versions[key] = (self._generation, value, older)

    def items(self) -> Iterator[tuple[K, V]]:
        """Every key and the value this map sees (a view reads a copy of the writer's dict)."""
        versions = self._versions if self._before is None else self._versions.copy()
        for key, version in versions.items():
            seen = self._visible(version)
            if seen is not None:
                yield key, seen[1]

    def keys(self) -> Iterator[K]:
        return (key for key, _ in self.items())


class _Copyable(Protocol):
    def copy(self) -> Self: ...


C = TypeVar("C", bound=_Copyable)


class CopyOnWrite:
    """Which containers a writer owns since its last snapshot: one it does not own may be shared
    with a snapshot, so it copies it (one level, the container alone) before it first changes
    it. Before any snapshot was taken it owns everything and copies nothing."""

    # Ids of containers freed since the last snapshot stay in the set; past this many the
    # writer forgets them all, which costs it one more copy of what it next changes.
    MOST_REMEMBERED: Final = 1 << 16

    __slots__ = ("_owned",)

    def __init__(self) -> None:
        self._owned: set[int] | None = None  # None: no snapshot shares anything

    def shared(self) -> None:
        """Everything the writer holds is now shared with a snapshot."""
        self._owned = set()

    def mine(self, container: C) -> C:
        """``container`` if the writer owns it, else a copy it owns (the caller puts it in the
        container's place)."""
        owned = self._owned
        if owned is None or id(container) in owned:
            return container
        copied = container.copy()
        self.adopt(copied)
        return copied

    def adopt(self, container: object) -> None:
        """Mark a container the writer just made as its own."""
        owned = self._owned
        if owned is None:
            return
        if len(owned) >= self.MOST_REMEMBERED:
            owned.clear()
        owned.add(id(container))

    def mine_in(self, parent: dict[K, C], key: K, make: Callable[[], C]) -> C:
        """``parent[key]``, owned by the writer: made if missing, copied if shared. ``parent``
        must be the writer's own."""
        found = parent.get(key)
        if found is None:
            found = make()
            self.adopt(found)
        else:
            mine = self.mine(found)
            if mine is found:
                return found
            found = mine
        parent[key] = found
        return found
