"""DESIGN's privacy invariants on the server, one test each: after a whole market flow, no table
and no log holds a query, a response, a plaintext feature or score, or the secret key, and the
private item table is never served."""

from __future__ import annotations

import base64
import logging
import struct
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
import numpy as np
import numpy.typing as npt
import pytest
import sqlalchemy
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crypto import SecretKeys, decrypt_scores, encrypt_query, top_k
from crypto.wire import Kind, parse_envelope
from market_server import crud
from market_server.api.main import create_app
from market_server.core.config import Settings
from recommenders.bundle import load_bundle, pack_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION
from tests.factories import SignedClient, make_bundle, upload_bundle
from tests.live_server import free_port

DIM = 8
PIECE = 16  # bytes (or characters) per piece: 128 bits of a ciphertext or a key, or 16 digits
# Envelope and SEAL headers (magic, sizes, the parameters' hash) are the same in every
# ciphertext of a profile; pieces are taken from the random coefficients past them.
HEADER_BYTES = 512


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def escaped(data: bytes) -> bytes:
    """How bytes look in a log line that formats them with %r (byte by byte, as in a longer
    string that holds both quote characters)."""
    return "".join(_ESCAPES[b] for b in data).encode("ascii")


_ESCAPES = [repr(b"\"'" + bytes([b]))[2:-1].removeprefix("\"\\'") for b in range(256)]


@dataclass
class Needles:
    """Private data to look for. Long strings are cut into PIECE-byte pieces at half-piece steps,
    so a copy of any 1.5 pieces of them holds a whole one, in raw, hex and escaped form; their
    base64 is cut the same way. Short values (numbers) are looked for exactly."""

    pieces: dict[bytes, list[tuple[bytes, str]]] = field(default_factory=dict)  # by prefix
    exact: dict[bytes, str] = field(default_factory=dict)

    def _add(self, what: str, needle: bytes) -> None:
        self.pieces.setdefault(needle[:PIECE], []).append((needle, what))

    def add_pieces(self, what: str, data: bytes, *, skip: int = 0, forms: bool = True) -> None:
        for i in range(skip, len(data) - PIECE + 1, PIECE // 2):
            piece = data[i : i + PIECE]
            if len(set(piece)) < PIECE // 2:
                continue  # runs of zeros and the like are in every binary column
            self._add(what, piece)
            if forms:
                self._add(f"{what} (hex)", piece.hex().encode())
                self._add(f"{what} (escaped)", escaped(piece))

    def add_blob(self, what: str, data: bytes, *, skip: int = 0) -> None:
        self.add_pieces(what, data, skip=skip)
        text = b64(data).encode()
        self.add_pieces(f"{what} (base64)", text, skip=skip * 4 // 3, forms=False)

    def add_exact(self, what: str, values: list[bytes]) -> None:
        self.exact.update(dict.fromkeys(values, what))

    def found_in(self, data: bytes) -> set[str]:
        found = {what for value, what in self.exact.items() if value in data}
        pieces = self.pieces
        for i in range(len(data) - PIECE + 1):
            for needle, what in pieces.get(data[i : i + PIECE], ()):
                if data.startswith(needle, i):
                    found.add(what)
        return found


@dataclass
class Flow:
    """What the client holds after a whole flow: its query, the answer, the decrypted scores,
    the features behind them and its secret key, next to the server's app."""

    app: FastAPI
    model_id: int
    impression_id: str
    features: npt.NDArray[np.float64]
    query: bytes
    response: bytes
    scores: npt.NDArray[np.float64]
    secret_key_file: bytes
    secret: bytes  # the key's coefficients inside the key file
    evaluation_keys: bytes
    items: npt.NDArray[np.float32]
    tower: dict[str, npt.NDArray[np.float32]]
    sent: list[bytes] = field(default_factory=list)  # every request, as it left the client

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.state.engine
        return engine

    def private(self) -> Needles:
        """What the server must never keep: the query and the response (raw or encoded), and
        the plaintext the client derived (features, decrypted scores)."""
        needles = Needles()
        needles.add_blob("query", self.query, skip=HEADER_BYTES)
        needles.add_blob("response", self.response, skip=HEADER_BYTES)
        top = top_k(np.abs(self.scores), 10).ids
        needles.add_exact(
            "decrypted scores",
            [repr(float(s)).encode() for s in self.scores]
            + [f"{self.scores[i]:.6f}".encode() for i in top]
            + [struct.pack("<d", float(s)) for s in self.scores],
        )
        needles.add_pieces(
            "decrypted scores", self.scores.astype(np.float32).tobytes(), forms=False
        )
        needles.add_exact(
            "plaintext features",
            [repr(float(x)).encode() for x in self.features]
            + [self.features.tobytes(), self.features.astype(np.float32).tobytes()],
        )
        return needles

    def secret_key(self) -> Needles:
        needles = Needles()
        needles.add_blob("secret key", self.secret)
        key_file = b64(self.secret_key_file).encode()
        needles.add_pieces("secret key file (base64)", key_file, skip=700, forms=False)
        return needles


def stored_values(engine: Engine) -> list[tuple[str, str, bytes]]:
    """(table, column, value as bytes) for every column of every row of every table."""
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine)
    values = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for column, value in zip(table.columns, row, strict=True):
                    values.append((table.name, column.name, as_bytes(value)))
    return values


def as_bytes(value: object) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def leaks(values: Sequence[tuple[str, str, bytes]], needles: Needles) -> dict[str, set[str]]:
    """Where (table.column) each kind of needle turns up."""
    found: dict[str, set[str]] = {}
    for table, column, data in values:
        if what := needles.found_in(data):
            found.setdefault(f"{table}.{column}", set()).update(what)
    return found


def exactly(what: str, values: Iterable[bytes]) -> Needles:
    needles = Needles()
    needles.add_exact(what, list(values))
    return needles


# FastAPI's TestClient is built on a fork of httpx (httpx2): both serve here.
Http = httpx.Client | TestClient


def wait_live(http: Http, model_id: int) -> None:
    deadline = time.monotonic() + 30
    while (status := http.get(f"/v1/models/{model_id}").json()["status"]) in (
        "pending",
        "validating",
    ):
        assert time.monotonic() < deadline, "the model never left validation"
        time.sleep(0.1)
    assert status == "live"


def run_flow(http: Http, app: FastAPI, tmp_path: Path) -> Flow:
    """Deploy, register, fund, upload keys, ask, decrypt, rate (a summary only) and settle."""
    sent: list[bytes] = []

    def record(request: Any) -> None:  # an httpx or an httpx2 Request
        head = f"{request.method} {request.url}\n{dict(request.headers)}\n".encode()
        sent.append(head + request.read())

    http.event_hooks["request"] = [record]
    developer = http.post("/v1/developers", json={"name": "acme"})
    assert developer.status_code == 201, developer.text
    headers = {"Authorization": f"Bearer {developer.json()['api_key']}"}
    assert http.post("/v1/developers/me/faucet", headers=headers).status_code == 200
    bundle_zip = pack_bundle(make_bundle(tmp_path, n=300, d=DIM, name="shelf"))
    bundle = load_bundle(bundle_zip, feature_schema=FEATURE_SCHEMA_VERSION)
    deployed = upload_bundle(http, headers, bundle_zip, stake=100, bid=5, escrow=50)
    assert deployed.status_code == 202, deployed.text
    model_id = deployed.json()["id"]
    wait_live(http, model_id)

    user = SignedClient(http)
    assert user.register().status_code == 201
    assert user.request("POST", "/v1/users/me/faucet").status_code == 200
    assert user.request("POST", "/v1/users/me/budget", json_body={"amount": 200}).status_code == 200
    keys = SecretKeys.generate()
    keys.save_secret_key(tmp_path / "ckks.key")
    key_file = (tmp_path / "ckks.key").read_bytes()
    blob = parse_envelope(key_file, Kind.SECRET_KEY).blobs[0]
    # The key's coefficients (NTT form, data and special prime) end the SEAL blob.
    secret = blob[-keys.profile.poly_modulus_degree * 2 * 8 :]
    evaluation_keys = keys.evaluation_keys()
    uploaded = user.request("POST", "/v1/users/me/evaluation-keys", content=evaluation_keys)
    assert uploaded.status_code == 201, uploaded.text

    features = np.random.default_rng(1).standard_normal(DIM)
    query = encrypt_query(keys, features)
    answer = user.request(
        "POST",
        "/v1/recommendations",
        json_body={
            "evaluation_key_id": uploaded.json()["id"],
            "queries": [{"model_id": model_id, "query": b64(query.wire)}],
        },
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    response = base64.b64decode(result["response"])
    scores = decrypt_scores(keys, response, query)
    exact = bundle.items.astype(np.float64) @ features
    assert top_k(scores, 10).ids.tolist() == top_k(exact, 10).ids.tolist()

    rating = {
        "impression_id": result["impression_id"],
        "shown": 10,
        "liked": 3,
        "disliked": 1,
        "contribution": 2,
    }
    assert user.request("POST", "/v1/ratings", json_body=rating).status_code == 201
    with Session(app.state.engine) as session:  # as `privrec market settle` does
        assert crud.settle(session=session, store=app.state.ledger)[-1].kind == "epoch_close"
    assert user.request("GET", "/v1/users/me/wallet").json()["payouts"] == {"shelf@1.0.0": 200}
    http.event_hooks["request"] = []
    return Flow(
        app=app,
        model_id=model_id,
        impression_id=result["impression_id"],
        features=features,
        query=query.wire,
        response=response,
        scores=scores,
        secret_key_file=key_file,
        secret=secret,
        evaluation_keys=evaluation_keys,
        items=np.asarray(bundle.items),
        tower={name: np.asarray(array) for name, array in bundle.tower.items()},
        sent=sent,
    )


def app_of(client: TestClient) -> FastAPI:
    return cast(FastAPI, client.app)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at its most verbose (TRACE, below DEBUG), silent ones included; caplog
    puts the levels back afterwards."""
    caplog.set_level(1)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(1, logger=name)
    return caplog


@contextmanager
def attached_to_silent_loggers(handler: logging.Handler) -> Iterator[None]:
    """Loggers that do not propagate to the root would bypass caplog: hand them its handler."""
    silent = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in silent:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in silent:
            logger.removeHandler(handler)


def logged_text(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> str:
    records = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    out, err = capfd.readouterr()
    return "\n".join([records, caplog.text, out, err])


def assert_logs_hold_nothing_private(flow: Flow, text: str) -> None:
    data = text.encode("utf-8", errors="backslashreplace")
    assert flow.private().found_in(data) == set(), "the server logged private data"
    assert flow.secret_key().found_in(data) == set(), "the server logged the secret key"


# --- the tests ---------------------------------------------------------------------------------


def test_no_table_holds_a_query_a_response_a_feature_or_a_score(
    client: TestClient, tmp_path: Path
) -> None:
    flow = run_flow(client, app_of(client), tmp_path)
    values = stored_values(flow.engine)
    tables = {table for table, _, _ in values}
    assert {"impression", "rating", "ledger_entry", "evaluationkeyset", "bundleblob"} <= tables
    # The scan finds what is stored: the impression, and the evaluation keys the user uploaded.
    assert "impression.id" in leaks(values, exactly("id", [flow.impression_id.encode()]))
    evaluation_keys = Needles()
    evaluation_keys.add_pieces("evaluation keys", flow.evaluation_keys, skip=HEADER_BYTES)
    assert leaks(values, evaluation_keys) == {"evaluationkeyset.data": {"evaluation keys"}}
    assert leaks(values, flow.private()) == {}


def test_only_the_rating_summary_is_stored(client: TestClient, tmp_path: Path) -> None:
    flow = run_flow(client, app_of(client), tmp_path)
    values = stored_values(flow.engine)
    # No item id (so nothing of the ranking) anywhere but in the model's own public catalog.
    item_ids = exactly("item id", (f"item-{i}".encode() for i in range(len(flow.items))))
    assert "bundleblob.catalog" in leaks(values, item_ids)
    assert set(leaks(values, item_ids)) <= {"bundleblob.bundle", "bundleblob.catalog"}
    with flow.engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text("SELECT shown, liked, disliked, per_item FROM rating")
        ).all()
    assert [tuple(row) for row in rows] == [(10, 3, 1, None)]


def test_the_secret_key_never_reaches_the_server(client: TestClient, tmp_path: Path) -> None:
    flow = run_flow(client, app_of(client), tmp_path)
    secret = flow.secret_key()
    # The search finds the key where it is: in the user's own key file.
    assert secret.found_in(flow.secret_key_file) == {"secret key"}
    # Not in anything the client sent (URL, headers, body) ...
    assert len(flow.sent) >= 10
    assert [secret.found_in(request) for request in flow.sent] == [set()] * len(flow.sent)
    assert any(flow.evaluation_keys in request for request in flow.sent)
    assert any("query (base64)" in flow.private().found_in(r) for r in flow.sent)
    # ... and in no column of any table.
    assert leaks(stored_values(flow.engine), secret) == {}


def test_nothing_logged_holds_a_query_a_response_or_a_key(
    client: TestClient,
    tmp_path: Path,
    all_logs: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    with attached_to_silent_loggers(all_logs.handler):
        flow = run_flow(client, app_of(client), tmp_path)
    text = logged_text(all_logs, capfd)
    # The capture saw the requests and the SQL (with its parameters) they ran.
    assert "/v1/recommendations" in text
    assert flow.impression_id in text
    assert "INSERT INTO rating" in text
    assert_logs_hold_nothing_private(flow, text)


@contextmanager
def uvicorn_in_thread(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn at TRACE level (every ASGI message logged), logging
    through the standard loggers (no log config of its own, so caplog sees it)."""
    port = free_port()
    names = ("uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    levels = {name: logging.getLogger(name).level for name in names}  # uvicorn sets them
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="trace", log_config=None, ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_uvicorn_at_trace_level_logs_no_query_response_or_key(
    settings: Settings,
    tmp_path: Path,
    all_logs: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = create_app(settings)
    with (
        attached_to_silent_loggers(all_logs.handler),
        uvicorn_in_thread(app) as url,
        httpx.Client(base_url=url, timeout=60) as http,
    ):
        flow = run_flow(http, app, tmp_path)
    text = logged_text(all_logs, capfd)
    assert '"POST /v1/recommendations HTTP/1.1" 200' in text  # the access log
    assert "ASGI [" in text and "'body': '<" in text  # every ASGI message, bodies summarised
    assert_logs_hold_nothing_private(flow, text)


def test_the_private_item_table_is_never_served(client: TestClient, tmp_path: Path) -> None:
    flow = run_flow(client, app_of(client), tmp_path)
    base = f"/v1/models/{flow.model_id}"
    served = {}
    for part in ("manifest", "tower", "catalog"):
        response = client.get(f"{base}/{part}")
        assert response.status_code == 200, part
        served[part] = response.content
    for path in ("items", "bundle", "items.safetensors", "%2e%2e%2fitems", "..%2fitems"):
        assert client.get(f"{base}/{path}").status_code == 404, path
    served["model"] = client.get(base).content
    served["list"] = client.get("/v1/models").content
    served["leaderboard"] = client.get("/v1/leaderboard").content
    items = Needles()
    items.add_pieces("item table", flow.items.tobytes())
    items.add_pieces("item table (float64)", flow.items.astype(np.float64).tobytes())
    items.add_exact("item values", [repr(float(x)).encode() for x in flow.items.flat])
    exposed = {name: found for name, data in served.items() if (found := items.found_in(data))}
    assert exposed == {}
    # The same search finds the public tower's weights in the tower that is served.
    tower = Needles()
    for name, weights in flow.tower.items():
        tower.add_pieces(name, weights.tobytes(), forms=False)
    assert tower.found_in(served["tower"]) == set(flow.tower)
