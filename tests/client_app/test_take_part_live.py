"""The app takes part in training rounds against a real market process: a developer opens a
run of its books model, the app's background pass (its own activity, on a real store) and two
SDK devices (synthetic examples) go through the round, the run finishes with three survivors,
and the app's ε and what the pass did are recorded and shown; a run beyond the user's ε limit
is refused in words by "Take part now"; a background pass goes through one round at most, runs
never twice at once, and draws once per round; on the app's worker, a long job asked for while a
pass waits in a round is done before the round is over."""

from __future__ import annotations

import base64
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from client_app.developer import DeveloperClient
from client_app.federated_participant import Contribution, ExampleSource, TrainingParticipant
from client_app.market import MarketClient
from client_app.sdk import PrivrecClient
from client_app.ui.controllers import PassKind, PrivacyController, TakePartReport, error_text
from client_app.ui.controllers.privacy import TRAINING_BUSY
from client_app.ui.worker import Worker
from crypto import IdentityKey
from federated.model import CatalogInputs, ContentTwoTower, Example
from federated.privacy import epsilon
from federated.runs import RunSpec, pack_inputs, pack_parameters
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import pack_bundle
from recommenders.embeddings import EMBEDDING_DIM
from tests.client_app.conftest import ITEMS, MODELS
from tests.client_app.job_recorder import JobRecorder
from tests.factories import make_bundle
from tests.federated.training_market import training_market
from tests.federated.training_run import DIM, WIDTH, consent_of, run_body
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "9f" * 32
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def market(tmp_path: Path) -> Iterator[LiveServer]:
    with training_market(tmp_path, MARKET_KEY, 18850) as server:
        yield server


def catalog_inputs(embedder: FakeEmbedder) -> CatalogInputs:
    """The run's public inputs from the model's catalog titles, embedded as devices embed."""
    titles = [f"Item number {i}" for i in range(ITEMS)]
    facts = np.arange(ITEMS, dtype=np.float64)[:, None]  # a popularity rank
    return CatalogInputs.from_titles(embedder.embed(titles), WIDTH, facts)


def open_run(
    developer: DeveloperClient, model_id: int, inputs: CatalogInputs, **changes: object
) -> dict[str, Any]:
    """A one-round run of three devices over the model's catalog inputs and device profiles."""
    initial = ContentTwoTower.initial(inputs, DIM, 1.0)
    changes.setdefault("stage_seconds", 15)
    body = run_body(
        model_id,
        embedding=EMBEDDING_DIM,
        facts=1,
        rounds=1,
        cohort=3,
        min_survivors=3,
        noise_multiplier=1.0,
        parameters=base64.b64encode(pack_parameters(initial.flat())).decode(),
        inputs=base64.b64encode(pack_inputs(inputs)).decode(),
        **changes,
    )
    auth = {"Authorization": f"Bearer {developer.api_key}"}
    with httpx.Client(base_url=developer.base_url, headers=auth, timeout=60) as http:
        opened = http.post("/v1/training-rounds", json=body)
        assert opened.status_code == 201, opened.text
        run: dict[str, Any] = opened.json()
        return run


def deployed_books_model(market: LiveServer, tmp_path: Path) -> tuple[DeveloperClient, int]:
    """A developer (the caller closes it) and the id of its live books model."""
    developer = DeveloperClient(market.url)
    developer.sign_up("shelf-labs")
    developer.faucet()
    bundle = pack_bundle(make_bundle(tmp_path, **MODELS["shelf"].bundle_options(ITEMS, 8)))
    model = developer.wait_until_settled(developer.deploy(bundle, stake=100, bid=5, escrow=50).id)
    return developer, model.id


def fund(app: PrivrecClient) -> None:
    """An account on the market with credits committed: what joining a round asks."""
    app.create_identity()
    app.market.register()
    app.market.faucet()
    app.market.fund_budget(100)


def books_read(count: int) -> list[ActivityEvent]:
    """The user read the catalog's first ``count`` books, a day apart."""
    return [
        ActivityEvent(Category.BOOKS, "goodreads", f"Item number {i}", None, START + timedelta(i))
        for i in range(count)
    ]


def reader_training_on_books(app: PrivrecClient) -> PrivacyController:
    """Make ``app`` a funded reader of 12 books with training switched on for books."""
    fund(app)
    app.store.add_events(books_read(12), "test")
    controller = PrivacyController(app)
    controller.switch_training("books", True)
    return controller


def synthetic(seed: int) -> ExampleSource:
    def source(_spec: RunSpec, inputs: CatalogInputs) -> Sequence[Example]:
        rng = np.random.default_rng(seed)
        profile = inputs.user_input(rng.normal(size=EMBEDDING_DIM))
        return [Example(profile, np.sort(rng.choice(ITEMS, size=3, replace=False)))]

    return source


def sdk_device(url: str, directory: Path, seed: int, results: dict[int, object]) -> None:
    identity = IdentityKey.generate()
    with MarketClient(url, identity) as market:
        market.register()
        market.faucet()
        market.fund_budget(100)
        consent = consent_of(directory / f"device-{seed}", ["books"], limit=20.0)
        participant = TrainingParticipant(
            market,
            consent,
            synthetic(seed),
            rng=np.random.default_rng(seed),
        )
        (run,) = participant.open_runs(["books"])
        try:
            results[seed] = participant.take_part(run.training, timeout=120)
        except Exception as error:  # reported by the test
            results[seed] = error


def test_the_app_takes_part_in_a_round_with_its_own_activity(
    market: LiveServer, tmp_path: Path
) -> None:
    embedder = FakeEmbedder()
    developer, model_id = deployed_books_model(market, tmp_path)
    inputs = catalog_inputs(embedder)

    app = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    try:
        fund(app)
        # The user read twelve books of the catalog, and listened to music they keep private.
        app.store.add_events(
            books_read(12)
            + [
                ActivityEvent(
                    Category.MUSIC, "spotify", f"Private song {i}", None, START + timedelta(i)
                )
                for i in range(12)
            ],
            "test",
        )
        controller = PrivacyController(app)
        progress: list[str] = []
        # Off by default: nothing is asked of the market, nothing read.
        off = controller.background_pass(lambda message, _f: progress.append(message))
        assert off.outcomes == () and "switch one on" in off.notice.text and progress == []
        controller.switch_training("books", True)

        run = open_run(developer, model_id, inputs)
        spec = RunSpec.from_json(run["spec"])
        results: dict[int, object] = {}
        devices = [
            threading.Thread(target=sdk_device, args=(market.url, tmp_path, seed, results))
            for seed in (1, 2)
        ]
        for device in devices:
            device.start()
        # What the app's clock does by itself: no button.
        report = controller.background_pass(
            lambda message, _f: progress.append(message), timeout=120
        )
        for device in devices:
            device.join(150)
        # A second run of the model, beyond a limit the user lowered: refused before joining.
        controller.set_epsilon_limit("1")
        open_run(developer, model_id, inputs)
        refused = controller.take_part(lambda message, _f: progress.append(message))
        controller.set_epsilon_limit("8")
    finally:
        app.close()
        developer.close()

    (outcome,) = report.outcomes
    assert outcome.joined and not report.notice.is_error, report.notice.text
    assert all(isinstance(r, Contribution) and r.sent_input for r in results.values()), results
    assert outcome.model == spec.model == MODELS["shelf"].ledger_id
    cost = epsilon(spec.plan, spec.delta)
    assert f"ε {cost:.2f} of 8 spent" in outcome.text
    assert any("waiting for the round" in message for message in progress)
    # Only book titles were embedded: the private music was never read.
    assert embedder.seen and not any("Private song" in title for title in embedder.seen)
    # The round finished with the app's update in the sum of three.
    with httpx.Client(base_url=market.url, timeout=30) as http:
        state = http.get(f"/v1/training-rounds/{run['id']}").json()
    assert state["status"] == "finished" and state["rounds"][0]["survivors"] == 3, state
    # The Privacy screen's table reads the consent history: the model, books, the run's ε.
    app = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    try:
        view = PrivacyController(app).load()
    finally:
        app.close()
    (trained,) = view.trained
    assert "Automatic training is on" in view.auto_status
    assert f"{spec.model}: took part in round 1; ε {cost:.2f} of 8" in view.auto_status
    assert trained.categories == "Books" and trained.runs == "1 run, 1 round"
    assert trained.spent == f"{cost:.2f} of 8"
    (beyond,) = refused.outcomes
    assert not beyond.joined and beyond.is_error and refused.notice.is_error
    assert "over your limit of 1" in beyond.text


def test_a_background_pass_goes_through_one_round_draws_once_and_never_runs_twice(
    market: LiveServer, tmp_path: Path
) -> None:
    """Two runs open, their rounds waiting for devices that never come: a pass joins one round
    (and gives up on it at its timeout), not both; a second pass meanwhile is refused at once;
    the next pass takes the other run's round; the one after (the app restarted) finds both
    rounds already drawn for and joins nothing (a second draw in the same round would join
    more often than the sampling rate the ε accounts for)."""
    embedder = FakeEmbedder()
    developer, model_id = deployed_books_model(market, tmp_path)
    inputs = catalog_inputs(embedder)
    # Long stages: the rounds stay open for joining throughout the test.
    runs = [open_run(developer, model_id, inputs, stage_seconds=600)["id"] for _ in range(2)]

    app = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    try:
        controller = reader_training_on_books(app)
        controller.set_epsilon_limit("100")  # room for both runs
        quiet = lambda _message, _fraction: None  # noqa: E731
        reports: list[TakePartReport] = []
        first = threading.Thread(
            target=lambda: reports.append(controller.background_pass(quiet, timeout=6))
        )
        first.start()
        deadline = time.monotonic() + 60
        while not controller.taking_part and first.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # Meanwhile: neither another pass nor the button starts a second training job.
        busy = controller.background_pass(quiet, timeout=6)
        pressed = controller.take_part(quiet, timeout=6)
        still_running = first.is_alive()
        first.join(120)
        after_first = [record.round_id for record in controller.training.history()]
        second = controller.background_pass(quiet, timeout=6)
        after_second = [record.round_id for record in controller.training.history()]
        # After a restart of the app too: the draws are kept in the store.
        third = PrivacyController(app).background_pass(quiet, timeout=6)
        after_third = [record.round_id for record in controller.training.history()]
    finally:
        app.close()
        developer.close()

    assert still_running and busy.kind is pressed.kind is PassKind.BUSY
    assert busy.outcomes == () and busy.notice.text == TRAINING_BUSY
    (report,) = reports
    (outcome,) = report.outcomes  # one round, though two runs were open
    assert outcome.in_round and outcome.is_error and "the round moved on" in outcome.text
    assert report.kind is PassKind.ROUNDS
    # The run joined is charged; the other, untouched, is not.
    assert len(after_first) == 1 and after_first[0] in runs
    (other,) = set(runs) - set(after_first)
    # The next pass starts with the other run.
    assert len(second.outcomes) == 1 and after_second == [*after_first, other]
    # Both rounds already drawn for: looked at, nothing joined, nothing charged.
    assert len(third.outcomes) == 2 and not any(o.in_round for o in third.outcomes)
    assert all("already drew whether to join" in o.text for o in third.outcomes), third.notice.text
    assert after_third == after_second


def test_a_long_job_finishes_while_the_background_pass_waits_in_a_round(
    market: LiveServer, tmp_path: Path
) -> None:
    """The app's worker: a background pass joins a real round that waits for devices that never
    come; a long job asked for meanwhile (the wallet, from the same market) is done while the
    pass is still in the round, and the UI is idle though the pass is not over."""
    embedder = FakeEmbedder()
    developer, model_id = deployed_books_model(market, tmp_path)
    open_run(developer, model_id, catalog_inputs(embedder), stage_seconds=600)
    ui_thread: queue.Queue[Any] = queue.Queue()  # what the app's clock would run, in order
    worker = Worker(ui_thread.put, error_text, JobRecorder())
    app = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    try:
        controller = reader_training_on_books(app)
        passes: list[TakePartReport] = []
        worker.submit(
            "taking part in training in the background",
            lambda progress: controller.background_pass(progress, timeout=20),
            passes.append,
            quiet=True,
            training=True,
        )
        deadline = time.monotonic() + 60
        while not controller.training.history():  # charged: the device is joining the round
            assert time.monotonic() < deadline and not passes
            time.sleep(0.05)
        wallets: list[object] = []
        worker.submit("reading your wallet", lambda _progress: app.wallet(), wallets.append)
        while not worker.idle:
            ui_thread.get(timeout=30)()
        in_round_meanwhile = controller.taking_part and not passes
        while worker.training_with is not None:
            ui_thread.get(timeout=60)()
    finally:
        worker.stop()
        app.close()
        developer.close()

    assert len(wallets) == 1 and in_round_meanwhile
    (report,) = passes
    (outcome,) = report.outcomes
    assert outcome.in_round and "the round moved on" in outcome.text
