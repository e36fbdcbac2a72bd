"""Developer API keys (random, shown once, stored as SHA-256) and replay-proof user signatures."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_KEY_PREFIX = "prk_"


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(api_key: str) -> str:
    # 256 random bits need no slow hash: SHA-256 is enough to make a database leak useless.
    return hashlib.sha256(api_key.encode()).hexdigest()


def api_key_matches(api_key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(api_key), stored_hash)
