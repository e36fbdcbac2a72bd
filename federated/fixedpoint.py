"""Float vectors to and from Z_{2^32} with a per-coordinate bound, so that the sum of up to
`max_clients` encoded vectors never wraps: secure aggregation then recovers it exactly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from federated.errors import InvalidMessage

MODULUS_BITS = 32
Words = NDArray[np.uint32]
FloatVector = NDArray[np.float64]
# Headroom below 2^31: the decoded sum is read as a signed 32-bit integer.
_HALF = 2**31 - 1


@dataclass(frozen=True)
class FixedPoint:
    """Each coordinate is clamped to [-bound, bound] and scaled by `scale`, so that
    max_clients * bound * scale < 2^31 (with one unit of rounding per client on top)."""

    bound: float
    max_clients: int

    def __post_init__(self) -> None:
        if not (np.isfinite(self.bound) and self.bound > 0):
            raise ValueError(f"the coordinate bound must be a positive number, got {self.bound}")
        if not 1 <= self.max_clients <= 1_000_000:
            raise ValueError(f"max_clients must be in [1, 1e6], got {self.max_clients}")
        if self.scale < 1.0:
            raise ValueError("bound x max_clients leaves less than one unit of resolution")

    @property
    def scale(self) -> float:
        return (_HALF - self.max_clients) / (self.max_clients * self.bound)

    @property
    def resolution(self) -> float:
        """The value of one unit: the largest rounding error of one client's coordinate."""
        return 1.0 / self.scale

    def encode(self, values: FloatVector, rng: np.random.Generator) -> Words:
        """Clamp, scale and round stochastically (unbiased), then reduce mod 2^32."""
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 1 or not np.all(np.isfinite(array)):
            raise ValueError("encode takes a finite one-dimensional vector")
        scaled = np.clip(array, -self.bound, self.bound) * self.scale
        floor = np.floor(scaled)
        rounded = floor + (rng.random(array.size) < (scaled - floor))
        return rounded.astype(np.int64).astype(np.uint32)

    def decode_sum(self, total: Words, clients: int) -> FloatVector:
        """The float sum of `clients` encoded vectors, from their sum mod 2^32."""
        if not 0 <= clients <= self.max_clients:
            raise InvalidMessage(
                f"{clients} vectors summed; this encoding allows {self.max_clients}"
            )
        return np.asarray(total, dtype=np.uint32).view(np.int32).astype(np.float64) / self.scale
