"""Schemathesis against the OpenAPI schema: generated requests, signed like a real user's and
carrying a developer's API key, must never get a server error or break the response schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Ok

from market_server.api.main import create_app
from market_server.api.routes.models import BUNDLE_MEDIA_TYPES
from market_server.core.config import Settings
from tests.factories import SignedClient
from tests.market_server.conftest import MARKET_KEY

# A bundle upload is raw bytes: any bytes (the deploy route must refuse them cleanly).
for _media_type in BUNDLE_MEDIA_TYPES:
    schemathesis.openapi.media_type(_media_type, st.binary(max_size=2048))


class Caller:
    """Sends a schemathesis case with a valid user signature and a developer API key."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.user = SignedClient(client)
        self.client.request(
            "POST", "/v1/users", headers=self._signed("POST", "/v1/users", b"")
        ).raise_for_status()
        created = client.post("/v1/developers", json={"name": "fuzz-dev"})
        created.raise_for_status()
        self.developer = {"Authorization": f"Bearer {created.json()['api_key']}"}
        # Funded, so generated uploads with a small stake get past the money checks to the body.
        client.post("/v1/developers/me/faucet", headers=self.developer).raise_for_status()

    def _signed(self, method: str, path: str, body: bytes) -> dict[str, str]:
        return self.user.sign(method, path, body)

    def call(self, case: Any) -> Any:
        kwargs = case.as_transport_kwargs(base_url="http://testserver")
        data, content = kwargs.get("data"), kwargs.get("content")
        if isinstance(data, bytes | str):  # raw bodies go as content (form fields stay data)
            data, content = None, data
        request = self.client.build_request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            headers={**kwargs.get("headers", {}), **self.developer},
            json=kwargs.get("json"),
            content=content,
            data=data,
            files=kwargs.get("files"),
        )
        path = request.url.raw_path.decode("ascii")
        request.headers.update(self._signed(request.method, path, request.read()))
        return self.client.send(request)


@pytest.fixture(scope="module")
def caller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caller]:
    data_dir: Path = tmp_path_factory.mktemp("schema-market")
    app = create_app(Settings(mode="local", data_dir=data_dir, market_key=MARKET_KEY))
    with TestClient(app) as client:
        yield Caller(client)


def test_no_server_errors(caller: Caller) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", caller.client.app)
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)  # the schema itself is valid
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 20  # every route is in the schema
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        )
        def check(case: Any) -> None:
            response = caller.call(case)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
