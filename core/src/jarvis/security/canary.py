"""Canary tokens: a per-run secret in the system prompt that must never leave the run."""

from __future__ import annotations

import base64
import binascii
import codecs
import dataclasses
import html
import re
import secrets
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

CANARY_PREFIX = "JC-"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HEX_PREFIXES = re.compile(r"\\x|\\u00|0x|%", re.IGNORECASE)  # \u00 as in JSON's \u004a
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\s:,.\-]?){8,}")
_HEX_SEPARATORS = re.compile(r"[\s:,.\-]")
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{12,}")
_MAX_DEPTH = 3  # layers of encoding peeled off (e.g. base64 of URL-encoded hex)
_MAX_CHARS = 1_000_000  # per string: beyond this only the start is examined
_MAX_NODES = 10_000
_MAX_DECODINGS = 5_000  # bounds the work one check may do on hostile input


def new_canary() -> str:
    """A fresh random token, e.g. ``JC-K3TQ...``: 100 random bits, never found by chance."""
    return CANARY_PREFIX + base64.b32encode(secrets.token_bytes(12)).decode().rstrip("=")


@dataclasses.dataclass(frozen=True)
class _Needle:
    core: str  # the token's random part, lower-case letters and digits only
    signatures: tuple[str, ...]  # fixed fragments of its base64 and hex encodings

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
        return cls(core, tuple(sorted(s for s in signatures if len(s) >= 8)))


def carries_canary(value: Any, token: str) -> bool:
    """True if ``token`` appears anywhere in ``value``, plainly or encoded or spelt out."""
    needle = _Needle.of(token)
    budget = [_MAX_DECODINGS]
    return any(_string_carries(text, needle, _MAX_DEPTH, budget) for text in _strings(value))


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


def _string_carries(text: str, needle: _Needle, depth: int, budget: list[int]) -> bool:
    text = text[:_MAX_CHARS]
    letters = _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())
    core = needle.core
    if core in letters or core[::-1] in letters or codecs.encode(core, "rot13") in letters:
        return True
    compact = "".join(text.split())
    if any(signature in compact for signature in needle.signatures):
        return True
    if depth == 0 or not _looks_like_text(text):
        return False
    for decoded in _decodings(text):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if _string_carries(decoded, needle, depth - 1, budget):
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


def _fixed_base64(raw: bytes, shift: int) -> str:
    """Base64 characters of ``raw`` that do not depend on what surrounds it.

    ``raw`` preceded by ``shift`` other bytes: the characters sharing bits with those bytes or
    with whatever follows vary, the ones in between are the same in every message.
    """
    encoded = base64.b64encode(bytes(shift) + raw).decode()
    skip = {0: 0, 1: 2, 2: 3}[shift]
    end = (shift + len(raw)) // 3 * 4
    return encoded[skip:end]
