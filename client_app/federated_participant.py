"""The device's side of federated training over the market's HTTP API: find open runs of the
categories the user lets models learn from, draw once per round whether to join it, refuse a
run beyond the user's ε limit, and take part in a round (local update on the user's own
activity, clipped, noised, masked; SecAgg+)."""

from __future__ import annotations

import json
import math
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import numpy as np

from client_app.market import MAX_JSON_BYTES, MarketClient, MarketError
from client_app.training_consent import TrainingConsent
from federated.contribution import encode_contribution
from federated.errors import BudgetExceeded, FederatedError, InvalidMessage, UnsafeRequest
from federated.fixedpoint import Words
from federated.messages import (
    WIRE_VERSION,
    ConsistencyCheck,
    RoundConfig,
    ShareInbox,
    UnmaskRequest,
)
from federated.model import CatalogInputs, Example, local_update
from federated.privacy import epsilon
from federated.runs import RunSpec, model_of, unpack_inputs, unpack_parameters
from federated.secagg import SecAggClient
from federated.signed import SignedAdvertiseKeys, SignedRoster

API = "/v1/training-rounds"
# The most a device downloads of a run's inputs or parameters, whatever the run declares.
MAX_MODEL_BYTES = 64 * 1024 * 1024
# Only while a round is at this stage can a device join it.
JOINABLE_STAGE = "advertise"
MAX_DRAWN_RUNS = 100  # runs whose last draw is remembered; a run has one round at a time


# The user's own training examples for a run, built on the device from their activity in the
# run's categories (never sent anywhere): the app's store, or a test's fixed data.
ExampleSource = Callable[[RunSpec, CatalogInputs], Sequence[Example]]


class NotOptedIn(FederatedError):
    """The run reads a category the user has not let models learn from."""


class RoundMissed(FederatedError):
    """The round moved on (or failed) before this device could finish its part."""


class RosterRefused(UnsafeRequest):
    """The market's roster fails its signatures (a key not signed by its account, this
    device's own entry changed): the device leaves the round before sharing anything."""


class SitOutReason(Enum):
    """Why a device did not take part in a round."""

    PAST_JOINING = "past joining"  # the round under way no longer takes devices
    ALREADY_DRAWN = "already drawn"  # this device drew for this round before
    NOT_SAMPLED = "not sampled"  # the draw left it out
    NO_EXAMPLES = "no examples"  # none of the user's activity leads to the run's items


@dataclass(frozen=True)
class SatOut:
    """A round the device did not take part in: nothing of the user's data was used, nothing
    was sent, no ε was charged."""

    run_id: str
    round_index: int
    reason: SitOutReason


class DrawLog(Protocol):
    """Per run, the round this device last drew for. A second draw in the same round would
    join more often than the sampling rate the ε accounts for."""

    def drawn(self, run_id: str) -> int | None: ...

    def remember(self, run_id: str, round_index: int) -> None: ...


def with_draw(drawn: dict[str, int], run_id: str, round_index: int) -> dict[str, int]:
    """``drawn`` with the run's latest draw, kept last; the oldest runs beyond
    ``MAX_DRAWN_RUNS`` forgotten."""
    kept = {run: index for run, index in drawn.items() if run != run_id}
    kept[run_id] = round_index
    return dict(list(kept.items())[-MAX_DRAWN_RUNS:])


class MemoryDrawLog:
    """The draws of one process (an SDK script); the app keeps its draws in its store."""

    def __init__(self) -> None:
        self._rounds: dict[str, int] = {}

    def drawn(self, run_id: str) -> int | None:
        return self._rounds.get(run_id)

    def remember(self, run_id: str, round_index: int) -> None:
        self._rounds = with_draw(self._rounds, run_id, round_index)


@dataclass(frozen=True)
class Contribution:
    """What one device did in one round: its client id, and whether its input went in."""

    run_id: str
    round_index: int
    client: int
    sent_input: bool


class TrainingParticipant:
    """Takes part in training runs for one user. ``sample(q)`` decides, on the device, whether
    to join a round (Poisson sampling with the run's rate, which the ε accounting assumes),
    once per round: ``draws`` remembers the round drawn for (in memory unless given)."""

    def __init__(
        self,
        market: MarketClient,
        consent: TrainingConsent,
        examples: ExampleSource,
        *,
        draws: DrawLog | None = None,
        rng: np.random.Generator | None = None,
        sample: Callable[[float], bool] | None = None,
        poll_seconds: float = 0.2,
    ) -> None:
        self.market = market
        self.consent = consent
        self.examples = examples
        self.draws = draws or MemoryDrawLog()
        self.rng = rng or np.random.default_rng(secrets.randbits(128))
        self.sample = sample or (lambda rate: secrets.randbelow(2**53) < rate * 2**53)
        self.poll_seconds = poll_seconds
        self._inputs: dict[str, CatalogInputs] = {}

    # --- finding runs -----------------------------------------------------------------------

    def open_runs(self, categories: Sequence[str]) -> list[RunSpec]:
        """Open runs whose categories are all among ``categories`` and opted in."""
        allowed = sorted(c for c in categories if self.consent.opted_in(c))
        if not allowed:
            return []
        query = f"{API}?categories={','.join(allowed)}"
        answer = json.loads(self.market.call("GET", query, signed=False))
        if not isinstance(answer, list):
            raise InvalidMessage("the market's run list is not a list")
        return [RunSpec.from_json(run.get("spec")) for run in answer if isinstance(run, dict)]

    def run(self, run_id: str) -> tuple[RunSpec, dict[str, Any]]:
        answer = json.loads(self.market.call("GET", f"{API}/{run_id}", signed=False))
        if not isinstance(answer, dict):
            raise InvalidMessage("the market's run is not an object")
        spec = RunSpec.from_json(answer.get("spec"))
        if spec.training != run_id:
            raise InvalidMessage("the market answered with another run")
        return spec, answer

    # --- consent and privacy ------------------------------------------------------------------

    def admit(self, spec: RunSpec) -> float:
        """Check the opt-ins and charge the run's ε to the user's budget for its model before
        anything is sent (TrainingConsent composes it with the model's other runs and refuses,
        BudgetExceeded, writing nothing, beyond the user's limit); each later round of the
        same run charges nothing more and counts one more round taken part in. Returns the
        model's ε after it."""
        missing = [c for c in spec.categories if not self.consent.opted_in(c)]
        if missing:
            raise NotOptedIn(f"the run learns from {missing}, which you have not allowed")
        cost = epsilon(spec.plan, spec.delta)
        if not math.isfinite(cost):
            raise BudgetExceeded(f"run {spec.training} adds no noise: its ε is unbounded")
        self.consent.record(
            spec.model, spec.training, spec.categories, cost, spec.delta, plan=spec.plan
        )
        return self.consent.spent(spec.model)

    # --- one round --------------------------------------------------------------------------

    def take_part(
        self, run_id: str, *, timeout: float = 300.0, drop_after_sharing: bool = False
    ) -> Contribution | SatOut:
        """Join the run's round under way and go through it, or sit it out (``SatOut`` says
        why): the round is past joining, this device drew for it already, the draw left it
        out, or none of the user's activity gives an example. The draw is remembered before
        it is made (one per round, even across a crash), and made before the examples are
        built (most rounds are sat out). ``drop_after_sharing`` stops after step 3 (a device
        going offline: the tests' dropout)."""
        spec, answer = self.run(run_id)
        round_index, joinable = round_under_way(answer)
        if not joinable:
            return SatOut(run_id, round_index, SitOutReason.PAST_JOINING)
        if self.draws.drawn(run_id) == round_index:
            return SatOut(run_id, round_index, SitOutReason.ALREADY_DRAWN)
        self.draws.remember(run_id, round_index)
        if not self.sample(spec.sampling_rate):
            return SatOut(run_id, round_index, SitOutReason.NOT_SAMPLED)
        examples = self.examples(spec, self.catalog_inputs(spec))
        if not examples:
            return SatOut(run_id, round_index, SitOutReason.NO_EXAMPLES)
        self.admit(spec)
        speaks = json.dumps({"wire_version": WIRE_VERSION}).encode()
        joined = json.loads(
            self.market.call(
                "POST", f"{API}/{run_id}/join", body=speaks, content_type="application/json"
            )
        )
        client, round_index = int(joined["client"]), int(joined["round_index"])
        config = RoundConfig.from_json(joined["config"])
        expected = spec.round_config(config.round_id, config.graph_seed)
        if config != expected:  # the server may not change the privacy parameters
            raise UnsafeRequest("the round's parameters are not the run's")
        device = SecAggClient(config, client)
        deadline = time.monotonic() + timeout
        identity = self.market.identity
        signed = SignedAdvertiseKeys.sign(device.advertise(), identity)
        self._post(run_id, "advertise", signed.to_bytes())
        raw = self._poll(run_id, "roster", client, deadline)
        try:
            signed_roster = SignedRoster.from_json(
                raw, max_bytes=SignedRoster.max_bytes(config.max_clients)
            )
            roster = signed_roster.verify(identity.public_key_hex, client)
        except InvalidMessage as error:  # no share leaves the device: the round goes on without it
            raise RosterRefused(f"the market's roster is refused: {error}") from None
        shared = device.share_keys(roster, signed_roster.identities)
        self._post(run_id, "share-keys", shared.to_bytes())
        if drop_after_sharing:
            return Contribution(run_id, round_index, client, sent_input=False)
        inbox = ShareInbox.from_json(self._poll(run_id, "inbox", client, deadline))
        words = self.contribution(spec, config, examples)
        self._post(run_id, "masked-input", device.masked_input(inbox, words).to_bytes())
        # The consistency round: sign the survivors the market names; unmask only for that
        # set, once enough survivors signed it too (SecAggClient refuses otherwise).
        limit = ConsistencyCheck.max_bytes(config.max_clients)
        raw = self._poll(run_id, "consistency-check", client, deadline, limit)
        check = ConsistencyCheck.from_json(raw, max_bytes=limit)
        self._post(run_id, "consistency-signature", device.consistency(check, identity).to_bytes())
        limit = UnmaskRequest.max_bytes(config.max_clients)
        raw = self._poll(run_id, "unmask-request", client, deadline, limit)
        request = UnmaskRequest.from_json(raw, max_bytes=limit)
        self._post(run_id, "unmask-response", device.unmask(request).to_bytes())
        return Contribution(run_id, round_index, client, sent_input=True)

    def catalog_inputs(self, spec: RunSpec) -> CatalogInputs:
        """The run's public catalog inputs, downloaded once per run."""
        inputs = self._inputs.get(spec.training)
        if inputs is None:
            data = self.market.call(
                "GET",
                f"{API}/{spec.training}/inputs",
                signed=False,
                limit=min(spec.inputs_bytes, MAX_MODEL_BYTES),
            )
            inputs = self._inputs[spec.training] = unpack_inputs(data, spec)
        return inputs

    def contribution(
        self, spec: RunSpec, config: RoundConfig, examples: Sequence[Example]
    ) -> Words:
        """The clipped, noised, encoded update of the current model on the user's examples:
        what the device masks (it never leaves the device unmasked)."""
        data = self.market.call(
            "GET",
            f"{API}/{spec.training}/parameters",
            signed=False,
            limit=min(spec.parameters_bytes, MAX_MODEL_BYTES),
        )
        model = model_of(spec, unpack_parameters(data, spec))
        update = local_update(
            model,
            self.catalog_inputs(spec),
            examples,
            learning_rate=spec.learning_rate,
            clip_norm=spec.clip_norm,
        )
        return encode_contribution(update, spec.plan, config, self.rng)

    def _post(self, run_id: str, step: str, body: bytes) -> None:
        self.market.call(
            "POST", f"{API}/{run_id}/{step}", body=body, content_type="application/json"
        )

    def _poll(
        self, run_id: str, step: str, client: int, deadline: float, limit: int = MAX_JSON_BYTES
    ) -> bytes:
        """GET a step's message (at most ``limit`` bytes), waiting while the server answers
        409 (the stage is open)."""
        path = f"{API}/{run_id}/{step}?client={client}"
        while True:
            try:
                return self.market.call("GET", path, limit=limit)
            except MarketError as error:
                if error.status != 409 or "not '" not in (error.detail or ""):
                    raise
                if time.monotonic() > deadline:
                    raise RoundMissed(f"{step}: the round did not get there in time") from None
            time.sleep(self.poll_seconds)


def round_under_way(answer: dict[str, Any]) -> tuple[int, bool]:
    """The index of a run's round under way (from the market's description of the run), and
    whether devices can still join it."""
    index = answer.get("round_index")
    rounds = answer.get("rounds")
    if type(index) is not int or index < 0 or not isinstance(rounds, list):
        raise InvalidMessage("the market's run has no valid round under way")
    current = [r for r in rounds if isinstance(r, dict) and r.get("round_index") == index]
    if len(current) != 1:
        raise InvalidMessage(f"the market's run does not describe its round {index}")
    return index, current[0].get("stage") == JOINABLE_STAGE
