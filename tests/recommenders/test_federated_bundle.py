"""A federated run's trained content two-tower as the next version of a model's bundle: the
bundle scores exactly as the model does, and bad inputs are refused before anything is written."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from federated.errors import InvalidMessage
from federated.model import CatalogInputs, ContentTwoTower, Example, local_update
from federated.privacy import epsilon
from federated.runs import RunSpec, pack_inputs, pack_parameters
from recommenders.bundle import BUNDLE_FILES, Bundle, load_bundle
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import FEATURE_SCHEMA_VERSION, PROFILE_DIM
from recommenders.federated_bundle import (
    FederatedTraining,
    TrainingResult,
    federated_version,
    packed,
)
from recommenders.tower import TowerRunner
from tests.factories import make_bundle
from tests.recommenders.conftest import FakeEmbedder

ITEMS = 40
TRAINING = FederatedTraining("0123456789abcdef" * 2, epsilon=2.5, delta=1e-5)


def previous_bundle(tmp_path: Path, name: str = "fedshelf", **options: object) -> Path:
    """Version 1.0.0 of a books model over ITEMS titles "Item number i" (tests.factories)."""
    return make_bundle(
        tmp_path, n=ITEMS, d=8, profile_size=PROFILE_DIM, name=name, seed=3, **options
    )


def trained_model(
    titles: list[str], *, steps: int = 3, seed: int = 0
) -> tuple[ContentTwoTower, CatalogInputs]:
    """The initial model moved by a few clipped local updates on synthetic readers (each read
    three titles and liked two others), as a short run's devices would move it; each item's
    public facts are its rank and a random rating, which the learned bias weighs."""
    vectors = FakeEmbedder().embed(titles).astype(np.float64)
    rng = np.random.default_rng(seed)
    facts = np.column_stack([np.arange(len(titles)), rng.uniform(1, 5, len(titles))])
    inputs = CatalogInputs.from_titles(vectors, 8, facts)
    model = ContentTwoTower.initial(inputs, 4, 3.0)
    for _ in range(steps):
        readers = [
            Example(
                inputs.user_input(vectors[rng.choice(len(titles), 3, replace=False)].mean(0)),
                np.sort(rng.choice(len(titles), 2, replace=False)).astype(np.int64),
            )
            for _ in range(8)
        ]
        update = local_update(model, inputs, readers, learning_rate=0.5, clip_norm=2.0)
        model = model.with_flat(model.flat() + update)
    return model, inputs


def profile(rng: np.random.Generator) -> np.ndarray:
    """A category profile as a device builds it: a unit embedding, then counts."""
    values = rng.standard_normal(PROFILE_DIM).astype(np.float32)
    values[:EMBEDDING_DIM] /= np.linalg.norm(values[:EMBEDDING_DIM])
    values[EMBEDDING_DIM:] = np.abs(values[EMBEDDING_DIM:]) * 3
    return values


def load(path: Path | bytes) -> Bundle:
    return load_bundle(path, feature_schema=FEATURE_SCHEMA_VERSION)


def test_the_bundle_scores_as_the_trained_model(tmp_path: Path) -> None:
    previous = load(previous_bundle(tmp_path))
    model, inputs = trained_model(list(previous.catalog.titles))
    assert not np.allclose(model.flat(), ContentTwoTower.initial(inputs, 4, 3.0).flat())
    assert np.abs(model.bias(inputs)).max() > 1e-3  # the bias column is exercised too
    built = federated_version(previous, model, inputs, version="1.1.0", training=TRAINING)
    shipped = load(packed(built))  # what the market and the device read back
    runner = TowerRunner(shipped.manifest, shipped.tower)
    rng = np.random.default_rng(7)
    for _ in range(5):
        features = profile(rng)
        bundle_scores = shipped.items.astype(np.float64) @ runner({"profile:books": features})
        expected = model.scores(inputs, inputs.user_input(features[:EMBEDDING_DIM])[None])[0]
        scale = float(np.abs(expected).max())
        np.testing.assert_allclose(bundle_scores, expected, rtol=0, atol=1e-5 * scale)
        assert np.argsort(-bundle_scores)[:10].tolist() == np.argsort(-expected)[:10].tolist()


def test_the_new_version_keeps_the_model_and_says_how_it_was_trained(tmp_path: Path) -> None:
    previous = load(previous_bundle(tmp_path, source="goodreads"))
    model, inputs = trained_model(list(previous.catalog.titles), steps=1)
    built = federated_version(previous, model, inputs, version="1.1.0", training=TRAINING)
    target = built.save(tmp_path / "next")
    assert sorted(p.name for p in target.iterdir()) == sorted(BUNDLE_FILES)  # data only
    shipped = load(target)
    manifest = shipped.manifest
    assert (manifest.name, manifest.version) == ("fedshelf", "1.1.0")
    assert manifest.categories == ("books",) and manifest.dim == 5
    assert manifest.catalog == previous.manifest.catalog  # source, licence, attribution
    assert shipped.catalog == previous.catalog
    assert TRAINING.run_id in manifest.description
    assert "(2.5, 1e-05)-differential privacy" in manifest.description
    assert shipped.tower["layers.0.weight"][:, EMBEDDING_DIM:].max() == 0  # counts unread
    assert shipped.tower["layers.0.bias"].tolist() == [0, 0, 0, 0, 1]


def test_inputs_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    previous = load(previous_bundle(tmp_path))
    model, inputs = trained_model(list(previous.catalog.titles), steps=0)
    with pytest.raises(ValueError, match="exists already"):
        federated_version(previous, model, inputs, version="1.0.0", training=TRAINING)
    fewer = dataclasses.replace(inputs, items=inputs.items[:30], facts=inputs.facts[:30])
    with pytest.raises(ValueError, match="describe 30 items"):
        federated_version(previous, model, fewer, version="1.1.0", training=TRAINING)
    narrow = dataclasses.replace(inputs, projection=inputs.projection[:16])
    with pytest.raises(ValueError, match="16-value embeddings"):
        federated_version(previous, model, narrow, version="1.1.0", training=TRAINING)
    wide = dataclasses.replace(inputs, items=np.hstack([inputs.items, inputs.items]))
    with pytest.raises(ValueError, match="different widths"):
        federated_version(previous, model, wide, version="1.1.0", training=TRAINING)
    cut = dataclasses.replace(model, user=model.user[:, :4], item=model.item[:, :4])
    with pytest.raises(ValueError, match="do not fit"):
        federated_version(previous, cut, inputs, version="1.1.0", training=TRAINING)
    widest = np.zeros((256, inputs.width))
    with pytest.raises(
        ValueError, match="need 257 item columns with the bias, over a bundle's 256"
    ):
        federated_version(
            previous,
            dataclasses.replace(model, user=widest, item=widest),
            inputs,
            version="1.1.0",
            training=TRAINING,
        )
    mixed = load(previous_bundle(tmp_path, name="mixed", categories=("books", "music")))
    with pytest.raises(ValueError, match="reads 2 categories"):
        federated_version(mixed, model, inputs, version="1.1.0", training=TRAINING)


@pytest.mark.parametrize(
    ("run_id", "epsilon", "delta", "message"),
    [
        ("not-a-run", 1.0, 1e-5, "32 lowercase hex"),
        ("AB" * 16, 1.0, 1e-5, "32 lowercase hex"),
        ("ab" * 16, float("nan"), 1e-5, "epsilon"),
        ("ab" * 16, 0.0, 1e-5, "epsilon"),
        ("ab" * 16, 1.0, 1.0, "delta"),
        ("ab" * 16, 1.0, float("nan"), "delta"),
    ],
)
def test_a_bad_training_record_is_refused(
    run_id: str, epsilon: float, delta: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        FederatedTraining(run_id, epsilon, delta)


def run_spec(trained: ContentTwoTower, inputs: CatalogInputs, **changes: object) -> RunSpec:
    """The spec a market would publish for a books run over ``inputs`` of fedshelf 1.0.0."""
    fields: dict[str, object] = {
        "training": TRAINING.run_id,
        "model": "fedshelf@1.0.0",
        "categories": ("books",),
        "dim": trained.user.shape[0],
        "width": inputs.width,
        "items": inputs.items.shape[0],
        "embedding": EMBEDDING_DIM,
        "facts": inputs.facts.shape[1],
        "rounds": 20,
        "cohort": 100,
        "min_survivors": 60,
        "clip_norm": 1.0,
        "noise_multiplier": 1.0,
        "sampling_rate": 0.01,
        "delta": 1e-5,
        "learning_rate": 0.5,
        "server_learning_rate": 1.0,
        "server_optimizer": "adam",
        "server_decay": 0.1,
        "server_adam_eps": 1e-8,
        "reward": 5,
    }
    return RunSpec(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_runs_result_becomes_the_next_version_of_the_model_it_trained(tmp_path: Path) -> None:
    previous = load(previous_bundle(tmp_path))
    model, inputs = trained_model(list(previous.catalog.titles))
    spec = run_spec(model, inputs)
    sent = TrainingResult.spec_of(TRAINING.run_id, spec.to_json())
    result = TrainingResult.parse(sent, pack_parameters(model.flat()), pack_inputs(inputs))
    np.testing.assert_array_equal(result.model.flat(), model.flat())
    assert result.training.run_id == TRAINING.run_id and result.training.delta == 1e-5
    assert result.training.epsilon == pytest.approx(epsilon(spec.plan, 1e-5))
    built = result.next_version(previous, "2.0.0")
    assert built.manifest.version == "2.0.0"
    assert f"({result.training.epsilon:.3g}, 1e-05)" in built.manifest.description
    # A run of another model, or of another version of this one, is refused.
    for trained in ("shelf@1.0.0", "fedshelf@0.9.0"):
        other = dataclasses.replace(result, spec=run_spec(model, inputs, model=trained))
        with pytest.raises(ValueError, match=re.escape(f"trained {trained}, not fedshelf@1.0.0")):
            other.next_version(previous, "2.0.0")


def test_what_the_market_sends_for_a_run_is_checked(tmp_path: Path) -> None:
    previous = load(previous_bundle(tmp_path))
    model, inputs = trained_model(list(previous.catalog.titles), steps=0)
    spec = run_spec(model, inputs)
    with pytest.raises(InvalidMessage, match="answered with run"):
        TrainingResult.spec_of("cd" * 16, spec.to_json())
    with pytest.raises(InvalidMessage):
        TrainingResult.spec_of(TRAINING.run_id, {**spec.to_json(), "dim": "4"})
    with pytest.raises(InvalidMessage, match="parameters must be float64 of shape"):
        TrainingResult.parse(spec, pack_parameters(model.flat()[:-1]), pack_inputs(inputs))
    with pytest.raises(InvalidMessage, match="not a safetensors blob"):
        TrainingResult.parse(spec, b"\x00" * 64, pack_inputs(inputs))
    silent = TrainingResult.parse(
        run_spec(model, inputs, noise_multiplier=0.0),
        pack_parameters(model.flat()),
        pack_inputs(inputs),
    )
    with pytest.raises(ValueError, match="epsilon must be a finite number"):
        silent.next_version(previous, "1.1.0")  # no noise: no privacy claim to write
