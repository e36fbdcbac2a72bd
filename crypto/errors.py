"""The domain exceptions of the crypto engine: callers handle one thing per failure class."""


class CryptoError(Exception):
    """Base class of every error raised by :mod:`crypto`."""


class InvalidCiphertext(CryptoError):
    """A byte string is not a valid envelope of the expected kind and profile.

    Raised for every malformed, truncated, oversized, foreign or tampered query, evaluation-key
    set, response or key file. The message says which check failed, never anything secret.
    """


class ParameterError(CryptoError, ValueError):
    """A caller passed an argument the engine cannot use (shape, dimension, profile, count)."""


class ScorerClosed(CryptoError):
    """A :class:`~crypto.table_scorer.TableScorer` was closed while a query waited for it."""


class ScorerFailed(CryptoError):
    """A scoring worker process died while a query was scored (the scorer replaced it, or
    closed itself if its shards died with it): the query may be asked again."""
