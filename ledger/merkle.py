"""Merkle trees over entry hashes (RFC 6962 hashing): roots, a growing frontier and proofs
of inclusion."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Final

from ledger.economy import LedgerError
from ledger.entries import _hex64, _is_hex

# An odd node is promoted to the next level as it is (no duplication).


def _leaf(entry_hash_bytes: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_hash_bytes).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(hashes: Sequence[str]) -> list[list[bytes]]:
    for value in hashes:
        _hex64("a Merkle leaf", value)
    return _levels_above([_leaf(bytes.fromhex(value)) for value in hashes])


def _levels_above(level: list[bytes]) -> list[list[bytes]]:
    """``level`` and every level above it, up to the root."""
    levels = [level]
    while len(level) > 1:
        level = [
            _node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
        levels.append(level)
    return levels


def _path(levels: Sequence[Sequence[bytes]], index: int) -> list[tuple[str, str]]:
    """The siblings of node ``index`` of ``levels[0]`` on each of ``levels``, bottom up."""
    path = []
    for level in levels:
        sibling = index ^ 1
        if sibling < len(level):  # else the node is promoted as it is
            path.append(("left" if sibling < index else "right", level[sibling].hex()))
        index //= 2
    return path


def merkle_root(hashes: Sequence[str]) -> str:
    """The root (hex) over entry hashes in order; that of no entries is SHA-256 of nothing."""
    if not hashes:
        return hashlib.sha256(b"").hexdigest()
    return _levels(hashes)[-1][0].hex()


class MerkleFrontier:
    """The Merkle tree of a growing list of entry hashes, kept as the roots of its perfect
    subtrees (at most one per height, so O(log n) hashes); its root equals merkle_root's."""

    def __init__(self) -> None:
        self._nodes: list[tuple[int, bytes]] = []  # (height, root), heights decreasing
        self.size = 0

    def add(self, entry_hash_hex: str) -> None:
        _hex64("a Merkle leaf", entry_hash_hex)
        height, node = 0, _leaf(bytes.fromhex(entry_hash_hex))
        while self._nodes and self._nodes[-1][0] == height:
            node = _node(self._nodes.pop()[1], node)
            height += 1
        self._nodes.append((height, node))
        self.size += 1

    def root(self) -> str:
        """Promoting an odd node bottom-up is the same as folding the subtrees from the right."""
        if not self._nodes:
            return hashlib.sha256(b"").hexdigest()
        node = self._nodes[-1][1]
        for _, left in reversed(self._nodes[:-1]):
            node = _node(left, node)
        return node.hex()

    def to_state(self) -> dict[str, Any]:
        return {"size": self.size, "nodes": [[h, node.hex()] for h, node in self._nodes]}

    @classmethod
    def from_state(cls, state: object) -> MerkleFrontier:
        if not isinstance(state, dict) or set(state) != {"size", "nodes"}:
            raise LedgerError("a saved Merkle frontier has exactly the keys size and nodes")
        frontier = cls()
        size, nodes = state["size"], state["nodes"]
        if not isinstance(nodes, list) or type(size) is not int:
            raise LedgerError("a saved Merkle frontier is a size and a list of nodes")
        for item in nodes:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
                raise LedgerError("a Merkle frontier node is [height, hash]")
            _hex64("a Merkle frontier node", item[1])
            frontier._nodes.append((item[0], bytes.fromhex(item[1])))
        heights = [h for h, _ in frontier._nodes]
        if size != sum(1 << h for h in heights) or heights != sorted(set(heights), reverse=True):
            raise LedgerError("a saved Merkle frontier does not describe a tree of its size")
        frontier.size = size
        return frontier


class MerkleTree:
    """Every level of the tree over entry hashes, kept: its root, and any leaf's proof without
    hashing again (for a closed epoch, whose tree never changes)."""

    def __init__(self, hashes: Sequence[str]) -> None:
        self._levels = _levels(hashes) if hashes else [[]]
        self.size = len(hashes)

    @property
    def root(self) -> str:
        if not self.size:
            return hashlib.sha256(b"").hexdigest()
        return self._levels[-1][0].hex()

    @property
    def nodes(self) -> int:
        """How many hashes it holds (what keeping it costs)."""
        return sum(len(level) for level in self._levels)

    def proof(self, index: int) -> list[tuple[str, str]]:
        """The audit path of leaf ``index``: (side of the sibling, "left" or "right"; its hex)."""
        if type(index) is not int or not 0 <= index < self.size:
            raise LedgerError(f"no leaf {index!r:.20} among {self.size}")
        return _path(self._levels[:-1], index)


BLOCK_HEIGHT: Final = 10
BLOCK_LEAVES: Final = 1 << BLOCK_HEIGHT  # 1,024


class BlockedMerkleTree:
    """The same tree as MerkleTree (same root, same proofs), keeping only its levels from
    blocks of BLOCK_LEAVES leaves up (about size / 512 hashes): a proof rebuilds the one block
    its leaf is in from that block's entry hashes, so memory stays small for any epoch."""

    def __init__(self, blocks: Iterable[Sequence[str]]) -> None:
        """``blocks``: the entry hashes in order, BLOCK_LEAVES at a time (the last may be
        shorter), so that a caller can stream them."""
        roots: list[bytes] = []
        self.size = 0
        for block in blocks:
            if self.size % BLOCK_LEAVES or not 0 < len(block) <= BLOCK_LEAVES:
                raise LedgerError(f"leaves come in blocks of {BLOCK_LEAVES}, the last shorter")
            roots.append(_levels(block)[-1][0])
            self.size += len(block)
        self._upper = _levels_above(roots)  # level BLOCK_HEIGHT and up

    @classmethod
    def from_hashes(cls, hashes: Sequence[str]) -> BlockedMerkleTree:
        return cls(hashes[i : i + BLOCK_LEAVES] for i in range(0, len(hashes), BLOCK_LEAVES))

    @property
    def root(self) -> str:
        if not self.size:
            return hashlib.sha256(b"").hexdigest()
        return self._upper[-1][0].hex()

    @property
    def nodes(self) -> int:
        """How many hashes it holds (what keeping it costs)."""
        return sum(len(level) for level in self._upper)

    def block_of(self, index: int) -> range:
        """The leaves of the block leaf ``index`` is in (whose hashes :meth:`proof` needs)."""
        if type(index) is not int or not 0 <= index < self.size:
            raise LedgerError(f"no leaf {index!r:.20} among {self.size}")
        start = index - index % BLOCK_LEAVES
        return range(start, min(start + BLOCK_LEAVES, self.size))

    def proof(self, index: int, block_hashes: Sequence[str]) -> list[tuple[str, str]]:
        """The audit path of leaf ``index`` (as MerkleTree.proof), given the hashes of the
        leaves ``block_of(index)``; LedgerError if they are not the ones the tree was built
        from."""
        block = self.block_of(index)
        if len(block_hashes) != len(block):
            raise LedgerError(f"leaf {index}'s block has {len(block)} hashes")
        levels = _levels(block_hashes)
        if levels[-1][0] != self._upper[0][index >> BLOCK_HEIGHT]:
            raise LedgerError(f"the hashes of leaf {index}'s block are not the tree's")
        return _path(levels[:-1], index - block.start) + _path(
            self._upper[:-1], index >> BLOCK_HEIGHT
        )


def merkle_proof(hashes: Sequence[str], index: int) -> list[tuple[str, str]]:
    """The audit path of leaf ``index``: (side of the sibling, "left" or "right"; its hex)."""
    if type(index) is not int or not 0 <= index < len(hashes):
        raise LedgerError(f"no leaf {index!r:.20} among {len(hashes)}")
    return MerkleTree(hashes).proof(index)


def verify_proof(leaf_hash: str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """Whether the entry whose hash is ``leaf_hash`` (hex; the leaf prefix is applied here) is
    under ``root`` by ``proof``; never raises."""
    if not (_is_hex(leaf_hash, 64) and _is_hex(root, 64)):
        return False
    if not isinstance(proof, list | tuple) or len(proof) > 64:
        return False
    node = _leaf(bytes.fromhex(leaf_hash))
    for step in proof:
        if not isinstance(step, list | tuple) or len(step) != 2:
            return False
        side, sibling = step
        if side not in ("left", "right") or not _is_hex(sibling, 64):
            return False
        other = bytes.fromhex(sibling)
        node = _node(other, node) if side == "left" else _node(node, other)
    return node.hex() == root
