"""CKKS engine of privrec: profiles, keys, query packing, the pre-encoded scorer, wire formats."""

from crypto._files import InsecureKeyFile, private_file_writer, write_private_file
from crypto.client import PreparedQuery, TopK, decrypt_scores, encrypt_query, top_k
from crypto.ed25519 import SigningKey
from crypto.errors import (
    CryptoError,
    InvalidCiphertext,
    ParameterError,
    ScorerClosed,
    ScorerFailed,
)
from crypto.identity import IdentityKey, InvalidIdentity, InvalidSignature, sign_request
from crypto.keys import EvaluationKeys, SecretKeys
from crypto.profiles import DEFAULT_PROFILE, MAX_DIM, MAX_ITEMS, PROFILES, CkksProfile, get_profile
from crypto.scorer import EncodedTable, EncryptedQuery, ShardLayout, encoded_table_bytes
from crypto.table_scorer import TableScorer
from crypto.wire import FORMAT_VERSION, WireVersionMismatch

__all__ = [
    "DEFAULT_PROFILE",
    "FORMAT_VERSION",
    "MAX_DIM",
    "MAX_ITEMS",
    "PROFILES",
    "CkksProfile",
    "CryptoError",
    "EncodedTable",
    "EncryptedQuery",
    "EvaluationKeys",
    "IdentityKey",
    "InsecureKeyFile",
    "InvalidCiphertext",
    "InvalidIdentity",
    "InvalidSignature",
    "ParameterError",
    "PreparedQuery",
    "ScorerClosed",
    "ScorerFailed",
    "SecretKeys",
    "ShardLayout",
    "SigningKey",
    "TableScorer",
    "TopK",
    "WireVersionMismatch",
    "decrypt_scores",
    "encoded_table_bytes",
    "encrypt_query",
    "get_profile",
    "private_file_writer",
    "sign_request",
    "top_k",
    "write_private_file",
]
