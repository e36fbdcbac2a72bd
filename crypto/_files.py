"""Owner-only files (keys, downloaded model parts): written atomically with mode 0600; key
files others can read are refused."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from crypto.errors import CryptoError


class InsecureKeyFile(CryptoError):
    """A secret key file can be read by other users; it is refused, as ssh refuses such keys."""


def write_private_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` with owner-only permissions, atomically (temp file + rename)."""
    with private_file_writer(path) as handle:
        handle.write(data)


@contextmanager
def private_file_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A file to write ``path``'s content into, a piece at a time, with owner-only permissions:
    it replaces ``path`` (synced) only if the block ends without an exception, else vanishes."""
    target = Path(path)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def read_private_file(path: str | os.PathLike[str], *, max_bytes: int, what: str) -> bytes:
    """Read a key file, refusing one others can access or one larger than ``max_bytes``.

    Raises :class:`InsecureKeyFile`, or ``ValueError`` naming ``what`` for an oversized file.
    """
    source = Path(path)
    info = source.stat()
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureKeyFile(
            f"{source} is accessible by other users (mode {stat.filemode(info.st_mode)}); "
            "run: chmod 600 on it"
        )
    if info.st_size > max_bytes:
        raise ValueError(f"{what}: {source} is {info.st_size} bytes, too large")
    return source.read_bytes()
