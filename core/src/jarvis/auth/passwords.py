"""Password hashing: scrypt with its parameters in the stored string, run off the event loop."""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import os
import unicodedata
from concurrent.futures import Executor
from dataclasses import dataclass

MIN_LENGTH = 8
MAX_LENGTH = 1024  # long passphrases are fine; this only bounds the work per request

# OWASP's scrypt row N=2^14, r=8, p=5: the cost of N=2^17, p=1 with 16 MiB of memory per hash
# instead of 128 MiB, so a burst of logins cannot exhaust memory. ~0.2 s per hash on one core.
LOG_N, R, P = 14, 8, 5
SALT_BYTES, KEY_BYTES = 16, 32
MAX_MEMORY = 64 * 1024 * 1024

# A hash of a random, forgotten password with the current parameters: unknown users are checked
# against it so that they cost as much time as a wrong password.
DUMMY_HASH = (
    "$scrypt$ln=14,r=8,p=5$ZkM7OzbdQjF1oMpikYPWZQ$Wo+4dF9VSVxFI4MzDv5e1ft3hGzl7LUs5eqYeDY7QaM"
)


@dataclass(frozen=True, slots=True)
class Params:
    log_n: int
    r: int
    p: int


CURRENT = Params(LOG_N, R, P)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 passwords people pick most (from zxcvbn's list), lower case; loading takes a
    moment, so it happens once, on first use (:func:`weakness_of` does that off the loop)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def weakness(password: str, username: str | None = None) -> str | None:
    """Why a new password is too weak (NIST SP 800-63B: a minimum length, not a well-known
    password, nothing guessable from the account), or None when it is fine. Blocking on the
    first call, which loads the list."""
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    folded = unicodedata.normalize("NFKC", password).casefold()
    bare = folded.strip(" .,!?-_0123456789")  # password1!, 2024password
    if len(set(folded)) == 1:
        return "one character repeated is too easy to guess"
    common = common_passwords()
    if folded in common or bare in common:
        return "this is one of the most common passwords; choose another"
    if username and bare == username.casefold():
        return "the password must not be the user name"
    return None


async def weakness_of(password: str, username: str | None = None) -> str | None:
    """:func:`weakness`, loading the list in a worker thread the first time."""
    if common_passwords.cache_info().currsize == 0:
        await asyncio.to_thread(common_passwords)
    return weakness(password, username)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _encode(password: str) -> bytes:
    # NFC so that the same passphrase typed on two keyboards gives the same bytes.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _derive(password: str, salt: bytes, params: Params, length: int) -> bytes:
    return hashlib.scrypt(
        _encode(password),
        salt=salt,
        n=2**params.log_n,
        r=params.r,
        p=params.p,
        maxmem=MAX_MEMORY,
        dklen=length,
    )


def hash_password(password: str) -> str:
    """The stored form of a password: ``$scrypt$ln=..,r=..,p=..$salt$hash`` (blocking)."""
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, CURRENT, KEY_BYTES)
    return f"$scrypt$ln={CURRENT.log_n},r={CURRENT.r},p={CURRENT.p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[Params, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 5 or parts[1] != "scrypt":
        return None
    try:
        fields = dict(item.split("=", 1) for item in parts[2].split(","))
        params = Params(int(fields["ln"]), int(fields["r"]), int(fields["p"]))
        salt, key = _unb64(parts[3]), _unb64(parts[4])
    except (ValueError, KeyError):
        return None
    # A damaged row must not make one login cost minutes or gigabytes.
    if not (10 <= params.log_n <= 20 and 1 <= params.r <= 16 and 1 <= params.p <= 16 and key):
        return None
    return params, salt, key


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (blocking, constant-time compare)."""
    parsed = _parse(stored)
    if parsed is None or len(password) > MAX_LENGTH:
        return False
    params, salt, key = parsed
    return hmac.compare_digest(_derive(password, salt, params, len(key)), key)


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    parsed = _parse(stored)
    return parsed is None or parsed[0] != CURRENT


class PasswordHasher:
    """Hashing and checking on a thread pool, so a burst of logins leaves the event loop free."""

    def __init__(self, executor: Executor | None = None):
        self.executor = executor

    async def hash(self, password: str) -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, hash_password, password)

    async def verify(self, password: str, stored: str | None) -> bool:
        """Check a password; with ``stored`` None (no such user) spend the same time and fail."""
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(
            self.executor, verify_password, password, stored or DUMMY_HASH
        )
        return ok and stored is not None
