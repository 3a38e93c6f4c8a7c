"""Canary tokens: a per-run secret in the system prompt that must never leave the run."""

from __future__ import annotations

import base64
import binascii
import codecs
import dataclasses
import html
import re
import secrets
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any

CANARY_PREFIX = "JC-"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HEX_PREFIXES = re.compile(r"\\x|\\u00|0x|%", re.IGNORECASE)  # \u00 as in JSON's \u004a
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\s:,.\-]?){8,}")
_HEX_SEPARATORS = re.compile(r"[\s:,.\-]")
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{12,}")
# character codes in decimal: 74,67,45 / 74 67 45 / String.fromCharCode(74, 67, ...)
_DECIMAL_RUN = re.compile(r"(?<!\d)(?:\d{2,7}[\s,;:.|/\-]{1,3}){7,}\d{2,7}(?!\d)")
_DIGITS = re.compile(r"\d+")
PIECE = 5  # the shortest piece of a token recognised across the calls of a run
RECENT_CALLS = 16  # how many of a run's latest calls their pieces are remembered for
_MAX_DEPTH = 3  # layers of encoding peeled off (e.g. base64 of URL-encoded hex)
_MAX_CHARS = 1_000_000  # per string: beyond this only the start is examined
_MAX_NODES = 10_000
_MAX_DECODINGS = 5_000  # bounds the work one check may do on hostile input


def new_canary() -> str:
    """A fresh random token, e.g. ``JC-K3TQ...``: 100 random bits, never found by chance."""
    return CANARY_PREFIX + base64.b32encode(secrets.token_bytes(12)).decode().rstrip("=")


# (encoder, bytes per group, characters per group) of the encodings found by fixed fragments
_GROUPED: tuple[tuple[Callable[[bytes], bytes], int, int], ...] = (
    (base64.b85encode, 4, 5),
    (base64.a85encode, 4, 5),
)


@dataclasses.dataclass(frozen=True)
class _Needle:
    core: str  # the token's random part, lower-case letters and digits only
    signatures: tuple[str, ...]  # fixed fragments of its base64, base85 and hex encodings
    upper: tuple[str, ...]  # ... of its base32 encodings (any case: compared upper-cased)

    @classmethod
    def of(cls, token: str) -> _Needle:
        core = _NOT_ALNUM.sub("", token.lower().removeprefix(CANARY_PREFIX.lower()))
        if len(core) < 8:
            raise ValueError("a canary token needs at least 8 letters or digits")
        forms = {token, token.lower(), token.upper(), core, core.upper()}
        signatures: set[str] = set()
        for form in forms:
            raw = form.encode()
            signatures |= {raw.hex(), raw.hex().upper()}
            for shift in range(3):
                fixed = _fixed_base64(raw, shift)
                signatures |= {fixed, fixed.replace("+", "-").replace("/", "_")}
            for encode, group, chars in _GROUPED:
                signatures |= {_fixed(encode, raw, group, chars, n) for n in range(group)}
        upper = {_fixed(base64.b32encode, f.encode(), 5, 8, n) for f in forms for n in range(5)}
        return cls(core, tuple(sorted(s for s in signatures if len(s) >= 8)),
                   tuple(sorted(s for s in upper if len(s) >= 8)))


def carries_canary(value: Any, token: str) -> bool:
    """True if ``token`` appears anywhere in ``value``, plainly or encoded or spelt out."""
    return _carries(value, _Needle.of(token), None)


def _carries(value: Any, needle: _Needle, pieces: set[int] | None) -> bool:
    budget = [_MAX_DECODINGS]
    return any(_string_carries(text, needle, _MAX_DEPTH, budget, pieces)
               for text in _strings(value))


class CanaryWatch:
    """The canary check of one run's tool calls: the token whole in one call, or in pieces
    spread over its recent calls (half in one call's arguments, half in the next).

    Each call leaves only which positions of the token it held pieces of (at least
    :data:`PIECE` characters, plainly or under any encoding the whole-token check peels off).
    """

    def __init__(self, token: str, recent: int = RECENT_CALLS):
        self._needle = _Needle.of(token)
        self._recent: deque[frozenset[int]] = deque(maxlen=recent)
        self._lock = threading.Lock()  # checks of one run's calls may run in worker threads

    def check(self, value: Any) -> bool:
        """True if ``value`` carries the token, alone or with the run's recent calls."""
        pieces: set[int] = set()
        if _carries(value, self._needle, pieces):
            return True
        with self._lock:
            self._recent.append(frozenset(pieces))
            covered = set().union(*self._recent)
        return len(covered) == len(self._needle.core)


def _strings(value: Any) -> Iterator[str]:
    """Every string in a nested structure: keys, values, bytes and model fields included."""
    stack: list[Any] = [value]
    seen: set[int] = set()
    visited = 0
    while stack and visited < _MAX_NODES:
        item = stack.pop()
        visited += 1
        if isinstance(item, str):
            yield item
        elif isinstance(item, bytes | bytearray | memoryview):
            yield bytes(item).decode("utf-8", "replace")
        elif id(item) in seen:
            continue
        elif isinstance(item, Mapping):
            seen.add(id(item))
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set | frozenset):
            seen.add(id(item))
            stack += list(item)
        elif hasattr(item, "model_dump"):
            seen.add(id(item))
            stack.append(item.model_dump())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            seen.add(id(item))
            stack.append(dataclasses.asdict(item))
        elif item is not None:
            yield str(item)


def _string_carries(
    text: str, needle: _Needle, depth: int, budget: list[int], pieces: set[int] | None
) -> bool:
    text = text[:_MAX_CHARS]
    letters = _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())
    core = needle.core
    if core in letters or core[::-1] in letters or codecs.encode(core, "rot13") in letters:
        return True
    if pieces is not None:
        for i in range(len(core) - PIECE + 1):
            if core[i : i + PIECE] in letters:
                pieces.update(range(i, i + PIECE))
    compact = "".join(text.split())
    if any(signature in compact for signature in needle.signatures):
        return True
    if any(signature in compact.upper() for signature in needle.upper):
        return True
    if depth == 0 or not _looks_like_text(text):
        return False
    for decoded in _decodings(text):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if _string_carries(decoded, needle, depth - 1, budget, pieces):
            return True
    return False


def _decodings(text: str) -> Iterator[str]:
    """What ``text`` may be an encoding of: URL-decoded, HTML entities, hex runs, base64 runs
    at any offset."""
    unquoted = text
    for _ in range(4):  # double (or deeper) URL encoding
        once = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), unquoted)
        if once == unquoted:
            break
        unquoted = once
    if unquoted != text:
        yield unquoted
    if "&" in text and (unescaped := html.unescape(text)) != text:  # &#74;&#x43;...
        yield unescaped
    for match in _DECIMAL_RUN.finditer(text):
        codes = (int(n) for n in _DIGITS.findall(match.group()))
        yield "".join(chr(c) for c in codes if c < 0x110000)
    for match in _HEX_RUN.finditer(_HEX_PREFIXES.sub("", text)):
        digits = _HEX_SEPARATORS.sub("", match.group())
        for offset in (0, 1):
            chunk = digits[offset:]
            yield _text_of(bytes.fromhex(chunk[: len(chunk) // 2 * 2]))
    compact = "".join(text.split())
    for match in _B64_RUN.finditer(compact):
        run = match.group().replace("-", "+").replace("_", "/")
        for offset in range(4):
            chunk = run[offset:]
            if len(chunk) % 4 == 1:
                chunk = chunk[:-1]  # a lone trailing character cannot be decoded
            chunk += "=" * (-len(chunk) % 4)
            try:
                yield _text_of(base64.b64decode(chunk, validate=True))
            except (binascii.Error, ValueError):
                continue


def _text_of(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _looks_like_text(text: str) -> bool:
    """Encodings are printable text; decoding binary further only wastes time."""
    sample = text[:4096]
    return len(_NOT_TEXT.findall(sample)) <= len(sample) // 10


def _fixed(encode: Callable[[bytes], bytes], raw: bytes, group: int, chars: int, shift: int) -> str:
    """The characters of whole groups of ``raw``'s encoding when ``shift`` other bytes come
    first (for encodings whose groups of bytes each become a group of characters)."""
    encoded = encode(bytes(shift) + raw).decode()
    first = 1 if shift else 0
    return encoded[first * chars : (shift + len(raw)) // group * chars]


def _fixed_base64(raw: bytes, shift: int) -> str:
    """Base64 characters of ``raw`` that do not depend on what surrounds it.

    ``raw`` preceded by ``shift`` other bytes: the characters sharing bits with those bytes or
    with whatever follows vary, the ones in between are the same in every message.
    """
    encoded = base64.b64encode(bytes(shift) + raw).decode()
    skip = {0: 0, 1: 2, 2: 3}[shift]
    end = (shift + len(raw)) // 3 * 4
    return encoded[skip:end]
