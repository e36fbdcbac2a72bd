"""The manifest's optional score noise: written only when set, validated, bounded by the table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from crypto.scorer import MAX_RELATIVE_SCORE_NOISE, table_score_scale
from recommenders.bundle import MANIFEST_FILE, InvalidBundle, load_bundle
from tests.factories import FEATURE_SCHEMA, bundle_parts, make_bundle


def test_no_noise_by_default_and_the_manifest_does_not_mention_it(tmp_path: Path) -> None:
    bundle = load_bundle(make_bundle(tmp_path), feature_schema=FEATURE_SCHEMA)
    assert bundle.manifest.score_noise == 0.0
    assert "score_noise" not in bundle.manifest.to_json()


def test_declared_noise_round_trips(tmp_path: Path) -> None:
    bundle = load_bundle(make_bundle(tmp_path, score_noise=0.05), feature_schema=FEATURE_SCHEMA)
    assert bundle.manifest.score_noise == 0.05
    assert json.loads(bundle.manifest.to_bytes())["score_noise"] == 0.05


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got a boolean"),
        ("0.1", "expected a number, got a string"),
        (-0.01, "-0.01 is not a finite number >= 0"),
        ([0.1], "expected a number, got an array"),
    ],
)
def test_bad_noise_values_are_refused(tmp_path: Path, value: object, message: str) -> None:
    directory = make_bundle(tmp_path)
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    manifest["score_noise"] = value
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(InvalidBundle, match=f"score_noise: {message}"):
        load_bundle(directory, feature_schema=FEATURE_SCHEMA)


def test_noise_too_large_for_the_table_to_decrypt_is_refused(tmp_path: Path) -> None:
    items = bundle_parts().items
    (tmp_path / "ok").mkdir()
    (tmp_path / "too-much").mkdir()
    ceiling = MAX_RELATIVE_SCORE_NOISE * table_score_scale(np.asarray(items))
    load_bundle(
        make_bundle(tmp_path / "ok", score_noise=0.99 * ceiling), feature_schema=FEATURE_SCHEMA
    )
    with pytest.raises(InvalidBundle, match=r"score noise .* would not decrypt"):
        load_bundle(
            make_bundle(tmp_path / "too-much", score_noise=1.01 * ceiling),
            feature_schema=FEATURE_SCHEMA,
        )
