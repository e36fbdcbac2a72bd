"""Database engine and sessions; the schema is created and upgraded by Alembic migrations."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Any fixed number: held while migrating so several server processes never migrate at once.
_MIGRATION_LOCK = 7_310_221
# The SQLite database holds every private item table: it and the files beside it are owner-only.
PRIVATE_FILE_MODE = 0o600
_SQLITE_FILES = ("", "-wal", "-shm", "-journal", ".migrate-lock")

log = logging.getLogger(__name__)


class InsecureDatabase(RuntimeError):
    """A SQLite database file others can read, and that this process cannot make owner-only."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            _make_private(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _make_private(database: Path) -> None:
    """Create the database file owner-only before SQLite does (its -wal and -shm files take
    the database's mode), and tighten older files that others can read."""
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(database, os.O_CREAT | os.O_RDWR, PRIVATE_FILE_MODE))
    if os.name != "posix":
        return
    for suffix in _SQLITE_FILES:
        path = Path(f"{database}{suffix}")
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if not mode & 0o077:
            continue
        try:
            path.chmod(PRIVATE_FILE_MODE)
        except OSError as error:
            raise InsecureDatabase(
                f"{path} is readable by other users (mode {mode:o}) and cannot be made "
                f"owner-only ({error.strerror}): run the market as its owner, or chmod 600 it"
            ) from None
        log.warning("%s was readable by other users (mode %o): now owner-only (600)", path, mode)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration (safe to call from several processes)."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            try:
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK}
                )
                connection.commit()
        return
    with _file_lock(Path(engine.url.database or "") if engine.url.database else None):
        command.upgrade(alembic_config(url), "head")


@contextmanager
def _file_lock(database: Path | None) -> Iterator[None]:
    """SQLite has no advisory lock: server processes starting together take a lock file beside
    the database, so only one runs the migrations (the others then find them done)."""
    if database is None or str(database) == ":memory:" or os.name != "posix":
        yield
        return
    import fcntl

    database.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(f"{database}.migrate-lock", os.O_CREAT | os.O_RDWR, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sessions(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
