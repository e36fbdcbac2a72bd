"""A clipped update to the words a device masks, and the released sum back to a mean update.

The noise is distributed: each device adds N(0, (sigma C)^2 / min_survivors) before masking, and an
honest device refuses to unmask a sum of fewer than min_survivors inputs, so every sum the
server can ever decode already carries noise of standard deviation at least sigma C.
"""

from __future__ import annotations

import math

import numpy as np

from federated.fixedpoint import FixedPoint, FloatVector, Words
from federated.messages import RoundConfig
from federated.model import clip
from federated.privacy import PrivacyPlan

# Noise is clamped at this many of its standard deviations (per coordinate): beyond it the
# 32-bit sum could overflow. The chance of a clamp is about 1e-9 per coordinate.
NOISE_TAIL = 6.0


def device_noise_stddev(plan: PrivacyPlan, min_survivors: int) -> float:
    """Each device's share of the round's noise (independent Gaussians add up in variance)."""
    return plan.noise_stddev / math.sqrt(min_survivors)


def coordinate_bound(plan: PrivacyPlan, min_survivors: int) -> float:
    """What a coordinate of a clipped, noised update may reach (the fixed-point range)."""
    return plan.clip_norm + NOISE_TAIL * device_noise_stddev(plan, min_survivors)


def fixed_point(config: RoundConfig) -> FixedPoint:
    return FixedPoint(config.coordinate_bound, config.max_clients)


def encode_contribution(
    update: FloatVector, plan: PrivacyPlan, config: RoundConfig, rng: np.random.Generator
) -> Words:
    """Clip to the plan's norm, add this device's share of the noise, encode mod 2^32."""
    if update.shape != (config.dimension,):
        raise ValueError(f"the update must have {config.dimension} values")
    noise = rng.normal(0.0, device_noise_stddev(plan, config.min_survivors), update.shape)
    return fixed_point(config).encode(clip(update, plan.clip_norm) + noise, rng)


def decode_mean(total: Words, survivors: int, config: RoundConfig, expected: float) -> FloatVector:
    """The noised sum of the survivors' updates divided by the expected cohort size (a fixed
    denominator, so the mean's sensitivity to one user stays C / expected)."""
    if not expected > 0:
        raise ValueError("the expected cohort size must be positive")
    return fixed_point(config).decode_sum(total, survivors) / expected
