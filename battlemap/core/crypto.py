"""Personal data at rest: AES-GCM encryption, a keyed blind index, and masking.

ID and phone numbers are never stored in clear. Exact lookup and uniqueness go
through the blind index (HMAC-SHA256 under a key of its own), so the database can
enforce "one person, one file" without holding the number.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_NONCE = 12


def _derive(purpose: bytes) -> bytes:
    master = settings.DATA_KEY.encode()
    return HKDF(algorithm=SHA256(), length=32, salt=b"battlemap", info=purpose).derive(master)


@lru_cache(maxsize=4)
def _keys(data_key: str) -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(b"encrypt")), _derive(b"blind-index")


def _current() -> tuple[AESGCM, bytes]:
    return _keys(settings.DATA_KEY)


def encrypt(plain: str) -> bytes:
    """Nonce + ciphertext of `plain`; a fresh nonce each time."""
    aead, _ = _current()
    nonce = os.urandom(_NONCE)
    return nonce + aead.encrypt(nonce, plain.encode(), None)


def decrypt(blob: bytes | memoryview | None) -> str:
    if blob is None:
        return ""
    data = bytes(blob)
    aead, _ = _current()
    return aead.decrypt(data[:_NONCE], data[_NONCE:], None).decode()


def blind_index(plain: str) -> str:
    """Keyed digest for exact lookup: equal inputs give equal indexes, nothing else leaks."""
    _, key = _current()
    return hmac.digest(key, plain.encode(), hashlib.sha256)[:20].hex()


def encrypt_many(values: list[str]) -> tuple[list[bytes], list[str]]:
    """Ciphertexts and blind indexes for a batch (the bulk import and demo paths)."""
    aead, key = _current()
    urandom, enc, digest, sha = os.urandom, aead.encrypt, hmac.digest, hashlib.sha256
    blobs, indexes = [], []
    for value in values:
        raw = value.encode()
        nonce = urandom(_NONCE)
        blobs.append(nonce + enc(nonce, raw, None))
        indexes.append(digest(key, raw, sha)[:20].hex())
    return blobs, indexes


def mask_id_number(value: str) -> str:
    """3418**********1234: region prefix and last four only."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def token(n: int = 32) -> str:
    return base64.urlsafe_b64encode(os.urandom(n)).decode().rstrip("=")
