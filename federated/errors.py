"""The federated package's one exception hierarchy: callers catch FederatedError."""

from __future__ import annotations


class FederatedError(Exception):
    """Base of every error this package raises."""


class InvalidMessage(FederatedError):
    """A message from the other side is malformed, oversized, out of order or inconsistent."""


class ProtocolAbort(FederatedError):
    """The round cannot go on: too few participants survived, or a request was refused."""


class UnsafeRequest(ProtocolAbort):
    """An honest client refuses a server request that would reveal an individual input."""


class BudgetExceeded(FederatedError):
    """Contributing would take a user's privacy loss for a model beyond their own limit."""
