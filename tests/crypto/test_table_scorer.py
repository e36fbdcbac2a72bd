"""Tables in shards: above a million items, in shared memory mapped by the worker processes,
and never a segment left behind (close, a dead worker, a killed owner process)."""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
import subprocess
import sys
import time
from concurrent import futures
from pathlib import Path

import numpy as np
import pytest

from crypto import (
    MAX_ITEMS,
    EncodedTable,
    EncryptedQuery,
    EvaluationKeys,
    InvalidCiphertext,
    ParameterError,
    ScorerClosed,
    ScorerFailed,
    SecretKeys,
    ShardLayout,
    TableScorer,
    decrypt_scores,
    encoded_table_bytes,
    encrypt_query,
    table_scorer,
)
from crypto._seal import SCRATCH_PREFIX
from crypto._shared_memory import SEGMENT_PREFIX, room_for
from crypto.table_scorer import plan_shards
from crypto.wire import Envelope, Kind, parse_envelope

TOLERANCE = 2e-3
SHM = Path("/dev/shm")


def random_case(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    table = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32)
    return table, rng.standard_normal(d)


def scores_of(scorer: TableScorer, keys: SecretKeys, eval_keys: bytes, u: np.ndarray) -> np.ndarray:
    query = encrypt_query(keys, u)
    return decrypt_scores(keys, scorer.score(query.wire, eval_keys, timeout=120), query)


def worker_pids(scorer: TableScorer) -> list[int]:
    return [int(pid) for pool in scorer._pools for pid in (pool._processes or {})]


def test_shards_are_whole_chunks_in_item_order_spread_over_the_workers() -> None:
    plan = plan_shards(40, 4, workers=2, shard_items=8)  # 10 chunks: 5 per worker, <= 2 a shard
    assert [(s.start, s.stop, s.worker) for s in plan] == [
        (0, 8, 0), (8, 12, 0), (12, 20, 0), (20, 28, 1), (28, 32, 1), (32, 40, 1),
    ]  # fmt: skip
    assert [(s.start, s.stop, s.worker) for s in plan_shards(9000, 4096, 2, 1 << 20)] == [
        (0, 8192, 0),
        (8192, 9000, 1),
    ]
    assert [s.worker for s in plan_shards(10, 4, workers=8, shard_items=100)] == [0, 1, 2]
    for items, workers, shard_items in [(1, 0, 1), (10_000_000, 3, 1 << 20), (12_345, 2, 5000)]:
        plan = plan_shards(items, 4096, workers, shard_items)
        assert plan[0].start == 0 and plan[-1].stop == items
        assert all(a.stop == b.start for a, b in itertools.pairwise(plan))
        assert all(s.start % 4096 == 0 and s.stop - s.start <= max(shard_items, 4096) for s in plan)
        assert [s.worker for s in plan] == sorted(s.worker for s in plan)


def test_a_table_above_a_million_items_is_scored_in_shards(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(1_100_000, 2, seed=21)
    with TableScorer(table) as scorer:
        assert [(s.start, s.stop) for s in scorer.shards] == [(0, 548_864), (548_864, 1_100_000)]
        assert scorer.encoded_bytes == encoded_table_bytes(1_100_000, 2)
        scores = scores_of(scorer, keys, eval_keys, u)
    assert scores.shape == (1_100_000,)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)


def test_shards_in_workers_give_the_bytes_of_one_table(keys: SecretKeys, eval_keys: bytes) -> None:
    """Every shard follows the whole table's baby-step plan, so a chunk's ciphertext does not
    depend on the shard or the process it is scored in (the workers' rotations come from the
    calling process)."""
    table, u = random_case(5 * 4096 + 17, 24, seed=22)
    query = encrypt_query(keys, u)
    responses = []
    for workers, shard_items in [(0, 1 << 20), (0, 2 * 4096), (2, 2 * 4096)]:
        with TableScorer(table, workers=workers, shard_items=shard_items) as scorer:
            assert (
                len(scorer.shards)
                == {(0, 1 << 20): 1, (0, 8192): 3, (2, 8192): 4}[(workers, shard_items)]
            )
            assert {(lay.baby_steps, lay.giant_steps) for lay in scorer.layouts} == {(16, 2)}
            responses.append(scorer.score(query.wire, eval_keys, timeout=120))
    assert responses[0] == responses[1] == responses[2]
    scores = decrypt_scores(keys, responses[0], query)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)


def test_table_limits_stay_enforced() -> None:
    too_many = np.broadcast_to(np.float32(1.0), (MAX_ITEMS + 1, 4))  # no memory behind it
    with pytest.raises(ParameterError, match="over the limit"):
        TableScorer(too_many)
    with pytest.raises(ParameterError, match="shard_items"):
        TableScorer(np.ones((3, 4), dtype=np.float32), shard_items=0)
    with pytest.raises(ParameterError, match="outside"):
        ShardLayout("ckks4096-v1", MAX_ITEMS + 1, 4, 1.0)
    with pytest.raises(ParameterError, match="score scale"):
        ShardLayout("ckks4096-v1", 10, 4, float("nan"))
    # A response claiming more items than any table may hold is refused before its blobs.
    sample = TableScorer(np.ones((3, 4), dtype=np.float32))
    header = Envelope(Kind.RESPONSE, sample.profile, (MAX_ITEMS + 1, 4, 1.0), ()).to_bytes()
    with pytest.raises(InvalidCiphertext, match="item count"):
        parse_envelope(header, Kind.RESPONSE)


def test_an_encoded_shard_is_rebuilt_from_its_bytes_without_encoding(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(9000, 16, seed=23)
    encoded = EncodedTable(table, engine="fused")
    raw = bytearray(encoded.layout.nbytes)
    copy = EncodedTable(table, engine="fused", buffer=memoryview(raw))
    assert bytes(raw[: encoded.coefficients.nbytes]) == encoded.coefficients.tobytes()
    rebuilt = EncodedTable.from_buffer(encoded.layout, bytes(raw), threads=2)
    assert copy.encoded_bytes == rebuilt.encoded_bytes == encoded.encoded_bytes
    # The layout and the bytes, not the float table, are all a shard needs.
    query = EncryptedQuery.from_bytes(encrypt_query(keys, u).wire)
    loaded = EvaluationKeys.from_bytes(eval_keys)
    assert rebuilt.score(query, loaded) == encoded.score(query, loaded)
    with pytest.raises(ParameterError, match="cannot hold"):
        EncodedTable.from_buffer(encoded.layout, bytes(10))
    with pytest.raises(ParameterError, match="fused"):
        EncodedTable(table, engine="seal", buffer=raw)


def test_workers_map_the_shards_from_shared_memory_and_close_unlinks_them(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(4 * 4096, 32, seed=24)
    scorer = TableScorer(table, workers=2, shard_items=4096, engine="fused")
    names = scorer.segment_names
    assert len(names) == 4
    for name, layout in zip(names, scorer.layouts, strict=True):
        assert (SHM / name).stat().st_size == layout.nbytes
    for pid, mine in zip(worker_pids(scorer), (names[:2], names[2:]), strict=True):
        maps = Path(f"/proc/{pid}/maps").read_text()
        assert all(name in maps for name in mine)  # mapped, not copied
    np.testing.assert_allclose(
        scores_of(scorer, keys, eval_keys, u), table.astype(np.float64) @ u, atol=TOLERANCE
    )
    scorer.close()
    assert not [name for name in names if (SHM / name).exists()]
    with pytest.raises(ScorerClosed):
        scorer.score(encrypt_query(keys, u).wire, eval_keys)
    scorer.close()  # twice is fine


def test_workers_read_the_rotations_from_a_reused_slot_and_close_unlinks_it(
    keys: SecretKeys, eval_keys: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers map the query's baby rotations from one shared-memory slot, reused by every
    query (so each worker maps it once), unlinked at close; with no slot to spare the rotations
    are sent as before, and the bytes are the same either way."""
    table, u = random_case(4 * 4096, 32, seed=25)
    with TableScorer(table, workers=2, shard_items=4096, engine="fused") as scorer:
        queries = [encrypt_query(keys, u) for _ in range(3)]
        responses = [scorer.score(q.wire, eval_keys, timeout=120) for q in queries]
        mine = {path.name for path in SHM.glob(f"{SEGMENT_PREFIX}{os.getpid()}-*")}
        slots = mine - set(scorer.segment_names)
        assert len(slots) == 1  # three queries, one slot
        (slot,) = slots
        for pid in worker_pids(scorer):
            assert Path(f"/proc/{pid}/maps").read_text().count(slot) >= 1
        monkeypatch.setattr(table_scorer, "_MAX_ROTATION_SLOTS", 0)
        scorer._rotation_slots.close()  # no slot left, and none may be made
        pickled = scorer.score(queries[0].wire, eval_keys, timeout=120)
    assert not (SHM / slot).exists()
    with TableScorer(table, workers=0) as local:
        expected = [local.score(q.wire, eval_keys) for q in queries]
    assert responses == expected
    assert pickled == expected[0]
    np.testing.assert_allclose(
        decrypt_scores(keys, responses[1], queries[1]), table.astype(np.float64) @ u, atol=TOLERANCE
    )


def test_workers_get_a_key_set_once_and_are_sent_it_again_when_they_lost_it(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    """After a worker used a key set, queries send it only the keys' digest; a worker the
    scorer wrongly believes to hold them answers KeysNotCached and is sent the keys."""
    table, u = random_case(3 * 4096, 16, seed=26)
    other = SecretKeys.generate()
    other_wire = other.evaluation_keys()
    with TableScorer(table, workers=2, shard_items=4096) as scorer, TableScorer(table) as local:
        query = encrypt_query(keys, u)
        expected = local.score(query.wire, eval_keys)
        assert scorer.score(query.wire, eval_keys, timeout=120) == expected
        digest = hashlib.sha256(eval_keys).hexdigest()
        assert all(mirror.recall(digest) for mirror in scorer._keys_sent)
        assert scorer.score(query.wire, eval_keys, timeout=120) == expected
        # Believed sent, never sent: the workers say so and get the keys.
        other_digest = hashlib.sha256(other_wire).hexdigest()
        for mirror in scorer._keys_sent:
            mirror.remember(other_digest)
        other_query = encrypt_query(other, u)
        got = scorer.score(other_query.wire, other_wire, timeout=120)
        assert got == local.score(other_query.wire, other_wire)
    np.testing.assert_allclose(
        decrypt_scores(other, got, other_query), table.astype(np.float64) @ u, atol=TOLERANCE
    )


def seal_scratch() -> set[str]:
    return {path.name for path in SHM.glob(f"{SCRATCH_PREFIX}*")}


def test_a_killed_worker_leaves_no_seal_scratch_behind(keys: SecretKeys, eval_keys: bytes) -> None:
    # A process killed outright runs no exit handler: a scratch directory per process stayed.
    before = seal_scratch()
    table, u = random_case(4096, 16, seed=25)
    with TableScorer(table, workers=1, engine="seal") as scorer:
        scores_of(scorer, keys, eval_keys, u)  # the worker loads the query and keys via files
        for pid in worker_pids(scorer):
            os.kill(pid, signal.SIGKILL)
    left = seal_scratch() - before
    time.sleep(0.2)  # another test process's scratch files live for microseconds
    assert left & (seal_scratch() - before) == set()


def test_a_dead_worker_is_replaced_by_one_mapping_the_same_shards(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(3 * 4096, 16, seed=25)
    with TableScorer(table, workers=2) as scorer:
        names = scorer.segment_names
        scores_of(scorer, keys, eval_keys, u)
        victim = worker_pids(scorer)[1]
        os.kill(victim, signal.SIGKILL)
        with pytest.raises(ScorerFailed, match="died"):
            for _ in range(50):  # until the pool notices the death
                scores_of(scorer, keys, eval_keys, u)
                time.sleep(0.1)
        assert victim not in worker_pids(scorer)
        assert scorer.segment_names == names
        scores = scores_of(scorer, keys, eval_keys, u)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)
    assert not [name for name in names if (SHM / name).exists()]


def test_a_dead_worker_of_the_seal_engine_closes_its_scorer(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(100, 8, seed=26)
    with TableScorer(table, workers=1, engine="seal") as scorer:
        assert scorer.segment_names == []  # SEAL's plaintexts live in the worker
        os.kill(worker_pids(scorer)[0], signal.SIGKILL)
        with pytest.raises(ScorerFailed):
            for _ in range(50):
                scores_of(scorer, keys, eval_keys, u)
                time.sleep(0.1)
        assert scorer.closed


def test_a_query_its_broken_pool_never_fails_is_not_left_to_wait_out_its_timeout(
    keys: SecretKeys, eval_keys: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, u = random_case(100, 8, seed=27)
    with TableScorer(table, workers=1, engine="seal") as scorer:
        pool = scorer._pools[0]
        os.kill(worker_pids(scorer)[0], signal.SIGKILL)
        for _ in range(300):  # until the pool notices the death
            if pool._broken:
                break
            time.sleep(0.1)
        assert pool._broken
        # Python 3.11's pool fails its futures after marking itself broken, without the lock
        # its submit holds: a query submitted in between gets a future nobody ever finishes.
        orphan: futures.Future[list[bytes]] = futures.Future()
        monkeypatch.setattr(pool, "submit", lambda *args, **kwargs: orphan)
        query = encrypt_query(keys, u)
        with pytest.raises(ScorerFailed, match="died"):
            scorer.score(query.wire, eval_keys, timeout=60)  # not a TimeoutError after 60 s
        assert orphan.cancelled()
        assert scorer.closed


OWNER = """
import sys, time
import numpy as np
from crypto import TableScorer
scorer = TableScorer(np.ones((5000, 8), dtype=np.float32), workers=1)
pids = [pid for pool in scorer._pools for pid in pool._processes]
print(" ".join(scorer.segment_names), *pids, flush=True)
time.sleep(600)
"""


def test_a_killed_owner_process_leaves_no_segment_and_no_worker() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", OWNER],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the resource tracker reports what it cleaned up
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    ) as owner:
        assert owner.stdout is not None
        name, pid = owner.stdout.readline().split()
        assert (SHM / name).exists()
        owner.kill()  # no close, no finalizer: the worker and the resource tracker clean up
        owner.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and ((SHM / name).exists() or alive(int(pid))):
        time.sleep(0.1)
    assert not (SHM / name).exists()
    assert not alive(int(pid))


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_room_in_shared_memory_is_checked_before_a_segment_is_made() -> None:
    # A segment larger than /dev/shm's room would kill its worker (SIGBUS) while encoding: such
    # a table stays in the workers' own memory, as the SEAL engine's does (tested above).
    assert room_for(1)
    assert not room_for(os.statvfs(SHM).f_blocks * os.statvfs(SHM).f_frsize + 1)


def private_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no RssAnon")


def test_a_worker_keeps_no_float_copy_and_no_encoding_scratch() -> None:
    with TableScorer(np.ones((1, 128), dtype=np.float32), workers=1) as empty:
        baseline = private_mib(worker_pids(empty)[0])
    table, _ = random_case(65_536, 128, seed=27)  # 32 MiB of floats, 64 MiB encoded
    with TableScorer(table, workers=1) as scorer:
        (pid,) = worker_pids(scorer)
        assert private_mib(pid) - baseline < table.nbytes / 2**20 / 4  # 230 MiB -> 0 at 262k x 256
        assert sum((SHM / name).stat().st_size for name in scorer.segment_names) > table.nbytes
