"""CKKS engine of privrec: profiles, keys, query packing, the pre-encoded scorer, wire formats."""

from crypto._files import InsecureKeyFile
from crypto.client import PreparedQuery, TopK, decrypt_scores, encrypt_query, top_k
from crypto.errors import CryptoError, InvalidCiphertext, ParameterError
from crypto.keys import EvaluationKeys, SecretKeys
from crypto.profiles import DEFAULT_PROFILE, MAX_DIM, MAX_ITEMS, PROFILES, CkksProfile, get_profile
from crypto.scorer import EncodedTable, EncryptedQuery, TableScorer

__all__ = [
    "DEFAULT_PROFILE",
    "MAX_DIM",
    "MAX_ITEMS",
    "PROFILES",
    "CkksProfile",
    "CryptoError",
    "EncodedTable",
    "EncryptedQuery",
    "EvaluationKeys",
    "InsecureKeyFile",
    "InvalidCiphertext",
    "ParameterError",
    "PreparedQuery",
    "SecretKeys",
    "TableScorer",
    "TopK",
    "decrypt_scores",
    "encrypt_query",
    "get_profile",
    "top_k",
]
