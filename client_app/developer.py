"""The market's developer API from the developer's side: sign up, deploy a bundle with its
stake, bid and attention escrow, wait until it is live, top the escrow up, deploy a federated
run's result as a model's next version. Used by `privrec model deploy`, `privrec model escrow`
and the demo."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import httpx

from client_app.market import (
    MarketError,
    MarketUnavailable,
    check_market_url,
    check_status,
    unreachable,
)

if TYPE_CHECKING:
    from recommenders.federated_bundle import TrainingResult

MAX_BUNDLE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Deployment:
    id: int
    name: str
    version: str
    status: str
    stake: int
    bid: int
    escrow: int  # credits in its attention escrow, which pays its bid


class DeveloperClient:
    """One developer account, authenticated by its API key (None until `sign_up`)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_market_url(base_url)
        self.api_key = api_key
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DeveloperClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        headers = dict(headers or {})
        if self.api_key is not None:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as error:
            raise unreachable(self.base_url, error) from error
        check_status(response, method, path)
        try:
            return response.json()
        except ValueError:
            raise MarketError(f"{path}: the market sent invalid JSON") from None

    def sign_up(self, name: str) -> str:
        """Create the developer account; returns its API key (shown once: keep it)."""
        answer = self._call("POST", "/v1/developers", json={"name": name})
        key = answer.get("api_key") if isinstance(answer, dict) else None
        if not isinstance(key, str):
            raise MarketError("the market sent no API key")
        self.api_key = key
        return key

    def me(self) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("GET", "/v1/developers/me")
        return answer

    def faucet(self) -> int:
        """Free credits from a market in local (demo) mode; returns the new balance."""
        answer = self._call("POST", "/v1/developers/me/faucet")
        balance = answer.get("balance") if isinstance(answer, dict) else None
        if not isinstance(balance, int):
            raise MarketError("the market sent a malformed balance")
        return balance

    def deploy(self, bundle: bytes | Path, *, stake: int, bid: int, escrow: int = 0) -> Deployment:
        """Upload a packed bundle (zip or tar: its bytes, or a file streamed from disk, for a
        big table) with its stake, its bid per rated list and the credits of its attention
        escrow, which pays the bids: a model bidding more than its escrow holds is not listed
        (a market under economy rules 1 pays bids from your balance instead). The market
        checks stake and escrow against your balance before it reads the bundle and escrows
        both before unpacking it; a rejected bundle's stake and escrow come back."""
        for name, amount in (("stake", stake), ("bid", bid), ("escrow", escrow)):
            _check_credits(name, amount, minimum=0)
        with contextlib.ExitStack() as stack:
            content: bytes | BinaryIO
            if isinstance(bundle, Path):
                content = file = stack.enter_context(bundle.open("rb"))
                head = file.read(2)
                file.seek(0)
                size = bundle.stat().st_size
            else:
                if len(bundle) > MAX_BUNDLE_BYTES:
                    raise ValueError(f"the bundle is larger than {MAX_BUNDLE_BYTES} bytes")
                content, head, size = bundle, bundle[:2], len(bundle)
            media_type = "application/zip" if head == b"PK" else "application/x-tar"
            try:
                answer = self._call(
                    "POST",
                    "/v1/models",
                    params={"stake": stake, "bid": bid, "escrow": escrow},
                    content=content,
                    headers={"Content-Type": media_type, "Content-Length": str(size)},
                )
            except MarketError as error:
                raise _refused(error, "deploy this bundle") from None
        return _deployment(answer)

    def training_result(self, run_id: str) -> TrainingResult:
        """A training run's spec and its current (noised) parameters and public inputs, read
        from the market (GET /v1/training-rounds/{id}, /parameters, /inputs) and validated;
        MarketError if the market refuses or sends anything malformed."""
        from federated.errors import InvalidMessage
        from federated.runs import RUN_ID_RE
        from recommenders.federated_bundle import TrainingResult

        if not RUN_ID_RE.fullmatch(run_id):
            raise ValueError(f"a run id is 32 lowercase hex characters, not {run_id[:40]!r}")
        path = f"/v1/training-rounds/{run_id}"
        try:
            run = self._call("GET", path)
            spec = TrainingResult.spec_of(
                run_id, run.get("spec") if isinstance(run, dict) else None
            )
            # The spec bounds both blobs: a market cannot make us hold more than it declares.
            parameters = self._read_bytes(f"{path}/parameters", spec.parameters_bytes)
            inputs = self._read_bytes(f"{path}/inputs", spec.inputs_bytes)
            return TrainingResult.parse(spec, parameters, inputs)
        except MarketError as error:
            raise _refused(error, f"read training run {run_id}") from None
        except InvalidMessage as error:
            raise MarketError(
                f"the market sent a malformed training run {run_id}: {error}"
            ) from None

    def deploy_federated_version(
        self, previous: Path, run_id: str, *, version: str, stake: int, bid: int, escrow: int = 0
    ) -> Deployment:
        """Deploy training run ``run_id``'s current parameters as ``version`` of the model the
        run trained, whose current bundle is ``previous`` (a directory or archive): bundled by
        recommenders.federated_bundle, then staked and probed like any bundle. Returns the
        model once the market has settled it (live; MarketError with the reasons if not)."""
        from recommenders.bundle import load_bundle
        from recommenders.features import FEATURE_SCHEMA_VERSION
        from recommenders.federated_bundle import packed

        current = load_bundle(previous, feature_schema=FEATURE_SCHEMA_VERSION)
        built = self.training_result(run_id).next_version(current, version)
        deployed = self.deploy(packed(built), stake=stake, bid=bid, escrow=escrow)
        return self.wait_until_settled(deployed.id)

    def _read_bytes(self, path: str, limit: int) -> bytes:
        """The body of GET ``path``, refused past ``limit`` bytes without reading it all."""
        headers = {} if self.api_key is None else {"Authorization": f"Bearer {self.api_key}"}
        try:
            with self._http.stream("GET", path, headers=headers) as response:
                if response.is_error:
                    response.read()
                    check_status(response, "GET", path)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise MarketError(f"{path}: the market sent more than {limit} bytes")
        except httpx.TransportError as error:
            raise unreachable(self.base_url, error) from error
        return bytes(body)

    def fund_escrow(self, model_id: int, amount: int) -> Deployment:
        """Move ``amount`` credits from your balance into the attention escrow of your model
        ``model_id`` (POST /v1/models/{id}/escrow); the model as it is after."""
        _check_credits("amount", amount, minimum=1)
        what = f"put {amount:,} credits in the attention escrow of model {model_id}"
        try:
            answer = self._call("POST", f"/v1/models/{model_id}/escrow", json={"amount": amount})
        except MarketError as error:
            raise _refused(error, what, model_id=model_id) from None
        return _deployment(answer)

    def model(self, model_id: int) -> Deployment:
        return _deployment(self._call("GET", f"/v1/models/{model_id}"))

    def models(self) -> list[Deployment]:
        answer = self._call("GET", "/v1/models")
        if not isinstance(answer, list):
            raise MarketError("the market sent a malformed model list")
        return [_deployment(entry) for entry in answer]

    def wait_until_settled(self, model_id: int, timeout: float = 120.0) -> Deployment:
        """Poll until validation ends; raise MarketError with the diagnostics if rejected."""
        deadline = time.monotonic() + timeout
        while True:
            deployment = self.model(model_id)
            if deployment.status == "rejected":
                diagnostics = self._call("GET", f"/v1/models/{model_id}/diagnostics")
                raise MarketError(
                    f"model {model_id} was rejected: {json.dumps(diagnostics)[:2000]}"
                )
            if deployment.status not in ("pending", "validating"):
                return deployment
            if time.monotonic() > deadline:
                raise MarketError(f"model {model_id} still {deployment.status} after {timeout} s")
            time.sleep(0.2)


def _deployment(entry: Any) -> Deployment:
    try:
        return Deployment(
            id=int(entry["id"]),
            name=str(entry["name"]),
            version=str(entry["version"]),
            status=str(entry["status"]),
            stake=int(entry["stake"]),
            bid=int(entry["bid"]),
            escrow=int(entry["escrow"]),
        )
    except (KeyError, TypeError, ValueError):
        raise MarketError("the market sent a malformed model description") from None


def _check_credits(name: str, amount: object, *, minimum: int) -> None:
    if type(amount) is not int or amount < minimum:
        raise ValueError(
            f"the {name} must be a whole number of credits of at least {minimum}, got {amount!r}"
        )


def _refused(error: MarketError, what: str, *, model_id: int | None = None) -> MarketError:
    """The market's refusal of ``what`` (e.g. "deploy this bundle") as a plain sentence, with
    its own explanation; a failure to answer at all (5xx, malformed) is passed on as it is."""
    if error.status is None or error.status >= 500:
        return error
    detail = (error.detail or "no reason given").rstrip(".")
    if error.status == 401:
        sentence = f"The market does not know your API key, so it will not {what}."
    elif error.status == 403:
        whose = f"model {model_id} is another developer's" if model_id is not None else detail
        sentence = f"You may not {what}: {whose}."
    elif error.status == 404 and model_id is not None:
        sentence = f"Cannot {what}: this market has no model {model_id}."
    elif error.status == 409 and detail.startswith(("overdraft", "stake not escrowed")):
        sentence = f"Cannot {what}: your balance is too low ({detail})."
    elif error.status == 409:
        sentence = f"Cannot {what}: {detail}."
    elif error.status == 429:
        sentence = f"Cannot {what} now: {detail}."
    elif error.status == 422:
        sentence = f"The market refused the amounts given to {what}: {detail}."
    else:
        sentence = f"The market refused to {what}: {detail}."
    kind = MarketUnavailable if isinstance(error, MarketUnavailable) else MarketError
    return kind(sentence, status=error.status, detail=error.detail)
