"""What the database stores: credits beyond 32 bits and catalog sizes on SQLite and PostgreSQL,
migration 0002 on a database that has duplicate key sets, migration 0004 on rows written
before rules 2, and SQLite files only their owner can read."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session

from ledger.economy import MAX_AMOUNT
from market_server import crud
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.core.db import InsecureDatabase, alembic_config, make_engine, migrate
from market_server.models import BundleBlob, ModelVersion
from recommenders.bundle import MANIFEST_FILE
from recommenders.reference import shipped_bundle

BEYOND_INT32 = 2**31


@pytest.mark.parametrize("amount", [BEYOND_INT32, MAX_AMOUNT])
def test_stakes_and_bids_beyond_32_bits_are_stored_and_read_back(
    client: TestClient, amount: int
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        developer, _ = crud.create_developer(session=session, name="whale")
        assert developer.id is not None
        model = ModelVersion(
            name="big", version="1", developer_id=developer.id, stake=amount, bid=amount - 1
        )
        session.add(model)
        session.commit()
        model_id = model.id
    with Session(engine) as session:
        stored = session.get(ModelVersion, model_id)
        assert stored is not None and (stored.stake, stored.bid) == (amount, amount - 1)
    public = client.get(f"/v1/models/{model_id}").json()
    assert (public["stake"], public["bid"]) == (amount, amount - 1)


def test_a_catalog_size_is_measured_by_the_database(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        developer, _ = crud.create_developer(session=session, name="sizer")
        assert developer.id is not None
        unpacked, pending = (
            ModelVersion(name=name, version="1", developer_id=developer.id, stake=10, bid=1)
            for name in ("unpacked", "pending")
        )
        session.add_all([unpacked, pending])
        session.flush()
        assert unpacked.id is not None
        catalog = b"item_id,title\n" + b"\x00\xff" * 70_000  # bytes, whatever their text
        with zipfile.ZipFile(shipped_bundle("places-nearby")) as bundle:
            manifest = bundle.read(MANIFEST_FILE)
        blob = BundleBlob(model_id=unpacked.id, bundle=b"", manifest=manifest, catalog=catalog)
        session.add(blob)
        session.commit()
        ids = (unpacked.id, pending.id)
    sizes = [client.get(f"/v1/models/{model_id}").json()["catalog_bytes"] for model_id in ids]
    assert sizes == [len(catalog), None]


@pytest.fixture
def engine(database_url: str) -> Iterator[sqlalchemy.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_migration_0002_keeps_one_copy_of_duplicate_key_sets(engine: sqlalchemy.Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    command.upgrade(alembic_config(url), "0001")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text('INSERT INTO "user" (id, created_at) VALUES (:id, :now)'),
            {"id": "a" * 64, "now": now},
        )
        for key_id in ("1" * 32, "2" * 32, "3" * 32):
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO evaluationkeyset (id, user_id, profile, digest, size, data, "
                    "created_at) VALUES (:id, :user, 'default', :digest, 3, :data, :now)"
                ),
                {"id": key_id, "user": "a" * 64, "digest": "d" * 64, "data": b"abc", "now": now},
            )
    migrate(engine)
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT id FROM evaluationkeyset")).all()
    assert rows == [("1" * 32,)]
    columns = {c["name"]: c["type"] for c in sqlalchemy.inspect(engine).get_columns("modelversion")}
    if engine.dialect.name == "postgresql":  # SQLite's INTEGER is 64-bit whatever it is called
        assert isinstance(columns["stake"], sqlalchemy.BigInteger)
        assert isinstance(columns["bid"], sqlalchemy.BigInteger)


def test_migration_0004_keeps_older_impressions_and_ratings(engine: sqlalchemy.Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    command.upgrade(alembic_config(url), "0003")
    now = datetime.now(UTC)
    rows = [
        ('INSERT INTO "user" (id, created_at) VALUES (:user, :now)', {}),
        (
            "INSERT INTO developer (id, name, api_key_hash, created_at) "
            "VALUES (1, 'acme', :hash, :now)",
            {"hash": "h" * 64},
        ),
        (
            "INSERT INTO modelversion (id, name, version, developer_id, status, description, "
            "categories, dim, items, stake, bid, diagnostics, created_at) "
            "VALUES (1, 'shelf', '1.0.0', 1, 'LIVE', '', 'books', 8, 30, 100, 5, '', :now)",
            {},
        ),
        (
            "INSERT INTO impression (id, user_id, model_id, epoch, created_at) "
            "VALUES (:impression, :user, 1, 0, :now)",
            {},
        ),
        (
            "INSERT INTO rating (impression_id, user_id, model_id, shown, liked, disliked, "
            "created_at) VALUES (:impression, :user, 1, 10, 2, 1, :now)",
            {},
        ),
    ]
    common = {"user": "a" * 64, "impression": "i" * 32, "now": now}
    with engine.begin() as connection:
        for statement, values in rows:
            connection.execute(sqlalchemy.text(statement), {**common, **values})
    migrate(engine)
    with engine.connect() as connection:
        listed = connection.execute(sqlalchemy.text("SELECT list_length FROM impression")).all()
        rated = connection.execute(sqlalchemy.text("SELECT liked, contribution FROM rating"))
        assert (listed, rated.all()) == ([(None,)], [(2, None)])  # written before rules 2
    command.downgrade(alembic_config(url), "0003")
    names = {
        table: {c["name"] for c in sqlalchemy.inspect(engine).get_columns(table)}
        for table in ("impression", "rating")
    }
    assert "list_length" not in names["impression"] and "contribution" not in names["rating"]
    assert "liked" in names["rating"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def wide_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default: new files 0644, what the issue found
    yield
    os.umask(previous)


@pytest.mark.usefixtures("wide_umask")
def test_a_fresh_market_keeps_its_files_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "market"
    settings = Settings(mode="local", data_dir=data)  # generates market.key there
    with (
        TestClient(create_app(settings)) as client,
        client.app.state.engine.connect() as connection,  # type: ignore[attr-defined]
    ):
        # An open connection keeps the -wal and -shm files SQLite creates beside the database.
        connection.execute(sqlalchemy.text("SELECT count(*) FROM ledger_entry")).one()
        files = sorted(path.name for path in data.iterdir())
        expected = {"market.sqlite3", "market.sqlite3-wal", "market.sqlite3-shm", "market.key"}
        assert expected | {"market.sqlite3.migrate-lock"} <= set(files)
        assert {name: mode(data / name) for name in files} == dict.fromkeys(files, 0o600)
    assert mode(data) == 0o700


@pytest.mark.usefixtures("wide_umask")
def test_an_existing_readable_database_is_made_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "market.sqlite3"
    url = f"sqlite:///{database}"
    first = make_engine(url)
    migrate(first)
    first.dispose()
    for path in (database, Path(f"{database}.migrate-lock")):
        path.chmod(0o644)
    again = make_engine(url)
    try:
        assert mode(database) == 0o600
        assert mode(Path(f"{database}.migrate-lock")) == 0o600
    finally:
        again.dispose()


@pytest.mark.usefixtures("wide_umask")
def test_a_readable_database_that_cannot_be_tightened_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "market.sqlite3"
    database.touch(mode=0o644)

    def not_the_owner(path: Path, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(Path, "chmod", not_the_owner)
    with pytest.raises(InsecureDatabase, match=r"readable by other users \(mode 644\).*chmod 600"):
        make_engine(f"sqlite:///{database}")
