"""The vault's cryptography: AES-256-GCM sealing, scrypt key derivation, the key file."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..private import FILE_MODE, private_dir, tighten

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# OWASP's scrypt floor (N=2^17, r=8, p=1): ~128 MB and a fraction of a second, once per start.
SCRYPT_PARAMS = {"n": 2**17, "r": 8, "p": 1}
KEY_FILE = "vault.key"
NEXT_KEY_FILE = "vault.key.next"  # a rotation's new key until the rotation is finished
VERIFIER_TEXT = b"jarvis vault verifier"
VERIFIER_AAD = b"jarvis-vault-verifier"


class DecryptError(Exception):
    """A ciphertext did not open with this key and associated data."""


def credential_aad(key: str) -> bytes:
    """The associated data binding a ciphertext to its credential's key."""
    return b"jarvis-credential\x00" + key.encode()


def seal(master: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, plaintext, aad)


def unseal(master: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptError("ciphertext too short")
    try:
        return AESGCM(master).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptError("ciphertext does not open with this key") from None


def make_verifier(master: bytes) -> bytes:
    return seal(master, VERIFIER_TEXT, VERIFIER_AAD)


def verifies(master: bytes, verifier: bytes) -> bool:
    try:
        return unseal(master, verifier, VERIFIER_AAD) == VERIFIER_TEXT
    except DecryptError:
        return False


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def kdf_json(params: dict[str, int] | None = None) -> str:
    return json.dumps(params or SCRYPT_PARAMS, sort_keys=True)


def derive_key(password: str, salt: bytes, kdf: str) -> bytes:
    """The master key from a password (slow on purpose: run it in a thread)."""
    params = json.loads(kdf)
    return Scrypt(salt=salt, length=KEY_BYTES, n=params["n"], r=params["r"], p=params["p"]).derive(
        password.encode()
    )


def key_path(data_dir: Path, name: str = KEY_FILE) -> Path:
    return Path(data_dir) / name


def write_key_file(path: Path, *, replace: bool = False) -> bytes:
    """Create a key file of random bytes readable only by its owner (0600).

    The file appears complete or not at all (written aside, then linked into place), so a
    second process starting at the same moment never reads a half-written key.
    """
    key = secrets.token_bytes(KEY_BYTES)
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(key).decode() + "\n")
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # FileExistsError when another process got there first
    finally:
        tmp.unlink(missing_ok=True)
    return key


def read_key_file(path: Path) -> bytes:
    """The key in a key file; a malformed file raises ValueError."""
    tighten(path, FILE_MODE)
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(f"key file {path} is not a vault key file") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"key file {path} is not a vault key file")
    return key


def create_or_read_key_file(path: Path) -> bytes:
    """The key file's key, creating the file when there is none (first start)."""
    try:
        return write_key_file(path)
    except FileExistsError:
        return read_key_file(path)
