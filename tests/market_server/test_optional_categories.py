"""The model listing tells the app which categories a model requires and which it reads only
optionally, derived from the stored manifest (no column of its own)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from recommenders.bundle import pack_bundle
from tests.factories import make_bundle
from tests.market_server.test_flow import deploy, sign_up


def test_the_listing_names_the_optional_categories(client: TestClient, tmp_path: Path) -> None:
    developer = sign_up(client, "acme")
    crossover = pack_bundle(
        make_bundle(
            tmp_path,
            n=300,
            d=8,
            categories=("web", "music", "books"),
            optional=("web", "music"),
            name="crossover",
        )
    )
    shelf = pack_bundle(make_bundle(tmp_path, n=300, d=8, categories=("books",), name="shelf"))
    deployed = deploy(client, developer, crossover)
    assert deployed.status_code == 202, deployed.text
    assert deployed.json()["optional_categories"] == ["music", "web"]
    assert deploy(client, developer, shelf).status_code == 202
    listed = {m["name"]: m for m in client.get("/v1/models").json()}
    assert listed["crossover"]["categories"] == ["books", "music", "web"]
    assert listed["crossover"]["optional_categories"] == ["music", "web"]
    assert listed["shelf"]["optional_categories"] == []
    one = client.get(f"/v1/models/{deployed.json()['id']}").json()
    assert one["optional_categories"] == ["music", "web"]
    # Filtering by a category still finds a model that reads it only optionally.
    by_music = client.get("/v1/models", params={"category": "music"}).json()
    assert [m["name"] for m in by_music] == ["crossover"]
