"""The least-recently-used map every scoring process keeps its evaluation keys in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crypto.recently_used import RecentlyUsed


def test_a_kept_value_is_not_loaded_again_and_the_oldest_goes_first() -> None:
    loads: list[str] = []

    def loader(key: str) -> Callable[[], str]:
        def load() -> str:
            loads.append(key)
            return key.upper()

        return load

    kept: RecentlyUsed[str, str] = RecentlyUsed(capacity=2)
    assert kept.get("a", loader("a")) == "A"
    assert kept.get("b", loader("b")) == "B"
    assert kept.get("a", loader("a")) == "A"  # kept: not loaded again, and now the newest
    assert kept.get("c", loader("c")) == "C"  # over capacity: "b", the least recently used, goes
    assert loads == ["a", "b", "c"]
    assert "a" in kept and "c" in kept and "b" not in kept and len(kept) == 2
    kept.clear()
    assert len(kept) == 0


def test_a_failed_load_keeps_nothing() -> None:
    kept: RecentlyUsed[str, int] = RecentlyUsed()

    def fail() -> int:
        raise ValueError("bad keys")

    with pytest.raises(ValueError, match="bad keys"):
        kept.get("x", fail)
    assert "x" not in kept


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="capacity"):
        RecentlyUsed(capacity=0)
