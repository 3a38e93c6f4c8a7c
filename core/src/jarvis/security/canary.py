"""Canary tokens: a per-run secret in the system prompt that must never leave the run."""

from __future__ import annotations

import base64
import binascii
import codecs
import dataclasses
import functools
import html
import itertools
import re
import secrets
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .scan import finditer_led

CANARY_PREFIX = "JC-"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_ALNUM = b"0123456789abcdefghijklmnopqrstuvwxyz"
_NOT_ALNUM_BYTES = bytes(sorted(set(range(256)) - set(_ALNUM)))
# Latin-1 read the way _letters reads text: the compatibility forms that are letters or digits
# (ª is a, ² is 2, ¼ is 1⁄4) folded, upper case lowered, all else left out.
_LATIN1_FRACTIONS = ((b"\xbc", b"14"), (b"\xbd", b"12"), (b"\xbe", b"34"))
_LATIN1_FOLDED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\xaa\xb2\xb3\xb9\xba"
_LATIN1_FOLD = bytes.maketrans(_LATIN1_FOLDED, b"abcdefghijklmnopqrstuvwxyza231o")
_LATIN1_DROP = bytes(sorted(set(range(256)) - set(_ALNUM) - set(_LATIN1_FOLDED)))
_NEVER_UTF8 = bytes([0xC0, 0xC1, *range(0xF5, 0x100)])  # bytes no UTF-8 text holds
# Well-formed UTF-8 (the Unicode standard's table 3-7, what ``bytes.decode`` accepts), matched
# within a buffer without slicing it or raising
_UTF8 = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})*")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20), *range(0x7f, 0xa0)])
# What each byte of a decoding is, for telling binary ones apart in one pass over them all.
_LETTER, _TWO_LETTERS, _CONTROL, _NOT_UTF8, _OTHER = 1, 2, 3, 4, 0
_MARKS = bytes(
    _TWO_LETTERS if b in b"\xbc\xbd\xbe" else _LETTER if b in _ALNUM + _LATIN1_FOLDED
    else _CONTROL if b in _CONTROL_BYTES else _NOT_UTF8 if b in _NEVER_UTF8 else _OTHER
    for b in range(256))
_HEX_PREFIXES = re.compile(r"\\x|\\u00|0x|%", re.IGNORECASE)  # \u00 as in JSON's \u004a
_HEX_RUN = re.compile(r"[0-9a-fA-F]{2}(?:[\s:,.\-]?[0-9a-fA-F]{2}){7,}")
_HEX_SEPARATORS = re.compile(r"[\s:,.\-]")
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{12,}")
# character codes in decimal: 74,67,45 / 74 67 45 / String.fromCharCode(74, 67, ...)
# (8 or more numbers: the first digit apart, so that the lead starts with a digit to scan for)
_DECIMAL_RUN = re.compile(
    r"(?<!\d)\d\d{1,6}[\s,;:.|/\-]{1,3}(?:\d{2,7}[\s,;:.|/\-]{1,3}){6,}\d{2,7}(?!\d)")
_DECIMAL_LEAD = re.compile(_DECIMAL_RUN.pattern.removeprefix(r"(?<!\d)"))
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
    spelt: tuple[bytes, ...]  # the core as is, reversed and in rot13 (ASCII)
    signatures: tuple[str, ...]  # fixed fragments of its base64, base85 and hex encodings
    upper: tuple[str, ...]  # ... of its base32 encodings (any case: compared upper-cased)

    @classmethod
    @functools.lru_cache(maxsize=64)
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
        spelt = tuple(form.encode() for form in (core, core[::-1], codecs.encode(core, "rot13")))
        return cls(core, spelt, _minimal(s for s in signatures if len(s) >= 8),
                   _minimal(s for s in upper if len(s) >= 8))


def _minimal(fragments: Iterator[str]) -> tuple[str, ...]:
    """The fragments that hold none of the others: a text holding one that does holds that
    other one too, so searching for it adds nothing."""
    found = set(fragments)
    return tuple(sorted(f for f in found if not any(g != f and g in f for g in found)))


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
    value: str | bytes, needle: _Needle, depth: int, budget: list[int], pieces: set[int] | None
) -> bool:
    if isinstance(value, str):
        text = value
    else:  # a decoding: UTF-8 text, or else read as Latin-1
        raw = value
        if raw.isascii():
            text = raw.decode("ascii")
        elif len(raw.translate(None, _NEVER_UTF8)) == len(raw) and _is_utf8(raw):
            text = raw.decode("utf-8")
        else:
            raw = raw[:_MAX_CHARS]
            # Most decodings of runs that only look like base64 are binary: told apart and
            # searched as bytes, the way their text would be.
            if depth < _MAX_DEPTH and not _bytes_look_like_text(raw):
                letters = _latin1_letters(raw)
                return len(letters) >= len(needle.core) and any(
                    form in letters for form in needle.spelt)
            text = raw.decode("latin-1")
    text = text[:_MAX_CHARS]
    letters = _letters(text)
    if any(form in letters for form in needle.spelt):
        return True
    textual = _looks_like_text(text)
    if not textual and depth < _MAX_DEPTH:
        return False  # a decoding that gave binary: encodings of the token are text
    core = needle.spelt[0]
    if pieces is not None:
        for i in range(len(core) - PIECE + 1):
            if core[i : i + PIECE] in letters:
                pieces.update(range(i, i + PIECE))
    compact = "".join(text.split())
    if any(signature in compact for signature in needle.signatures):
        return True
    upper = compact.upper()
    if any(signature in upper for signature in needle.upper):
        return True
    if depth == 0 or not textual:
        return False
    for decoded in _unique(_decodings(text, compact, needle.spelt)):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if _string_carries(decoded, needle, depth - 1, budget, pieces):
            return True
    return False


def _letters(text: str) -> bytes:
    """The letters and digits of ``text`` as read (compatibility forms folded), lower-case,
    everything else left out: ``J-C 3`` is ``jc3``."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded.encode("utf-8", "surrogatepass").translate(None, _NOT_ALNUM_BYTES)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _latin1_letters(raw: bytes) -> bytes:
    """:func:`_letters` of ``raw`` read as Latin-1, computed on the bytes."""
    for fraction, digits in _LATIN1_FRACTIONS:
        if fraction in raw:
            raw = raw.replace(fraction, digits)
    return raw.translate(_LATIN1_FOLD, _LATIN1_DROP)


def _bytes_look_like_text(raw: bytes) -> bool:
    """:func:`_looks_like_text` of ``raw`` read as Latin-1."""
    sample = raw[:4096]
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES)) <= len(sample) // 10


def _unique(decodings: Iterator[str | bytes]) -> Iterator[str | bytes]:
    """Each decoding once: the same run found twice in a text decodes to the same thing."""
    seen: set[str | bytes] = set()
    for decoded in decodings:
        if decoded not in seen:
            seen.add(decoded)
            yield decoded


def _decodings(text: str, compact: str, spelt: tuple[bytes, ...]) -> Iterator[str | bytes]:
    """What ``text`` (``compact``: without its white space) may be an encoding of: URL-decoded,
    HTML entities, hex runs, base64 runs at any offset."""
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
    decimals = (m.group() for m in finditer_led(_DECIMAL_RUN, _DECIMAL_LEAD, text))
    for found in dict.fromkeys(decimals):  # each run once
        codes = (int(n) for n in _DIGITS.findall(found))
        yield "".join(chr(c) for c in codes if c < 0x110000)
    for found in dict.fromkeys(_HEX_RUN.findall(_HEX_PREFIXES.sub("", text))):
        digits = _HEX_SEPARATORS.sub("", found)
        for offset in (0, 1):
            chunk = digits[offset:]
            yield bytes.fromhex(chunk[: len(chunk) // 2 * 2])
    yield from _base64_decodings(compact, spelt)


def _base64_decodings(compact: str, spelt: tuple[bytes, ...]) -> Iterator[bytes]:
    """Each base64 run of ``compact`` decoded from each of its first four characters (one of
    them is where an encoding that follows other letters starts).

    All decoded in one call: each piece padded with ``A`` (zero bits) to whole groups, and its
    decoding cut where ``=`` padding would have ended it. Left out: binary decodings (not
    UTF-8, not text read as Latin-1) in which :func:`_string_carries` could find nothing: too
    few letters and digits for a token spelt out (``spelt``: its forms), or, when none of them
    is in all the decodings' letters together, any.
    """
    pieces: list[bytes] = []
    for found in dict.fromkeys(_B64_RUN.findall(compact)):  # each run once
        run = found.replace("-", "+").replace("_", "/").encode("ascii")
        for offset in range(4):
            chunk = run[offset:]
            if len(chunk) % 4 == 1:
                chunk = chunk[:-1]  # a lone trailing character cannot be decoded
            pieces.append(chunk)
    if not pieces:
        return
    decoded = binascii.a2b_base64(b"".join(p + b"A" * (-len(p) % 4) for p in pieces))
    # a piece's letters are a stretch of those of the whole: a form in none of the pieces if
    # not in the whole
    letters = _latin1_letters(decoded)
    any_form = any(form in letters for form in spelt)
    marks = decoded.translate(_MARKS)
    # Where each piece's decoding starts and ends, and how many control bytes its first 4096
    # hold: counted for all pieces at C speed, the thousands of a big page's runs at once.
    lengths = [len(p) for p in pieces]
    starts = [0, *itertools.accumulate((n + 3) // 4 * 3 for n in lengths)]
    ends = [start + n * 6 // 8 for start, n in zip(starts, lengths, strict=False)]
    samples = [min(end, start + 4096) for start, end in zip(starts, ends, strict=False)]
    controls = map(marks.count, itertools.repeat(_CONTROL), starts, samples)
    textual = [c <= (sample - start) // 10
               for c, start, sample in zip(controls, starts, samples, strict=False)]
    shortest = min(len(form) for form in spelt)
    for start, end, text in zip(starts, ends, textual, strict=False):
        if text:
            yield decoded[start:end]
        elif any_form and (marks.count(_LETTER, start, end)
                           + 2 * marks.count(_TWO_LETTERS, start, end)) >= shortest:
            yield decoded[start:end]  # binary, with enough letters to spell the token
        elif not marks.count(_NOT_UTF8, start, end) and _UTF8.fullmatch(decoded, start, end):
            yield decoded[start:end]  # UTF-8 text whose bytes only look binary


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
