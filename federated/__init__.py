"""Federated training as a protocol both sides import: secure aggregation (SecAgg+), fixed-point
encoding, distributed Gaussian noise, the privacy accountant and the trainable model. Torch-free:
the market server imports it, and so does the device."""

from federated.contribution import decode_mean, encode_contribution
from federated.errors import (
    BudgetExceeded,
    FederatedError,
    InvalidMessage,
    ProtocolAbort,
    UnsafeRequest,
)
from federated.fixedpoint import FixedPoint
from federated.messages import (
    WIRE_VERSION,
    AdvertiseKeys,
    ConsistencyCheck,
    ConsistencySignature,
    MaskedInput,
    Roster,
    RoundConfig,
    ShareInbox,
    ShareKeys,
    UnmaskRequest,
    UnmaskResponse,
)
from federated.model import Adam, CatalogInputs, ContentTwoTower, Example, local_update
from federated.privacy import ModelBudget, PrivacyPlan, epsilon, noise_for_epsilon
from federated.secagg import SecAggClient, SecAggServer

__all__ = [
    "WIRE_VERSION",
    "Adam",
    "AdvertiseKeys",
    "BudgetExceeded",
    "CatalogInputs",
    "ConsistencyCheck",
    "ConsistencySignature",
    "ContentTwoTower",
    "Example",
    "FederatedError",
    "FixedPoint",
    "InvalidMessage",
    "MaskedInput",
    "ModelBudget",
    "PrivacyPlan",
    "ProtocolAbort",
    "Roster",
    "RoundConfig",
    "SecAggClient",
    "SecAggServer",
    "ShareInbox",
    "ShareKeys",
    "UnmaskRequest",
    "UnmaskResponse",
    "UnsafeRequest",
    "decode_mean",
    "encode_contribution",
    "epsilon",
    "local_update",
    "noise_for_epsilon",
]
