"""The `places-nearby` reference model: places near where the user goes and like what they
visit, the distance computed inside the encrypted inner product (see `places_nearby_model`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.built_model import VERSION, BuiltModel, bundle_catalog
from recommenders.embeddings import EMBEDDING_DIM, MODEL_ID, Embedder
from recommenders.features import FEATURE_SCHEMA_VERSION
from recommenders.places import OSM_SOURCE, Places, load_places

CONTENT_DIM = 32
# The ballast entry is this many times the largest history row: the l2norm then divides by
# H to within |s|^2 / (2 B^2) < 1e-6, below float32's resolution of the scores' spread.
BALLAST_FACTOR = 1000.0
# A user with a catalog visit has a place scoring >= 1 (see `nearby_offset`); one without, 0.
RELEVANCE_FLOOR = 0.5
PLACES_CATALOG = bundle.CatalogInfo(
    source=OSM_SOURCE,
    description="Named places in central Helsinki from OpenStreetMap",
    region="Helsinki, Finland",
    # The extract's newest edit is dated 2019-04-21 (see recommenders/data/LICENSES.md).
    period="OpenStreetMap as of April 2019",
    licence="ODbL 1.0",
    licence_url="https://opendatacommons.org/licenses/odbl/1-0/",
    attribution="© OpenStreetMap contributors",
    # Takeout names the places a user visited: by OSM id from "osm", else by name.
    match="title",
    display=(bundle.DisplayField("kind", ""),),
    link_field="url",
)

Float64Array = NDArray[np.float64]


def place_texts(places: Places) -> list[str]:
    """What is embedded for each place: its name and kind, e.g. "Think Corner (cafe)"."""
    return [
        f"{name} ({kind})" for name, kind in zip(places.catalog.titles, places.kinds(), strict=True)
    ]


def content_vectors(embeddings: Float64Array, dim: int = CONTENT_DIM) -> Float64Array:
    """Embeddings projected on the catalog's top ``dim`` directions (as the content models do)."""
    if embeddings.ndim != 2 or embeddings.shape[1] != EMBEDDING_DIM:
        raise ValueError(f"expected (n, {EMBEDDING_DIM}) embeddings, got {embeddings.shape}")
    _, _, right = np.linalg.svd(embeddings, full_matrices=False)
    projected: Float64Array = embeddings @ right[:dim].T
    return projected


def squared_distances(first: Float64Array, second: Float64Array) -> Float64Array:
    """|a_i - b_j|^2 for every pair of rows, in km^2."""
    return np.asarray(((first[:, None, :] - second[None, :, :]) ** 2).sum(axis=-1))


def balance_weight(coordinates: Float64Array, content: Float64Array) -> float:
    """The content weight w: for a user who visited one place, the distance term and the
    content term then spread the catalog's scores equally (ratio of standard deviations over
    the catalog, the median over all one-place users). Uses no user data, as there is none."""
    spread_distance = squared_distances(coordinates, coordinates).std(axis=1)
    spread_content = (content @ content.T).std(axis=1)
    if not np.all(spread_content > 0):
        raise ValueError("a places catalog needs places whose names and kinds differ")
    return float(np.median(spread_distance / spread_content))


def nearby_offset(coordinates: Float64Array) -> float:
    """K = (largest squared distance between two places) + 1 km^2. Averaged over the user's
    visits (weights h_i / H), the places visited score K - 2 var + w |ē|^2 >= K - D^2 = 1,
    since twice the visits' variance is their mean squared distance to each other, at most
    D^2, and the content term averages to |ē|^2 >= 0. So once the user has visited any
    catalog place some place scores >= 1, while a user with no catalog visit scores exactly
    0: RELEVANCE_FLOOR between the two says "nothing here matches you". A larger K would
    only cost precision: the encrypted scores' error grows with the user vector's norm."""
    return float(squared_distances(coordinates, coordinates).max()) + 1.0


def item_table(coordinates: Float64Array, content: Float64Array) -> Float64Array:
    """Row j: [y_j, |y_j|^2, 1, e_j]."""
    ones = np.ones((len(coordinates), 1))
    squares = (coordinates**2).sum(axis=1, keepdims=True)
    return np.hstack([coordinates, squares, ones, content])


def history_rows(
    coordinates: Float64Array, content: Float64Array, weight: float, offset: float
) -> Float64Array:
    """Row i, what one visit to place i adds to the user vector: [2 c_i, -1, K - |c_i|^2, w e_i]."""
    minus_ones = -np.ones((len(coordinates), 1))
    constant = offset - (coordinates**2).sum(axis=1, keepdims=True)
    return np.hstack([2.0 * coordinates, minus_ones, constant, weight * content])


def nearby_tower(rows: Float64Array) -> tuple[list[bundle.Layer], dict[str, NDArray[np.float32]]]:
    """Layers and weights mapping a catalog history h to (approximately) rows^T h / sum(h).

    Layer 0 outputs [B H, rows^T h]; the l2norm divides by sqrt(B^2 H^2 + |rows^T h|^2), which
    is B H to within the ballast's margin; layer 2 drops the ballast entry and multiplies by B.
    A history with no catalog place is the zero vector and stays zero.
    """
    n, dim = rows.shape
    ballast = BALLAST_FACTOR * float(np.linalg.norm(rows, axis=1).max())
    first = np.vstack([np.full((1, n), ballast), rows.T])
    second = np.hstack([np.zeros((dim, 1)), ballast * np.eye(dim)])
    layers: list[bundle.Layer] = [
        bundle.Linear(in_features=n, out_features=dim + 1, bias=False),
        bundle.Activation("l2norm"),
        bundle.Linear(in_features=dim + 1, out_features=dim, bias=False),
    ]
    weights = {
        "layers.0.weight": first.astype(np.float32),
        "layers.2.weight": second.astype(np.float32),
    }
    return layers, weights


@dataclass(frozen=True)
class NearbyParameters:
    """What the model is made of, kept for the quality benchmark and the tests."""

    coordinates: Float64Array
    content: Float64Array
    weight: float
    offset: float


def nearby_parameters(places: Places, embedder: Embedder) -> NearbyParameters:
    embeddings = embedder.embed(place_texts(places)).astype(np.float64)
    content = content_vectors(embeddings)
    coordinates = places.coordinates()
    weight = balance_weight(coordinates, content)
    return NearbyParameters(coordinates, content, weight, nearby_offset(coordinates))


def places_nearby_model(
    name: str, *, embedder: Embedder, places: Places | None = None
) -> BuiltModel:
    """The places-nearby bundle over the shipped OpenStreetMap places (deterministic).

    For history weights h_i over catalog places at planar coordinates c_i (km), H = sum h_i,
    place j at y_j scores

        s_j = (1/H) sum_i h_i (K - |c_i - y_j|^2 + w e_i.e_j)
            = 2 x.y_j - |y_j|^2 + (K - m) + w ē.e_j,

    with x, m, ē the visits' means of c_i, |c_i|^2 and e_i (the name-and-kind embedding on
    the catalog's main directions). So the user vector is [2x, -1, K - m, w ē] (means over
    the history: see `nearby_tower` for the division by H) and item j's row is
    [y_j, |y_j|^2, 1, e_j].
    """
    places = places or load_places()
    parameters = nearby_parameters(places, embedder)
    rows = history_rows(
        parameters.coordinates, parameters.content, parameters.weight, parameters.offset
    )
    layers, weights = nearby_tower(rows)
    dim = rows.shape[1]
    manifest = bundle.Manifest(
        name=name,
        version=VERSION,
        description=(
            "Places near where you go and like what you visit: for each place, the mean squared "
            "distance (km^2) to the catalog places you visited, and how alike their names and "
            f"kinds are in the {MODEL_ID} embedding space (weight {parameters.weight:.3g}, "
            "chosen so both vary alike across the catalog). Places you visited come back "
            "apart, as again; if none of your places is in this catalog, nothing fits."
        ),
        categories=("places",),
        feature_schema=FEATURE_SCHEMA_VERSION,
        dim=dim,
        items=len(places),
        inputs=(bundle.InputBlock(name="history", kind="catalog_history", size=len(places)),),
        tower=tuple(layers),
        catalog=PLACES_CATALOG,
        # People go back to places they like: visited places may be shown, apart, as "again".
        policy="new-and-again",
        relevance_floor=RELEVANCE_FLOOR,
    )
    return BuiltModel(
        manifest=manifest,
        tower=weights,
        items=item_table(parameters.coordinates, parameters.content).astype(np.float32),
        catalog=bundle_catalog(places.catalog),
    )
