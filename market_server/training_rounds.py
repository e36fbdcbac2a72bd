"""Federated training runs on the market: opening one (its budget escrowed in the ledger), the
SecAgg+ round state machine kept in the database (federated.secagg.SecAggServer rebuilt from the
rows for each message), stage deadlines, aggregation, payments and the run's end."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from federated.contribution import decode_mean
from federated.errors import FederatedError, InvalidMessage, ProtocolAbort
from federated.masking import check_enough, neighbours
from federated.messages import (
    WIRE_VERSION,
    ConsistencySignature,
    MaskedInput,
    ShareKeys,
    UnmaskResponse,
)
from federated.runs import RunSpec, pack_parameters, unpack_parameters
from federated.secagg import SecAggServer
from federated.server_optimizer import AdamMoments, server_step
from federated.signed import SignedAdvertiseKeys, SignedRoster
from ledger.economy import Body, training_account
from ledger.entries import Entry
from ledger.replay import Ledger
from market_server.ledger_store import LedgerStore, current_epoch
from market_server.models import Developer, ModelStatus, ModelVersion, User, utcnow
from market_server.training_tables import (
    RunStatus,
    Stage,
    TrainingClient,
    TrainingRound,
    TrainingRun,
    TrainingShare,
)

_OPEN_STAGES = (Stage.ADVERTISE, Stage.SHARE, Stage.MASK, Stage.CHECK, Stage.UNMASK)
_NO_INPUT = np.zeros(0, dtype=np.uint32)  # a masked input's place when only its presence counts


class TrainingRefused(Exception):
    """The request is well formed but not allowed now (the message says why): a 409."""


class NotInRound(Exception):
    """The signed account has no device in the round under way: a 403."""


class WrongWireVersion(Exception):
    """The device speaks another SecAgg wire version than the round: a 400, before it is
    given a seat (it could not follow the round's messages, and would hold the seat idle)."""


def _stale(round_: TrainingRound) -> str | None:
    """Why a round cannot go on under this server's wire version, or None if it can."""
    if round_.wire_version == WIRE_VERSION:
        return None
    return (
        f"round {round_.round_index} was opened under wire version {round_.wire_version} and "
        f"the market now speaks version {WIRE_VERSION}: the round is dropped (nothing unmasked, "
        "nobody paid) and the run goes on with its next round"
    )


@dataclass(frozen=True)
class RoundView:
    """A round rebuilt from its rows: the SecAgg+ server state and the devices by client id."""

    run: TrainingRun
    spec: RunSpec
    round: TrainingRound
    server: SecAggServer
    clients: dict[int, TrainingClient]


def spec_of(run: TrainingRun) -> RunSpec:
    return RunSpec.from_json(json.loads(run.spec))


# --- opening and ending runs ---------------------------------------------------------------------


def open_run(
    *,
    session: Session,
    store: LedgerStore,
    developer: Developer,
    model: ModelVersion,
    spec: RunSpec,
    parameters: bytes,
    inputs: bytes,
    budget: int,
    stage_seconds: float,
    max_open_runs: int,
) -> TrainingRun:
    """Escrow ``budget`` from the developer and open the run with its first round; raises
    TrainingRefused or LedgerError (a balance too low), leaving nothing written."""
    developer_id, model_id = developer.id, model.id
    assert developer_id is not None and model_id is not None

    def change(ledger: Ledger, now: str) -> list[Entry]:
        session.refresh(model)
        if model.status in (ModelStatus.RETIRED, ModelStatus.REJECTED):
            raise TrainingRefused(f"model {model.id} is {model.status.value}: it trains no more")
        open_runs = session.exec(
            select(TrainingRun.id).where(
                TrainingRun.developer_id == developer.id, TrainingRun.status == RunStatus.OPEN
            )
        ).all()
        if len(open_runs) >= max_open_runs:
            raise TrainingRefused(
                f"you have {len(open_runs)} open training runs, the most allowed: "
                "cancel one or wait for it to finish"
            )
        body: Body = {
            "training": spec.training,
            "model": spec.model,
            "developer": developer.name,
            "budget": budget,
            "reward": spec.reward,
            "rounds": spec.rounds,
        }
        entries = ledger.append_with_run(
            "training_open", body, epoch=current_epoch(ledger), time=now
        )
        session.add(
            TrainingRun(
                id=spec.training,
                model_id=model_id,
                developer_id=developer_id,
                spec=json.dumps(spec.to_json(), sort_keys=True),
                stage_seconds=stage_seconds,
                budget=budget,
                parameters=parameters,
                inputs=inputs,
            )
        )
        session.flush()
        session.add(_new_round(spec.training, 0, stage_seconds))
        return entries

    store.change(session, change)
    run = session.get(TrainingRun, spec.training)
    assert run is not None
    return run


def new_spec_id() -> str:
    return os.urandom(16).hex()


def _new_round(run_id: str, index: int, stage_seconds: float) -> TrainingRound:
    return TrainingRound(
        run_id=run_id,
        round_index=index,
        round_id=os.urandom(16).hex(),
        graph_seed=os.urandom(32).hex(),
        deadline=time.time() + stage_seconds,
        wire_version=WIRE_VERSION,
    )


def cancel_run(*, session: Session, store: LedgerStore, run: TrainingRun) -> None:
    """End an open run now: the round under way fails (nothing of it is unmasked) and the
    escrow left goes back to the developer."""

    def change(ledger: Ledger, now: str) -> list[Entry]:
        _lock(session, run)
        if run.status != RunStatus.OPEN:
            raise TrainingRefused(f"run {run.id} is {run.status.value} already")
        current = session.get(TrainingRound, (run.id, run.round_index))
        if current is not None and current.stage in _OPEN_STAGES:
            current.stage, current.message = Stage.FAILED, "the developer cancelled the run"
            _forget_round(session, current)
        return _end_run(session, ledger, run, RunStatus.CANCELLED, now)

    store.change(session, change)


def _end_run(
    session: Session, ledger: Ledger, run: TrainingRun, status: RunStatus, now: str
) -> list[Entry]:
    run.status, run.ended_at = status, utcnow()
    session.add(run)
    return ledger.append_with_run(
        "training_close", {"training": run.id}, epoch=current_epoch(ledger), time=now
    )


def escrow_left(store: LedgerStore, session: Session, run: TrainingRun) -> int:
    return store.snapshot(session).book.balance(training_account(run.id))


# --- the round state, rebuilt from its rows -----------------------------------------------------


def _lock(session: Session, run: TrainingRun) -> None:
    """Serialise changes to one run across server processes (a row lock until commit)."""
    session.exec(update(TrainingRun).where(col(TrainingRun.id) == run.id).values(id=run.id))
    session.refresh(run)


def load_round(
    session: Session, run: TrainingRun, *, with_inputs: bool = False, inbox_of: int | None = None
) -> RoundView:
    """The round under way. Masked inputs are read only ``with_inputs`` (the aggregation) and
    share ciphertexts only those sealed to ``inbox_of``: no step needs the others, and a poll
    must not cost the server the whole round's data."""
    spec = spec_of(run)
    # populate_existing: another request may have moved the round since this session read it.
    current = session.get(TrainingRound, (run.id, run.round_index), populate_existing=True)
    if current is None:
        raise TrainingRefused(f"run {run.id} has no round under way (it is {run.status.value})")
    stale = _stale(current)
    if stale is not None:  # `advance` drops it; nothing of it may run meanwhile
        raise TrainingRefused(stale)
    config = spec.round_config(bytes.fromhex(current.round_id), bytes.fromhex(current.graph_seed))
    server = SecAggServer(config)
    in_round = (
        col(TrainingClient.run_id) == run.id,
        col(TrainingClient.round_index) == run.round_index,
    )
    query = select(TrainingClient).where(*in_round).execution_options(populate_existing=True)
    if not with_inputs:  # 4 bytes a parameter a device: read only which devices sent one
        query = query.options(defer(TrainingClient.masked))  # type: ignore[arg-type]
    rows = session.exec(query).all()
    sent = set(
        session.exec(
            select(TrainingClient.client).where(*in_round, col(TrainingClient.masked).is_not(None))
        ).all()
    )
    clients = {row.client: row for row in rows}
    server.keys = {
        row.client: (row.channel_key, row.mask_key)
        for row in rows
        if row.channel_key is not None and row.mask_key is not None
    }
    server.identities = {row.client: row.user_id for row in rows if row.client in server.keys}
    if current.stage in _OPEN_STAGES:
        server.stage = current.stage.value
    if current.stage != Stage.ADVERTISE:
        server.graph = neighbours(list(server.keys), config.degree, config.graph_seed)
    shares: dict[int, dict[int, bytes]] = {row.client: {} for row in rows if row.shared}
    if inbox_of is not None:
        for share in session.exec(
            select(TrainingShare).where(
                TrainingShare.run_id == run.id,
                TrainingShare.round_index == run.round_index,
                TrainingShare.receiver == inbox_of,
            )
        ):
            # A sender whose share-keys was committed after its row was read above is left
            # out (reads here take no lock): the view stays the one the rows describe.
            if share.sender in shares:
                shares[share.sender][share.receiver] = share.ciphertext
    server.shares = dict(shares)
    for row in rows:
        if row.client in sent:
            masked = row.masked if with_inputs else None
            words = _NO_INPUT if masked is None else np.frombuffer(masked, "<u4").astype(np.uint32)
            server.masked[row.client] = words
        if row.consistency_signature is not None:
            server.signatures[row.client] = row.consistency_signature
        if row.unmask is not None:
            server.responses[row.client] = UnmaskResponse.from_json(json.loads(row.unmask))
    return RoundView(run, spec, current, server, clients)


def _own_client(view: RoundView, user: User, client: int) -> TrainingClient:
    row = view.clients.get(client)
    if row is None or row.user_id != user.id:
        raise NotInRound(f"client {client} of this round is not your device")
    return row


def _at(view: RoundView, stage: Stage) -> None:
    if view.round.stage != stage:
        raise TrainingRefused(
            f"round {view.round.round_index} is at {view.round.stage.value!r}, not {stage.value!r}"
        )


# --- the devices' messages -----------------------------------------------------------------------


def join(
    *,
    session: Session,
    store: LedgerStore,
    run: TrainingRun,
    user: User,
    min_commitment: int,
    wire_version: int | None,
) -> TrainingClient:
    """Give the user's device a client id in the round under way (one per account per round),
    if they have committed ``min_commitment`` credits to the open epoch (free accounts cannot
    fill a cohort) and the device speaks the round's wire version (``None``: an app from
    before version 3, which did not say)."""
    if wire_version != WIRE_VERSION:  # every round under way is at WIRE_VERSION: see `advance`
        spoken = "an older one" if wire_version is None else f"version {wire_version}"
        raise WrongWireVersion(
            f"this market's training rounds speak wire version {WIRE_VERSION} and the device "
            f"{spoken}: update the app to take part"
        )
    ledger = store.snapshot(session)
    committed = ledger.book.committed(user.id, current_epoch(ledger))
    if committed < min_commitment:
        raise TrainingRefused(
            f"training is open to accounts with at least {min_commitment} credits committed to "
            f"this epoch's budget (you have {committed})"
        )
    advance(session=session, store=store, run=run)
    _lock(session, run)
    if run.status != RunStatus.OPEN:
        raise TrainingRefused(f"run {run.id} is {run.status.value}")
    view = load_round(session, run)
    _at(view, Stage.ADVERTISE)
    mine = [row for row in view.clients.values() if row.user_id == user.id]
    if mine:
        session.commit()
        return mine[0]
    if len(view.clients) >= view.spec.cohort:
        raise TrainingRefused(f"round {run.round_index} is full: try the next one")
    row = TrainingClient(
        run_id=run.id,
        round_index=run.round_index,
        client=max(view.clients, default=0) + 1,
        user_id=user.id,
    )
    session.add(row)
    session.commit()
    return row


def advertise(*, session: Session, run: TrainingRun, user: User, raw: bytes) -> None:
    """SecAgg+ step 1: the device's keys, signed by the account that sent them (the signed
    request's): the signature is kept and relayed in the roster, so a device can tell when the
    keys it is shown for a neighbour are not the ones that neighbour's account signed."""
    view = _locked_view(session, run, Stage.ADVERTISE)
    signed = SignedAdvertiseKeys.from_json(raw, max_bytes=1024)
    row = _own_client(view, user, signed.client)
    if signed.identity != user.id:
        raise NotInRound("the keys are signed by another identity than your account's")
    message = signed.verify(bytes.fromhex(view.round.round_id), identity=user.id)
    view.server.receive_advertise(message, user.id)
    row.channel_key, row.mask_key = message.channel_key, message.mask_key
    row.key_signature = signed.signature
    session.add(row)
    if len(view.server.keys) >= view.spec.cohort:  # the cohort is complete: close the stage
        _roster(view)
    session.commit()


def share_keys(*, session: Session, run: TrainingRun, user: User, raw: bytes) -> None:
    view = _locked_view(session, run, Stage.SHARE)
    limit = 512 + 300 * view.server.config.degree
    message = ShareKeys.from_json(raw, max_bytes=limit)
    row = _own_client(view, user, message.client)
    view.server.receive_share_keys(message)
    row.shared = True
    session.add(row)
    for receiver, ciphertext in message.ciphertexts.items():
        session.add(
            TrainingShare(
                run_id=run.id,
                round_index=run.round_index,
                sender=message.client,
                receiver=receiver,
                ciphertext=ciphertext,
            )
        )
    if set(view.server.shares) == set(view.server.keys):
        _close_sharing(view)
    session.commit()


def read_step(*, session: Session, run: TrainingRun, user: User, client: int, step: str) -> bytes:
    """The message a device polls for at ``step`` (roster, inbox, consistency-check or
    unmask-request): TrainingRefused (a 409, poll again) while the stage before it is open."""
    view = load_round(session, run, inbox_of=client if step == "inbox" else None)
    _own_client(view, user, client)
    if step == "roster":
        if view.round.stage == Stage.ADVERTISE:
            _at(view, Stage.SHARE)
        return signed_roster(view).to_bytes()
    if step == "inbox":
        _at(view, Stage.MASK)
        return view.server.inbox(client).to_bytes()
    if step == "consistency-check":
        if view.round.stage != Stage.UNMASK:  # too late to sign then, but the set is the same
            _at(view, Stage.CHECK)
        return view.server.consistency_check().to_bytes()
    _at(view, Stage.UNMASK)
    return view.server.unmask_request().to_bytes()


def signed_roster(view: RoundView) -> SignedRoster:
    """The roster as stored: each device's keys with its account's signature over them (the
    server signs nothing here, it only relays what each device signed)."""
    roster = view.server.roster()
    entries = {}
    for client, (channel_key, mask_key) in roster.keys.items():
        row = view.clients[client]
        if row.key_signature is None:  # every stored key came with its signature
            raise InvalidMessage(f"client {client}'s keys are stored without their signature")
        entries[client] = SignedAdvertiseKeys(
            roster.round_id, client, channel_key, mask_key, row.user_id, row.key_signature
        )
    return SignedRoster.of(roster.round_id, entries)


def masked_input(*, session: Session, run: TrainingRun, user: User, raw: bytes) -> None:
    view = _locked_view(session, run, Stage.MASK)
    limit = 1024 + 2 * view.server.config.masked_input_bytes
    message = MaskedInput.from_json(raw, max_bytes=limit)
    row = _own_client(view, user, message.client)
    view.server.receive_masked_input(message)
    row.masked = message.words
    session.add(row)
    if set(view.server.masked) == set(view.server.shares):
        _close_inputs(view)
    session.commit()


def consistency_signature(*, session: Session, run: TrainingRun, user: User, raw: bytes) -> None:
    """The consistency round: a survivor's signature over the set of survivors it was sent
    (checked here: one bad signature relayed would make every honest device refuse)."""
    view = _locked_view(session, run, Stage.CHECK)
    message = ConsistencySignature.from_json(raw, max_bytes=512)
    row = _own_client(view, user, message.client)
    view.server.receive_consistency(message)
    row.consistency_signature = message.signature
    session.add(row)
    if set(view.server.signatures) == set(view.server.masked):
        _close_check(view)
    session.commit()


def unmask_response(
    *, session: Session, store: LedgerStore, run: TrainingRun, user: User, raw: bytes
) -> None:
    view = _locked_view(session, run, Stage.UNMASK)
    limit = 1024 + 200 * (view.server.config.degree + 1)
    message = UnmaskResponse.from_json(raw, max_bytes=limit)
    row = _own_client(view, user, message.client)
    view.server.receive_unmask(message)
    row.unmask = message.to_bytes().decode()
    session.add(row)
    session.commit()
    if set(view.server.responses) == set(view.server.signatures):
        advance(session=session, store=store, run=run, force=True)


def _locked_view(session: Session, run: TrainingRun, stage: Stage) -> RoundView:
    _lock(session, run)
    view = load_round(session, run)
    _at(view, stage)
    return view


# --- stages: closed when every device answered, or at the deadline -------------------------------


def _next_stage(view: RoundView, stage: Stage) -> None:
    view.round.stage = stage
    view.round.deadline = time.time() + view.run.stage_seconds


def _roster(view: RoundView) -> None:
    view.server.roster()  # checks there are enough devices
    _next_stage(view, Stage.SHARE)


def _close_sharing(view: RoundView) -> None:
    # SecAggServer.inbox's closing check (the view holds no ciphertexts to build an inbox).
    check_enough(len(view.server.shares), view.spec.min_survivors, "clients shared keys")
    _next_stage(view, Stage.MASK)


def _close_inputs(view: RoundView) -> None:
    view.server.consistency_check()  # checks there are enough inputs
    _next_stage(view, Stage.CHECK)


def _close_check(view: RoundView) -> None:
    view.server.unmask_request()  # checks enough survivors signed the set
    _next_stage(view, Stage.UNMASK)


def advance(*, session: Session, store: LedgerStore, run: TrainingRun, force: bool = False) -> None:
    """Close the round's stage if its deadline passed (or ``force`` at the unmasking, when
    every survivor answered): on to the next stage, or aggregate, pay and start the next
    round, or fail the round when too few devices are left."""
    if run.status != RunStatus.OPEN:
        return
    round_index = run.round_index  # a later round is not this call's to close
    current = session.get(TrainingRound, (run.id, round_index))
    expired = current is not None and (
        time.time() >= current.deadline or force or _stale(current) is not None
    )
    if current is None or not expired:
        session.commit()
        return

    def change(ledger: Ledger, now: str) -> list[Entry]:
        _lock(session, run)
        if run.status != RunStatus.OPEN or run.round_index != round_index:
            return []  # another request ended the round meanwhile
        current = session.get(TrainingRound, (run.id, round_index), populate_existing=True)
        assert current is not None
        stale = _stale(current)
        if stale is not None:  # opened by a server of another wire version: dropped
            return _fail_round(session, ledger, run, current, stale, now)
        view = load_round(session, run)
        if view.round.stage == Stage.UNMASK:  # only the aggregation reads the masked inputs
            view = load_round(session, run, with_inputs=True)
        if time.time() < view.round.deadline and not force:
            return []  # another request advanced it meanwhile
        try:
            match view.round.stage:
                case Stage.ADVERTISE:
                    if len(view.server.keys) < view.spec.min_survivors:
                        # Too few devices so far: keep the round open for another stage time.
                        view.round.deadline = time.time() + run.stage_seconds
                        session.add(view.round)
                        return []
                    _roster(view)
                case Stage.SHARE:
                    _close_sharing(view)
                case Stage.MASK:
                    _close_inputs(view)
                case Stage.CHECK:
                    _close_check(view)
                case Stage.UNMASK:
                    return _aggregate(session, ledger, view, now)
        except (ProtocolAbort, InvalidMessage) as error:
            return _fail_round(session, ledger, run, view.round, str(error), now)
        session.add(view.round)
        return []

    store.change(session, change)


def _aggregate(session: Session, ledger: Ledger, view: RoundView, now: str) -> list[Entry]:
    """Unmask the sum, step the parameters with the noised mean update (the run's server
    optimiser), pay each device whose input is in the sum, forget the round's secrets and
    inputs, and go on."""
    try:
        total, survivors = view.server.aggregate()
    except FederatedError as error:
        return _fail_round(session, ledger, view.run, view.round, str(error), now)
    spec, config = view.spec, view.server.config
    mean = decode_mean(total, survivors, config, float(spec.cohort))
    run = view.run
    before = unpack_parameters(run.parameters, spec)
    parameters, moments = server_step(spec, before, mean, _moments(run, spec), run.round_index)
    run.parameters = pack_parameters(parameters)
    if spec.server_optimizer == "adam":
        run.server_first_moment = pack_parameters(moments.first)
        run.server_second_moment = pack_parameters(moments.second)
        run.server_steps = moments.steps
    view.round.update = pack_parameters(mean)
    view.round.survivors = survivors
    view.round.stage = Stage.DONE
    entries: list[Entry] = []
    for client in sorted(view.server.masked):
        row = view.clients[client]
        row.included = True
        session.add(row)
        body: Body = {
            "training": spec.training,
            "round": view.round.round_index,
            "user": row.user_id,
        }
        entries += ledger.append_with_run(
            "training_contribution", body, epoch=current_epoch(ledger), time=now
        )
    _forget_round(session, view.round)
    return entries + _next_round(session, ledger, view.run, now)


def _moments(run: TrainingRun, spec: RunSpec) -> AdamMoments:
    """The run's server Adam state as the last released round left it (zeros before one)."""
    if run.server_first_moment is None or run.server_second_moment is None:
        return AdamMoments.zeros(spec.parameters)
    return AdamMoments(
        unpack_parameters(run.server_first_moment, spec),
        unpack_parameters(run.server_second_moment, spec),
        run.server_steps,
    )


def _fail_round(
    session: Session, ledger: Ledger, run: TrainingRun, failed: TrainingRound, why: str, now: str
) -> list[Entry]:
    failed.stage, failed.message = Stage.FAILED, why[:300]
    _forget_round(session, failed)
    return _next_round(session, ledger, run, now)


def _forget_round(session: Session, finished: TrainingRound) -> None:
    """Delete what only the round needed: masked inputs, share ciphertexts, unmask answers and
    public keys (the noised update and who took part remain)."""
    session.add(finished)
    key = (finished.run_id, finished.round_index)
    session.exec(
        update(TrainingClient)
        .where(col(TrainingClient.run_id) == key[0], col(TrainingClient.round_index) == key[1])
        .values(
            masked=None,
            unmask=None,
            channel_key=None,
            mask_key=None,
            key_signature=None,
            consistency_signature=None,
        )
    )
    session.exec(
        delete(TrainingShare).where(
            col(TrainingShare.run_id) == key[0], col(TrainingShare.round_index) == key[1]
        )
    )


def _next_round(session: Session, ledger: Ledger, run: TrainingRun, now: str) -> list[Entry]:
    run.round_index += 1
    if run.round_index >= spec_of(run).rounds:
        return _end_run(session, ledger, run, RunStatus.FINISHED, now)
    session.add(run)
    session.flush()
    session.add(_new_round(run.id, run.round_index, run.stage_seconds))
    return []


def rounds_of(session: Session, run: TrainingRun, *, since: int = 0) -> Sequence[TrainingRound]:
    return session.exec(
        select(TrainingRound)
        .where(TrainingRound.run_id == run.id, col(TrainingRound.round_index) >= since)
        .order_by(col(TrainingRound.round_index))
    ).all()
