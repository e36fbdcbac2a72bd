"""The Privacy screen's training part without a window: the switches, the ε limit typed by the
user, per model the categories learnt from and the ε spent, from the device's history, and
automatic training: nothing contacted while off or paused, a pass's cap, its last outcome."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from client_app.federated_participant import MAX_DRAWN_RUNS
from client_app.sdk import PrivrecClient
from client_app.store_schema import ImpressionRow
from client_app.training_consent import TrainingConsent
from client_app.ui.controllers import (
    NO_TRAINING,
    PassKind,
    PrivacyController,
    epsilon_text,
    when_text,
)
from client_app.ui.controllers.privacy import (
    AUTO_PAUSED,
    AUTO_PAUSED_SETTING,
    DRAWN_ROUNDS_SETTING,
    LAST_PASS_SETTING,
    MAX_PASS_TEXT,
    StoredDrawLog,
)
from federated.privacy import ModelBudget, PrivacyPlan, epsilon
from recommenders.activity import Category
from tests.live_server import free_port
from tests.recommenders.conftest import FakeEmbedder

DELTA = 1 / 6639
PLAN = PrivacyPlan(0.795, 100 / 6639, 30, 1.0)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[PrivrecClient]:
    # Nothing on this screen talks to the market: an address nobody answers at.
    client = PrivrecClient(
        tmp_path, market_url=f"http://127.0.0.1:{free_port()}", embedder=FakeEmbedder()
    )
    yield client
    client.close()


def label_model(client: PrivrecClient, model_id: int, label: str, at: datetime) -> None:
    """An impression of the model, as a refresh stores it: where its label comes from."""
    with Session(client.store.engine) as session:
        session.add(
            ImpressionRow(
                impression_id=f"{model_id:02d}{at.minute:02d}" + "0" * 28,
                round_id="r" * 32,
                position=0,
                reputation=0.5,
                market_url=client.market_url,
                model_id=model_id,
                model_key=f"dev/{label}",
                model_label=label,
                epoch=0,
                created_at=at,
            )
        )
        session.commit()


def test_a_new_user_sees_every_switch_off_and_the_default_limit(client: PrivrecClient) -> None:
    view = PrivacyController(client).load()
    assert [(row.category, row.opted_in) for row in view.training] == [
        (category.value, False) for category in Category
    ]
    assert [row.label for row in view.training][:2] == ["Web pages", "Music"]
    assert view.epsilon_limit == "8"
    assert view.trained == ()
    assert view.training_summary == (
        "Training is off for every category: no model learns from your activity. "
        f"{NO_TRAINING} Your limit: ε 8 per model."
    )


def test_switches_and_the_limit_are_saved_and_bad_limits_refused_in_words(
    client: PrivrecClient,
) -> None:
    privacy = PrivacyController(client)
    notice = privacy.switch_training("books", True)
    assert notice.text == "Models may now learn from your books, within your ε limit."
    assert privacy.switch_training("music", False).text.startswith("No model will learn")
    view = privacy.load()
    assert {row.category for row in view.training if row.opted_in} == {"books"}
    assert client.store.opted_in() == frozenset()  # scoring is another switch
    assert view.training_summary.startswith("Models may learn from: Books.")

    assert privacy.set_epsilon_limit(" 2,5 ").text == "Your ε limit is now 2.5 per model."
    refusals = {
        "abc": "is not a number",
        "": "is not a number",
        "0": "above 0",
        "-1": "above 0",
        "nan": "must be a number",
        "inf": "finite number",
        "1e400": "finite number",
        "101": "at most 100",
    }
    for typed, words in refusals.items():
        with pytest.raises(ValueError, match=words):
            privacy.set_epsilon_limit(typed)
    assert privacy.load().epsilon_limit == "2.5"


def test_each_model_trained_shows_its_categories_runs_and_composed_epsilon(
    client: PrivrecClient,
) -> None:
    consent = TrainingConsent(client.store)
    for category in ("books", "music"):
        consent.set_opted_in(category, True)
    eps = epsilon(PLAN, DELTA)
    consent.record(7, "run-1", ["books"], eps, DELTA, plan=PLAN)
    consent.record(7, "run-1", ["books"], eps, DELTA, plan=PLAN)  # a second round of the run
    consent.record(7, "run-2", ["music", "books"], eps, DELTA, plan=PLAN)
    consent.record(12, "run-1", ["music"], 0.5, DELTA)
    label_model(client, 7, "shelf 1.0.0 by shelf-labs", datetime(2026, 1, 1, 10, 0, tzinfo=UTC))
    label_model(client, 7, "shelf 1.1.0 by shelf-labs", datetime(2026, 1, 2, 10, 1, tzinfo=UTC))

    view = PrivacyController(client).load()
    by_model = {row.model: row for row in view.trained}
    assert set(by_model) == {"shelf 1.1.0 by shelf-labs", "model 12"}  # the latest label
    shelf = by_model["shelf 1.1.0 by shelf-labs"]
    assert shelf.categories == "Music, Books"
    assert shelf.runs == "2 runs, 3 rounds"
    composed = ModelBudget(8.0, DELTA, [PLAN, PLAN]).spent()
    assert shelf.spent == f"{composed:.2f} of 8"
    assert float(shelf.against_market) > composed  # the market knows the rounds joined
    bare = by_model["model 12"]
    assert (bare.spent, bare.against_market) == ("0.50 of 8", "not known")
    assert view.trained[0] is bare  # the latest first
    assert "2 models learnt from it so far." in view.training_summary
    # What left the device says so too: 4 rounds' updates (3 of shelf's, 1 of model 12's).
    assert view.summary == (
        "Your 0 activities never left this device. 4 training updates for 2 models left it "
        "masked and noised (below): the market only saw their sum with other devices'. "
        "No profile has been sent for scoring yet."
    )


def test_epsilon_in_words() -> None:
    assert epsilon_text(1.234) == "1.23"
    assert epsilon_text(float("inf")) == "unbounded (no noise)"
    assert epsilon_text(None) == "not known"


def test_one_press_joins_at_most_a_few_runs_and_a_background_pass_one(
    client: PrivrecClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A market listing many open runs cannot keep the take-part job busy for hours: one press
    goes through the first MAX_RUNS_PER_PRESS rounds, a background pass through one, the
    next pass starting after the run last taken part in; each says what it did per run."""
    from types import SimpleNamespace

    from client_app.ui.controllers import privacy

    TrainingConsent(client.store).set_opted_in("books", True)
    client.create_identity()  # offline: the background pass needs an account to take part
    listed = [SimpleNamespace(model=f"shelf{i}@1.0.0", training=f"run{i}") for i in range(7)]
    joined: list[str] = []
    market = SimpleNamespace(open_runs=lambda categories: listed)
    controller = PrivacyController(client)
    monkeypatch.setattr(controller, "participant", lambda: market)

    def take_part_in(participant: object, spec: SimpleNamespace, timeout: float):
        joined.append(spec.model)
        return privacy.RunOutcome(spec.model, "took part", joined=True, in_round=True)

    monkeypatch.setattr(controller, "_take_part_in", take_part_in)
    report = controller.take_part(lambda message, share: None)
    assert joined == [f"shelf{i}@1.0.0" for i in range(privacy.MAX_RUNS_PER_PRESS)]
    assert [o.model for o in report.outcomes] == joined
    for expected in (3, 4):
        joined.clear()
        background = controller.background_pass(lambda message, share: None)
        assert joined == [f"shelf{expected}@1.0.0"] and len(background.outcomes) == 1
    assert controller.last_pass() is not None
    assert "shelf4@1.0.0: took part" in controller.load().auto_status


class CountingListener:
    """A real TCP listener on loopback that counts the connections made to it and closes each
    at once (a market that breaks off): whether the app contacted "the market" at all."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()


def test_nothing_is_contacted_while_every_category_is_off_or_automatic_training_paused(
    tmp_path: Path,
) -> None:
    listener = CountingListener()
    client = PrivrecClient(tmp_path, market_url=listener.url, embedder=FakeEmbedder())
    try:
        client.create_identity()
        controller = PrivacyController(client)
        quiet = controller.background_pass(lambda message, share: None)
        pressed = controller.take_part(lambda message, share: None)
        assert quiet.kind is pressed.kind is PassKind.IDLE
        assert quiet.outcomes == () and "switch one on" in quiet.notice.text
        assert controller.last_pass() is None  # a pass that did nothing leaves no record

        controller.switch_training("books", True)
        assert controller.set_auto_training(False).text.startswith("Automatic training paused")
        paused = controller.background_pass(lambda message, share: None)
        assert paused.kind is PassKind.IDLE and "paused" in paused.notice.text
        view = controller.load()
        assert not view.auto_training and view.auto_status.startswith(AUTO_PAUSED)
        assert listener.connections == 0

        # Resumed, the same pass does ask the market (here one that breaks off): backed off.
        controller.set_auto_training(True)
        broken = controller.background_pass(lambda message, share: None)
        assert listener.connections >= 1
        assert broken.kind is PassKind.UNREACHABLE and broken.notice.is_error
        last = controller.last_pass()
        assert last is not None and last.is_error and last.text == broken.notice.text
        view = controller.load()
        assert view.auto_training and view.auto_status.startswith("Automatic training is on")
        assert f"Last background check, {when_text(last.at)}: No training:" in view.auto_status
    finally:
        client.close()
        listener.close()


def test_a_hand_edited_record_of_the_last_pass_is_ignored(client: PrivrecClient) -> None:
    controller = PrivacyController(client)
    for kept in (
        "text",
        {"at": "yesterday", "text": "x", "is_error": False},
        {"at": "2026-01-01T10:00:00", "text": "x", "is_error": False},  # no time zone
        {"at": "2026-01-01T10:00:00+00:00", "text": 3, "is_error": False},
        {"at": "2026-01-01T10:00:00+00:00", "text": "x", "is_error": "no"},
    ):
        client.store.set_setting(LAST_PASS_SETTING, kept)
        assert controller.last_pass() is None
        assert controller.load().auto_status.endswith("No background check yet.")
    client.store.set_setting(AUTO_PAUSED_SETTING, "yes")  # only a stored true pauses
    assert not controller.auto_training_paused()
    long = {"at": "2026-01-01T10:00:00+00:00", "text": "x" * 5000, "is_error": False}
    client.store.set_setting(LAST_PASS_SETTING, long)
    last = controller.last_pass()
    assert last is not None and len(last.text) == MAX_PASS_TEXT


def test_the_rounds_drawn_for_are_kept_bounded_and_a_hand_edited_record_ignored(
    client: PrivrecClient,
) -> None:
    draws = StoredDrawLog(client.store)
    for run in range(MAX_DRAWN_RUNS + 50):
        draws.remember(f"run{run}", run % 7)
    kept = client.store.get_setting(DRAWN_ROUNDS_SETTING)
    assert len(kept) == MAX_DRAWN_RUNS and "run49" not in kept and kept["run149"] == 149 % 7
    draws.remember("run50", 3)  # drawn again: now the latest, the oldest goes
    kept = client.store.get_setting(DRAWN_ROUNDS_SETTING)
    assert list(kept)[-1] == "run50" and kept["run50"] == 3 and "run51" in kept
    assert StoredDrawLog(client.store).drawn("run50") == 3  # kept, not in the object
    client.store.set_setting(DRAWN_ROUNDS_SETTING, {"a": "1", "b": 2, "c": 1.5})
    assert draws.kept() == {"b": 2} and draws.drawn("a") is None
    client.store.set_setting(DRAWN_ROUNDS_SETTING, [1, 2])
    assert draws.kept() == {}
