"""A federated training run's result as a normal bundle: the next version of a model the
developer already ships, scoring exactly as the trained content two-tower does."""

from __future__ import annotations

import dataclasses
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from federated.errors import InvalidMessage
from federated.model import CatalogInputs, ContentTwoTower
from federated.privacy import epsilon
from federated.runs import RUN_ID_RE, RunSpec, model_of, unpack_inputs, unpack_parameters
from recommenders import bundle
from recommenders.built_model import BuiltModel
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import PROFILE_DIM


@dataclass(frozen=True)
class FederatedTraining:
    """The run the parameters come from and the (ε, δ) each user's data was trained under."""

    run_id: str
    epsilon: float
    delta: float

    def __post_init__(self) -> None:
        if not isinstance(self.run_id, str) or not RUN_ID_RE.fullmatch(self.run_id):
            raise ValueError("the run id must be 32 lowercase hex characters")
        if not math.isfinite(self.epsilon) or self.epsilon <= 0:
            raise ValueError(f"epsilon must be a finite number > 0, got {self.epsilon!r}")
        if not 0 < self.delta < 1:
            raise ValueError(f"delta must be in (0, 1), got {self.delta!r}")

    def in_words(self) -> str:
        return (
            f"Trained federatedly on its users' devices (secure aggregation, training run "
            f"{self.run_id}) under ({self.epsilon:.3g}, {self.delta:.3g})-differential privacy "
            "for each user's data."
        )


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """A training run as its developer reads it from the market: the spec, and the model its
    current (noised) parameters make over the run's public inputs."""

    spec: RunSpec
    model: ContentTwoTower
    inputs: CatalogInputs

    @staticmethod
    def spec_of(run_id: str, spec: object) -> RunSpec:
        """The spec's JSON as the market sent it for run ``run_id``, validated (it bounds the
        blobs read next); raises InvalidMessage."""
        checked = RunSpec.from_json(spec)
        if checked.training != run_id:
            raise InvalidMessage(f"the market answered with run {checked.training}, not {run_id}")
        return checked

    @classmethod
    def parse(cls, spec: RunSpec, parameters: bytes, inputs: bytes) -> TrainingResult:
        """The run's state from both safetensors blobs, validated; raises InvalidMessage."""
        model = model_of(spec, unpack_parameters(parameters, spec))
        return cls(spec, model, unpack_inputs(inputs, spec))

    @property
    def training(self) -> FederatedTraining:
        """The run and the ε of its whole plan at its δ (an upper bound if it stopped early)."""
        return FederatedTraining(
            self.spec.training, epsilon(self.spec.plan, self.spec.delta), self.spec.delta
        )

    def next_version(self, previous: bundle.Bundle, version: str) -> BuiltModel:
        """federated_version of this result, if ``previous`` is the very version the run
        trained: the run's inputs were built from that version's catalog, row by row."""
        manifest = previous.manifest
        if self.spec.model != f"{manifest.name}@{manifest.version}":
            raise ValueError(
                f"run {self.spec.training} trained {self.spec.model}, not "
                f"{manifest.name}@{manifest.version}: give the bundle of the version it trained"
            )
        return federated_version(
            previous, self.model, self.inputs, version=version, training=self.training
        )


def federated_version(
    previous: bundle.Bundle,
    model: ContentTwoTower,
    inputs: CatalogInputs,
    *,
    version: str,
    training: FederatedTraining,
) -> BuiltModel:
    """The trained ``model`` as the next ``version`` of the ``previous`` bundle's model: same
    name, category, catalog and catalog licence. Item i's row is [I x_i, b_i] (x_i its
    projected title, b_i its bias); the tower maps the category profile's embedding e to
    [U P^T e, 1] (P the catalog's projection), so row . tower = the model's score of item i.
    b_i = w . f_i is computed here from the public facts: the bundle ships it, not w."""
    manifest = previous.manifest
    if len(manifest.categories) != 1:
        raise ValueError(
            f"{manifest.name} {manifest.version} reads {len(manifest.categories)} categories; "
            "a federated content model reads one category's profile"
        )
    if version == manifest.version:
        raise ValueError(f"{manifest.name} {version} exists already: give a new version")
    if inputs.projection.shape[0] != EMBEDDING_DIM:
        raise ValueError(
            f"the projection maps {inputs.projection.shape[0]}-value embeddings, but a device's "
            f"profile embedding has {EMBEDDING_DIM}"
        )
    if inputs.items.shape[0] != manifest.items:
        raise ValueError(
            f"the training inputs describe {inputs.items.shape[0]} items, the catalog of "
            f"{manifest.name} {manifest.version} holds {manifest.items}"
        )
    if inputs.items.shape[1] != inputs.width:
        raise ValueError("the training inputs' items and projection have different widths")
    if model.user.shape[1] != inputs.width or model.item.shape != model.user.shape:
        raise ValueError("the model's towers do not fit the training inputs")
    dim = model.user.shape[0]
    if dim + 1 > bundle.DEFAULT_LIMITS.max_dim:
        raise ValueError(
            f"towers of {dim} rows need {dim + 1} item columns with the bias, over a bundle's "
            f"{bundle.DEFAULT_LIMITS.max_dim}"
        )
    weight = np.zeros((dim + 1, PROFILE_DIM), dtype=np.float32)
    weight[:dim, :EMBEDDING_DIM] = model.user @ inputs.projection.T  # counts are not read
    tower_bias = np.zeros(dim + 1, dtype=np.float32)
    tower_bias[dim] = 1.0  # the last column of the item table is the item's bias
    items = np.hstack([inputs.items @ model.item.T, model.bias(inputs)[:, None]])
    category = manifest.categories[0]
    block = bundle.InputBlock(
        name=f"profile:{category}", kind="category_profile", size=PROFILE_DIM, category=category
    )
    return BuiltModel(
        manifest=dataclasses.replace(
            manifest,
            version=version,
            description=(
                f"Content two-tower over {manifest.catalog.source}: titles and your {category} "
                f"profile mapped by learned towers, plus a bias per item learned from public "
                "facts about it. " + training.in_words()
            ),
            dim=dim + 1,
            inputs=(block,),
            tower=(bundle.Linear(in_features=PROFILE_DIM, out_features=dim + 1, bias=True),),
            # The previous version's floor was set on its own scores, not on these.
            relevance_floor=None,
        ),
        tower={"layers.0.weight": weight, "layers.0.bias": tower_bias},
        items=items.astype(np.float32),
        catalog=previous.catalog,
    )


def packed(built: BuiltModel) -> bytes:
    """``built`` validated and packed as the zip a market takes."""
    with tempfile.TemporaryDirectory(prefix="privrec-bundle-") as scratch:
        return bundle.pack_bundle(built.save(Path(scratch) / "bundle"))
