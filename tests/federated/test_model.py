"""The numpy two-tower: its gradient against finite differences, clipping, the device update,
and the encoded, noised contributions whose masked sum the server decodes."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from federated.contribution import (
    coordinate_bound,
    decode_mean,
    device_noise_stddev,
    encode_contribution,
)
from federated.fixedpoint import FixedPoint
from federated.messages import RoundConfig
from federated.model import (
    Adam,
    CatalogInputs,
    ContentTwoTower,
    Example,
    clip,
    local_update,
    loss_and_gradient,
    summed_one_step_updates,
)
from federated.privacy import PrivacyPlan


def catalog(items: int = 40, width: int = 24, k: int = 6, seed: int = 0) -> CatalogInputs:
    rng = np.random.default_rng(seed)
    titles = rng.normal(size=(items, width))
    facts = np.column_stack([np.log(np.arange(1, items + 1)), rng.uniform(3, 5, items)])
    return CatalogInputs.from_titles(
        titles / np.linalg.norm(titles, axis=1, keepdims=True), k, facts
    )


def test_the_public_facts_are_standardised_and_bad_ones_refused() -> None:
    inputs = catalog()
    assert inputs.facts.shape == (40, 2)
    np.testing.assert_allclose(inputs.facts.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(inputs.facts.std(axis=0), 1.0)
    titles = np.random.default_rng(0).normal(size=(5, 8))
    assert CatalogInputs.from_titles(titles, 3).facts.shape == (5, 0)
    with pytest.raises(ValueError, match="one row per item"):
        CatalogInputs.from_titles(titles, 3, np.ones((4, 1)))
    with pytest.raises(ValueError, match="finite"):
        CatalogInputs.from_titles(titles, 3, np.array([[1.0], [2.0], [np.nan], [0.0], [1.0]]))
    with pytest.raises(ValueError, match="constant"):
        CatalogInputs.from_titles(titles, 3, np.column_stack([np.arange(5.0), np.ones(5)]))
    # The bias follows the facts: weight on the first column ranks by it.
    model = ContentTwoTower.initial(inputs, 4, 0.0)
    model = model.with_flat(np.concatenate([model.flat()[:-2], [-1.0, 0.0]]))
    scores = model.scores(inputs, np.zeros((1, inputs.width)))
    assert np.all(np.diff(scores[0]) < 0)  # a lower rank (more popular) scores higher


def test_the_gradient_matches_finite_differences() -> None:
    inputs = catalog()
    rng = np.random.default_rng(1)
    model = ContentTwoTower.initial(inputs, 4, 3.0)
    model = model.with_flat(model.flat() + rng.normal(scale=0.3, size=model.size))
    examples = [
        Example(rng.normal(size=6), np.array([1, 5, 7])),
        Example(rng.normal(size=6), np.array([30])),
    ]
    loss, gradient = loss_and_gradient(model, inputs, examples)
    for index in rng.choice(model.size, 25, replace=False):
        step = np.zeros(model.size)
        step[index] = 1e-6
        up, _ = loss_and_gradient(model.with_flat(model.flat() + step), inputs, examples)
        down, _ = loss_and_gradient(model.with_flat(model.flat() - step), inputs, examples)
        assert (up - down) / 2e-6 == pytest.approx(gradient[index], rel=1e-4, abs=1e-7)
    assert math.isfinite(loss) and loss > 0


def test_clipping_and_the_device_update_respect_the_norm() -> None:
    assert np.linalg.norm(clip(np.full(9, 3.0), 2.0)) == pytest.approx(2.0)
    np.testing.assert_array_equal(clip(np.array([0.1, 0.2]), 2.0), [0.1, 0.2])
    with pytest.raises(ValueError, match="not finite"):
        clip(np.array([np.inf]), 1.0)
    inputs = catalog()
    model = ContentTwoTower.initial(inputs, 4, 3.0)
    example = Example(inputs.items[3], np.array([3]))
    update = local_update(model, inputs, [example] * 3, learning_rate=50.0, clip_norm=0.5)
    assert np.linalg.norm(update) == pytest.approx(0.5)
    # A step along the update lowers the loss on the device's own example.
    before, _ = loss_and_gradient(model, inputs, [example])
    after, _ = loss_and_gradient(model.with_flat(model.flat() + update), inputs, [example])
    assert after < before


def test_the_cohort_sum_in_the_clear_equals_the_devices_own_updates() -> None:
    inputs = catalog()
    rng = np.random.default_rng(4)
    model = ContentTwoTower.initial(inputs, 4, 3.0)
    model = model.with_flat(model.flat() + rng.normal(scale=0.3, size=model.size))
    examples = [
        Example(rng.normal(size=6), rng.choice(40, size=1 + i % 3, replace=False))
        for i in range(300)  # more than one chunk
    ]
    for rate, norm in ((0.5, 0.2), (0.01, 10.0)):  # most clipped; none clipped
        each = [
            local_update(model, inputs, [e], learning_rate=rate, clip_norm=norm) for e in examples
        ]
        summed = summed_one_step_updates(
            model, inputs, examples, learning_rate=rate, clip_norm=norm
        )
        np.testing.assert_allclose(summed, np.sum(each, axis=0), rtol=1e-9, atol=1e-12)


def test_fixed_point_sums_exactly_within_its_bounds_and_refuses_bad_input() -> None:
    encoding = FixedPoint(bound=1.0, max_clients=50)
    rng = np.random.default_rng(2)
    vectors = [rng.uniform(-1, 1, 100) for _ in range(50)]
    total = np.zeros(100, dtype=np.uint32)
    for vector in vectors:
        total += encoding.encode(vector, rng)
    decoded = encoding.decode_sum(total, 50)
    assert np.max(np.abs(decoded - np.sum(vectors, axis=0))) <= 50 * encoding.resolution
    # All at the bound, in both directions: still no wrap-around.
    for sign in (1.0, -1.0):
        total = np.zeros(3, dtype=np.uint32)
        for _ in range(50):
            total += encoding.encode(np.full(3, 5.0 * sign), rng)
        assert decoded_sign(encoding.decode_sum(total, 50)) == sign
    with pytest.raises(ValueError, match="finite"):
        encoding.encode(np.array([np.nan]), rng)
    with pytest.raises(ValueError, match="resolution"):
        FixedPoint(bound=1e9, max_clients=1000)


def decoded_sign(values: np.ndarray) -> float:
    assert np.allclose(values, values[0]) and abs(values[0]) == pytest.approx(50.0, rel=1e-6)
    return float(np.sign(values[0]))


def test_the_decoded_sum_is_the_clipped_updates_plus_noise_of_the_planned_scale() -> None:
    plan = PrivacyPlan(noise_multiplier=0.8, sampling_rate=0.1, rounds=10, clip_norm=1.0)
    clients, dimension, min_survivors = 40, 4000, 32
    config = RoundConfig(
        os.urandom(16),
        dimension,
        10,
        20,
        min_survivors,
        clients,
        coordinate_bound(plan, min_survivors),
        os.urandom(32),
    )
    rng = np.random.default_rng(3)
    updates = [rng.normal(size=dimension) * rng.uniform(0.2, 3) / 40 for _ in range(clients)]
    total = np.zeros(dimension, dtype=np.uint32)
    for update in updates:
        total += encode_contribution(update, plan, config, rng)
    mean = decode_mean(total, clients, config, expected=clients)
    noise = mean * clients - np.sum([clip(u, 1.0) for u in updates], axis=0)
    # Each of 40 devices adds sd sigma C / sqrt(32): the sum's sd is sigma C sqrt(40 / 32).
    expected_sd = device_noise_stddev(plan, min_survivors) * math.sqrt(clients)
    assert expected_sd == pytest.approx(0.8 * math.sqrt(40 / 32))
    assert np.std(noise) == pytest.approx(expected_sd, rel=0.05)
    assert abs(np.mean(noise)) < 4 * expected_sd / math.sqrt(dimension)
    # Without noise the same path gives the clipped sum to within the rounding.
    exact_plan = PrivacyPlan(0.0, 0.1, 10, 1.0)
    total = np.zeros(dimension, dtype=np.uint32)
    for update in updates:
        total += encode_contribution(update, exact_plan, config, rng)
    exact = decode_mean(total, clients, config, expected=1.0)
    clipped = np.sum([clip(u, 1.0) for u in updates], axis=0)
    assert (
        np.max(np.abs(exact - clipped))
        <= clients * FixedPoint(config.coordinate_bound, clients).resolution
    )


def test_adam_descends_a_quadratic() -> None:
    optimizer = Adam(3, 0.1)
    point = np.array([3.0, -2.0, 1.0])
    for _ in range(200):
        point = optimizer.step(point, 2 * point)
    assert np.linalg.norm(point) < 0.05


def test_adams_eps_damps_coordinates_whose_gradients_are_tiny_and_must_be_positive() -> None:
    # On the server the gradient is a noised mean: a larger eps keeps coordinates that carry
    # only a little noise from taking full-size steps, and leaves large coordinates alike.
    gradient = np.array([1.0, 1e-4])
    default = Adam(2, 0.1).step(np.zeros(2), gradient)
    damped = Adam(2, 0.1, eps=1e-3).step(np.zeros(2), gradient)
    assert default == pytest.approx([-0.1, -0.1], rel=1e-3)
    assert damped[0] == pytest.approx(-0.1, rel=1e-2) and abs(damped[1]) < 0.01
    for eps in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="eps"):
            Adam(2, 0.1, eps=eps)
