"""Random tokens, their stored hashes, and the HMAC signature on session cookies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
API_KEY_PREFIX = "jv_"
API_KEY_VISIBLE = 8  # characters after "jv_" shown in listings


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps of a high-entropy token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def api_key_prefix(key: str) -> str:
    return key[: len(API_KEY_PREFIX) + API_KEY_VISIBLE]


def looks_like_api_key(value: str) -> bool:
    return value.startswith(API_KEY_PREFIX) and 20 <= len(value) <= 100


class CookieSigner:
    """``<token>.<mac>``: a cookie that was not made here is refused before any database read."""

    def __init__(self, key: bytes | None = None):
        self._key = key

    def load(self, key: bytes) -> None:
        """Set the key (read from the database at start-up)."""
        self._key = key

    def _mac(self, token: str) -> str:
        if self._key is None:
            raise RuntimeError("the cookie signing key is not loaded yet")
        digest = hmac.new(self._key, token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, token: str) -> str:
        return f"{token}.{self._mac(token)}"

    def unsign(self, value: str) -> str | None:
        """The token inside a cookie value, or None when the signature does not match."""
        token, sep, mac = value.rpartition(".")
        if not sep or not token or len(value) > 200 or self._key is None:
            return None
        try:
            expected = self._mac(token)
        except UnicodeEncodeError:
            return None
        return (
            token
            if hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace"))
            else None
        )
