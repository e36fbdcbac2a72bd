"""The market's HTTP API as the app uses it: every user request signed with the identity key,
every answer checked before use. The only place the app touches the network."""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from crypto import IdentityKey, sign_request
from crypto.identity import SIGNATURE_VERSION
from crypto.profiles import MAX_ITEMS
from crypto.wire import Kind, max_envelope_bytes
from ledger.book import PayoutLine, UserSettlement
from ledger.economy import LedgerError
from ledger.entries import EXPORT_PAGE_ENTRIES, MAX_LINE_BYTES
from ledger.head import SignedHead

# Bounds on what the market may send back before it is parsed.
MAX_JSON_BYTES = 64 * 1024 * 1024
# A recommendation answer's JSON around its responses: the epoch, and per model its id and
# impression id (a few hundred bytes; generous, as the responses dominate).
_ROUND_JSON_BYTES = 64 * 1024
_RESULT_JSON_BYTES = 1024
# A manifest or tower, or the catalog of a model the market lists without its size (a market
# older than `catalog_bytes`); a listed catalog's limit is its declared size (model_cache.py).
MAX_PART_BYTES = 128 * 1024 * 1024
LEDGER_PAGE = EXPORT_PAGE_ENTRIES  # entries per export page (the market's maximum)
MAX_LEDGER_PAGE_BYTES = LEDGER_PAGE * (MAX_LINE_BYTES + 1)
PARTS = ("manifest", "tower", "catalog")


class MarketError(RuntimeError):
    """The market answered, but refused the request (``status`` is its HTTP status) or sent
    something malformed (``status`` is None); ``detail`` is the market's own explanation."""

    def __init__(self, message: str, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class MarketUnavailable(MarketError):
    """The market could not be reached, or failed on its side (5xx, 429): worth retrying later.
    ``reason`` says which, for the app's words: "unreachable" (nothing answers), "timeout",
    "broken" (the connection broke off) or "failed" (it answered with ``status``)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        detail: str | None = None,
        reason: str = "failed",
    ) -> None:
        super().__init__(message, status, detail)
        self.reason = reason


class MarketKeyChanged(MarketError):
    """The market at this URL has another key than the one pinned when we first connected:
    nothing is signed for it (it may be another market, or an impostor)."""


def check_market_url(url: str) -> str:
    """A market base URL, normalised (no trailing slash); ValueError if it is not one."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL, e.g. http://127.0.0.1:8000")
    if parts.query or parts.fragment:
        raise ValueError("the market URL takes no query or fragment")
    return url


@dataclass(frozen=True)
class MarketInfo:
    """Who a market is (``GET /v1/market``): requests are signed for its ``public_key``."""

    public_key: str
    api_version: str
    signature_version: int
    mode: str
    faucet: bool
    # The market's epoch clock; None from a market older than it (which does not say).
    epoch: int | None = None
    epoch_seconds: int | None = None
    epoch_started: datetime | None = None  # None too while its ledger is empty
    epoch_due: datetime | None = None  # from then the open epoch may be settled
    auto_settle: bool | None = None
    # The largest catalog it lets a model have; None from a market older than it.
    max_catalog_bytes: int | None = None


@dataclass(frozen=True)
class LiveModel:
    id: int
    name: str
    version: str
    developer: str
    description: str
    categories: tuple[str, ...]
    dim: int
    items: int
    stake: int
    bid: int
    # The categories it reads that a user need not opt into (a subset of `categories`); a
    # market older than optional categories lists none, so every category is required.
    optional_categories: tuple[str, ...] = ()
    # The bytes of its catalog (downloaded whole); None from a market older than it says.
    catalog_bytes: int | None = None

    @property
    def key(self) -> str:
        """What reputation is kept under: the developer's model across its versions."""
        return f"{self.developer}/{self.name}"

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version} by {self.developer}"


@dataclass(frozen=True)
class EncryptedResult:
    model_id: int
    impression_id: str
    response: bytes
    # The market's time scoring the request this result came from (its Server-Timing), if said.
    scoring_seconds: float | None = None


@dataclass(frozen=True)
class Wallet:
    account: str
    balance: int
    epoch: int
    budget: int
    attention_earned: int
    payouts: dict[str, int]
    # None from a market that does not say (one older than rules v2).
    committed: int | None = None
    attention_cap_left: int | None = None
    last_settlement: UserSettlement | None = None


@dataclass(frozen=True)
class RatingReceipt:
    attention_paid: int
    epoch: int | None  # None from a market older than vote changes


def _field(payload: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = payload.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise MarketError(f"the market sent a malformed answer: {name!r} is {value!r:.60}")
    return value


def _optional_int(payload: Mapping[str, Any], name: str) -> int | None:
    return None if payload.get(name) is None else int(_field(payload, name, int))


def _optional_bool(payload: Mapping[str, Any], name: str) -> bool | None:
    return None if payload.get(name) is None else bool(_field(payload, name, bool))


def _settlement(value: Any) -> UserSettlement | None:
    if value is None:
        return None
    lines = _field(value, "lines", list) if isinstance(value, dict) else None
    if lines is None or not all(isinstance(line, dict) for line in lines):
        raise MarketError("the market sent a malformed answer: 'last_settlement'")
    return UserSettlement(
        epoch=_field(value, "epoch", int),
        refunded=_field(value, "refunded", int),
        clawback=_field(value, "clawback", int),
        lines=tuple(
            PayoutLine(
                model=_field(line, "model", str),
                contribution=_field(line, "contribution", int),
                paid=_field(line, "paid", int),
                fee=_field(line, "fee", int),
                burned=_field(line, "burned", int),
            )
            for line in lines
        ),
    )


def _optional_time(payload: Mapping[str, Any], name: str) -> datetime | None:
    """An ISO-8601 time with its offset, or None when absent."""
    if payload.get(name) is None:
        return None
    text = _field(payload, name, str)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise MarketError(f"the market sent a malformed answer: {name!r} is {text!r:.60}")
    return moment


def _int_map(value: Any, name: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        raise MarketError(f"the market sent a malformed answer: {name!r}")
    return dict(value)


class MarketClient:
    """Talks to one market as one user. ``transport`` lets tests plug in an ASGI app.

    Every signed request names the market's key, asked once (:meth:`info`); ``pinned_key`` is
    the key seen when we first connected, and a market answering with another is refused."""

    def __init__(
        self,
        base_url: str,
        identity: IdentityKey,
        *,
        pinned_key: str | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_market_url(base_url)
        self.identity = identity
        self.pinned_key = pinned_key
        self._info: MarketInfo | None = None
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport, follow_redirects=False
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MarketClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        signed: bool = False,
        headers: Mapping[str, str] | None = None,
        limit: int = MAX_JSON_BYTES,
        sink: Callable[[bytes], object] | None = None,
    ) -> httpx.Response:
        """The market's answer, read up to ``limit`` bytes; a successful answer's body goes to
        ``sink`` a piece at a time if given (never held whole), else to ``response.content``."""
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["content-type"] = content_type
        if signed:
            market = self.info().public_key
            all_headers.update(
                sign_request(
                    self.identity, method, path, body, market=market, timestamp=int(time.time())
                )
            )
        try:
            with self._http.stream(
                method, path, content=body or None, headers=all_headers
            ) as response:
                declared = response.headers.get("content-length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise MarketError(f"{path}: the answer is larger than {limit} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise MarketError(f"{path}: the answer is larger than {limit} bytes")
                    # A refusal's explanation is kept for check_status, not given to the sink.
                    if sink is None or response.status_code >= 300:
                        chunks.append(chunk)
                    else:
                        sink(chunk)
                response._content = b"".join(chunks)
        except httpx.TransportError as error:
            raise unreachable(self.base_url, error) from error
        check_status(response, method, path)
        return response

    def call(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        signed: bool = True,
        content_type: str | None = None,
        limit: int = MAX_JSON_BYTES,
    ) -> bytes:
        """One request's answer as bytes (for callers that parse it themselves, such as the
        federated training messages); MarketError or MarketUnavailable as for every call."""
        response = self._send(
            method, path, body=body, content_type=content_type, signed=signed, limit=limit
        )
        return response.content

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return _json_body(self._send(method, path, **kwargs), path)

    def _signed(self, method: str, path: str, payload: Any = None) -> httpx.Response:
        body = b"" if payload is None else json.dumps(payload).encode()
        content_type = None if payload is None else "application/json"
        return self._send(method, path, body=body, content_type=content_type, signed=True)

    def _signed_json(self, method: str, path: str, payload: Any = None) -> Any:
        return _json_body(self._signed(method, path, payload), path)

    # --- the market's identity -----------------------------------------------------------------

    def info(self, *, refresh: bool = False) -> MarketInfo:
        """The market's identity and what it offers, asked once per client (again with
        ``refresh``: its epoch clock moves); MarketKeyChanged if its key is not the pinned one."""
        if self._info is None or refresh:
            answer = self._json("GET", "/v1/market")
            if not isinstance(answer, dict):
                raise MarketError("the market sent a malformed identity")
            info = MarketInfo(
                public_key=_field(answer, "public_key", str),
                api_version=_field(answer, "api_version", str),
                signature_version=_field(answer, "signature_version", int),
                mode=_field(answer, "mode", str),
                faucet=_field(answer, "faucet", bool),
                epoch=_optional_int(answer, "epoch"),
                epoch_seconds=_optional_int(answer, "epoch_seconds"),
                epoch_started=_optional_time(answer, "epoch_started"),
                epoch_due=_optional_time(answer, "epoch_due"),
                auto_settle=_optional_bool(answer, "auto_settle"),
                max_catalog_bytes=_optional_int(answer, "max_catalog_bytes"),
            )
            if info.max_catalog_bytes is not None and info.max_catalog_bytes < 1:
                raise MarketError("the market sent a malformed answer: 'max_catalog_bytes' < 1")
            if info.epoch_seconds is not None and info.epoch_seconds < 1:
                raise MarketError("the market sent a malformed answer: 'epoch_seconds' < 1")
            if len(info.public_key) != 64 or info.public_key.strip("0123456789abcdef"):
                raise MarketError("the market's public key is not 64 lowercase hex characters")
            if info.signature_version != SIGNATURE_VERSION:
                raise MarketError(
                    f"the market accepts signed requests of version {info.signature_version}, "
                    f"this app signs version {SIGNATURE_VERSION}: update the older of the two"
                )
            self._info = info
        if self.pinned_key is not None and self._info.public_key != self.pinned_key:
            raise MarketKeyChanged(
                f"the market's signing key changed since you first connected to "
                f"{self.base_url} (was {self.pinned_key[:16]}..., now "
                f"{self._info.public_key[:16]}...): nothing is sent to it"
            )
        return self._info

    # --- account ------------------------------------------------------------------------------

    def register(self) -> str:
        """Create this identity's account (or confirm it exists); returns the account id."""
        answer = self._signed_json("POST", "/v1/users")
        account: str = _field(answer, "id", str)
        if account != self.identity.public_key_hex:
            raise MarketError("the market registered a different account than ours")
        return account

    def upload_evaluation_keys(self, data: bytes) -> str:
        answer = self._json(
            "POST",
            "/v1/users/me/evaluation-keys",
            body=data,
            content_type="application/octet-stream",
            signed=True,
        )
        key_id: str = _field(answer, "id", str)
        return key_id

    def delete_evaluation_keys(self, key_id: str) -> bool:
        """Remove one of our evaluation-key sets from the market; False if it was not there."""
        try:
            self._send("DELETE", f"/v1/users/me/evaluation-keys/{key_id}", signed=True)
        except MarketError as error:
            if error.status == 404:
                return False
            raise
        return True

    def evaluation_key_ids(self) -> list[str]:
        """The ids of the evaluation-key sets the market stores for us, oldest first."""
        answer = self._signed_json("GET", "/v1/users/me/evaluation-keys")
        if not isinstance(answer, list) or not all(isinstance(entry, dict) for entry in answer):
            raise MarketError("the market sent a malformed list of evaluation keys")
        return [_field(entry, "id", str) for entry in answer]

    def has_evaluation_keys(self, key_id: str) -> bool:
        """Whether the market stores this set in a form it can use (410: an older wire format
        version, which the market no longer reads)."""
        try:
            self._signed_json("GET", f"/v1/users/me/evaluation-keys/{key_id}")
        except MarketError as error:
            if error.status in (404, 410):
                return False
            raise
        return True

    def wallet(self) -> Wallet:
        answer = self._signed_json("GET", "/v1/users/me/wallet")
        return Wallet(
            account=_field(answer, "account", str),
            balance=_field(answer, "balance", int),
            epoch=_field(answer, "epoch", int),
            budget=_field(answer, "budget", int),
            attention_earned=_field(answer, "attention_earned", int),
            payouts=_int_map(answer.get("payouts"), "payouts"),
            committed=_optional_int(answer, "committed"),
            attention_cap_left=_optional_int(answer, "attention_cap_left"),
            last_settlement=_settlement(answer.get("last_settlement")),
        )

    def fund_budget(self, amount: int) -> Wallet:
        self._signed_json("POST", "/v1/users/me/budget", {"amount": amount})
        return self.wallet()

    def faucet(self) -> Wallet:
        """Free credits from a market in local (demo) mode."""
        self._signed_json("POST", "/v1/users/me/faucet")
        return self.wallet()

    # --- models -------------------------------------------------------------------------------

    def live_models(self) -> list[LiveModel]:
        answer = self._json("GET", "/v1/models")
        if not isinstance(answer, list):
            raise MarketError("the market sent a malformed model list")
        models = []
        for entry in answer:
            if not isinstance(entry, dict) or entry.get("status") != "live":
                continue
            categories = _field(entry, "categories", list)
            optional = entry.get("optional_categories", [])
            if (
                not isinstance(optional, list)
                or not all(isinstance(c, str) for c in [*categories, *optional])
                or not set(optional) <= set(categories)
            ):
                raise MarketError("the market sent a malformed model list")
            catalog_bytes = _optional_int(entry, "catalog_bytes")
            if catalog_bytes is not None and catalog_bytes < 1:
                raise MarketError("the market sent a malformed model list: 'catalog_bytes' < 1")
            models.append(
                LiveModel(
                    id=_field(entry, "id", int),
                    name=_field(entry, "name", str),
                    version=_field(entry, "version", str),
                    developer=_field(entry, "developer", str),
                    description=_field(entry, "description", str),
                    categories=tuple(categories),
                    dim=_field(entry, "dim", int),
                    items=_field(entry, "items", int),
                    stake=_field(entry, "stake", int),
                    bid=_field(entry, "bid", int),
                    optional_categories=tuple(optional),
                    catalog_bytes=catalog_bytes,
                )
            )
        # Oldest first (ids grow with deployment): a round's lists are blended in this order,
        # and a contribution credits an item to the model that proposed it first.
        return sorted(models, key=lambda model: model.id)

    def download_part(
        self,
        model_id: int,
        part: str,
        sink: Callable[[bytes], object],
        *,
        limit: int = MAX_PART_BYTES,
    ) -> int:
        """A model's public part (manifest, tower or whole catalog), given to ``sink`` a piece
        at a time; its size. MarketError as soon as it is larger than ``limit`` bytes."""
        if part not in PARTS:
            raise ValueError(f"unknown model part {part!r}")
        size = 0

        def counted(chunk: bytes) -> None:
            nonlocal size
            size += len(chunk)
            sink(chunk)

        self._send("GET", f"/v1/models/{model_id}/{part}", limit=limit, sink=counted)
        return size

    # --- recommendations and ratings ----------------------------------------------------------

    def recommend(
        self,
        evaluation_key_id: str,
        queries: Sequence[tuple[int, bytes]],
        *,
        items: Mapping[int, int],
    ) -> tuple[int, list[EncryptedResult]]:
        """One round: an encrypted query per model; the epoch and each model's encrypted scores.
        ``items``: each model's item count (as listed), which bounds the answer's size."""
        limit = max_recommendation_bytes([items[model_id] for model_id, _ in queries])
        payload = {
            "evaluation_key_id": evaluation_key_id,
            "queries": [
                {"model_id": model_id, "query": base64.b64encode(query).decode("ascii")}
                for model_id, query in queries
            ],
        }
        body = json.dumps(payload).encode()
        response = self._send(
            "POST",
            "/v1/recommendations",
            body=body,
            content_type="application/json",
            signed=True,
            limit=limit,
        )
        answer = _json_body(response, "/v1/recommendations")
        scoring = scoring_seconds(response.headers.get("server-timing"))
        epoch: int = _field(answer, "epoch", int)
        results = []
        asked = {model_id for model_id, _ in queries}
        for entry in _field(answer, "results", list):
            if not isinstance(entry, dict):
                raise MarketError("the market sent a malformed recommendation result")
            model_id = _field(entry, "model_id", int)
            if model_id not in asked:
                raise MarketError(f"the market answered for model {model_id}, not asked for")
            try:
                scores = base64.b64decode(_field(entry, "response", str), validate=True)
            except (binascii.Error, ValueError):
                raise MarketError("the market sent a response that is not base64") from None
            impression_id = _field(entry, "impression_id", str)
            results.append(EncryptedResult(model_id, impression_id, scores, scoring))
        return epoch, results

    def rate(self, summary: Mapping[str, Any]) -> RatingReceipt:
        """Send one impression's rating summary; what it paid you, and the epoch it counts in."""
        answer = self._signed_json("POST", "/v1/ratings", dict(summary))
        paid = answer.get("attention_paid", 0)
        return RatingReceipt(
            attention_paid=paid if isinstance(paid, int) and not isinstance(paid, bool) else 0,
            epoch=_optional_int(answer, "epoch"),
        )

    def change_vote(self, impression_id: str, vote: Mapping[str, Any]) -> int:
        """Replace the vote of a rating (liked, disliked, contribution and, if the rating
        shared them, items); returns how many more changes the market allows."""
        path = f"/v1/ratings/{quote(impression_id, safe='')}"
        answer = self._signed_json("PUT", path, dict(vote))
        left: int = _field(answer, "changes_left", int)
        return left

    # --- ledger -------------------------------------------------------------------------------

    def ledger_head(self) -> SignedHead | None:
        """The market's signed tree head (its signature unchecked), or None while the ledger is
        empty."""
        try:
            data = self._json("GET", "/v1/ledger/head")
        except MarketError as error:
            if error.status == 404:
                return None
            raise
        try:
            return SignedHead.from_dict(data)
        except LedgerError as error:
            raise MarketError(f"the market's signed head is malformed: {error}") from None

    def ledger_page(self, *, after: int | None, limit: int = LEDGER_PAGE) -> list[str]:
        """Exported entries after seq ``after`` (None: from the first), at most ``limit``."""
        query = f"?limit={limit}" + ("" if after is None else f"&after={after}")
        response = self._send("GET", "/v1/ledger" + query, limit=MAX_LEDGER_PAGE_BYTES)
        try:
            text = response.content.decode("utf-8")
        except UnicodeDecodeError:
            raise MarketError("the exported ledger is not UTF-8") from None
        return [line for line in text.splitlines() if line.strip()]


def max_recommendation_bytes(item_counts: Sequence[int]) -> int:
    """The largest answer a round may bring for models of these item counts: each model's
    largest response envelope (7.25 B per item on wire format 2), in base64, plus the JSON
    around it. Derived from the tables asked, so one model of 2^24 items (~160 MB) is read
    and a market cannot make the app read more than what it asked for."""
    total = _ROUND_JSON_BYTES
    for count in item_counts:
        if not 1 <= count <= MAX_ITEMS:
            raise MarketError(f"the market lists a model of {count} items, outside 1..{MAX_ITEMS}")
        response = max_envelope_bytes(Kind.RESPONSE, items=count)
        total += 4 * -(-response // 3) + _RESULT_JSON_BYTES
    return total


def _json_body(response: httpx.Response, path: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise MarketError(f"{path}: the market sent invalid JSON") from None


def scoring_seconds(header: str | None) -> float | None:
    """The ``score`` duration of a Server-Timing header, in seconds; None if absent or unusable
    (it only informs the app's timing breakdown)."""
    for metric in (header or "").split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        if name != "score":
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "dur":
                try:
                    milliseconds = float(value.strip().strip('"'))
                except ValueError:
                    return None
                return milliseconds / 1000 if 0 <= milliseconds < 1e9 else None
    return None


def unreachable(base_url: str, error: httpx.TransportError) -> MarketUnavailable:
    if isinstance(error, httpx.TimeoutException):
        reason = "timeout"
    elif isinstance(error, httpx.ConnectError):
        reason = "unreachable"
    else:
        reason = "broken"
    return MarketUnavailable(
        f"cannot reach the market at {base_url}: {error or type(error).__name__}", reason=reason
    )


def check_status(response: httpx.Response, method: str, path: str) -> None:
    """Raise MarketUnavailable (5xx, 429: retry later) or MarketError (other 4xx)."""
    if response.status_code >= 500 or response.status_code == 429:
        raise MarketUnavailable(
            f"{method} {path}: the market failed ({response.status_code}); try again later",
            response.status_code,
            _detail(response),
        )
    if response.status_code >= 400:
        detail = _detail(response)
        raise MarketError(f"{method} {path}: {detail}", status=response.status_code, detail=detail)


def _detail(response: httpx.Response) -> str:
    try:
        detail = json.loads(response.content).get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return str(detail[0].get("msg", detail[0]))
    return f"HTTP {response.status_code}"
