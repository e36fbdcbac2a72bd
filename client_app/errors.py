"""Errors the client SDK raises to the app."""


class NotReady(RuntimeError):
    """The app cannot do this yet (no identity, nothing opted in, no live model, ...)."""
