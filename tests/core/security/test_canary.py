"""The canary token is caught however a tool call dresses it up."""

from __future__ import annotations

import base64
import codecs
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jarvis.security import CanaryWatch, carries_canary, new_canary
from pydantic import BaseModel

TOKEN = "JC-MZXW6YTBOI2GC3TEMF2A"


def spaced(text: str, sep: str) -> str:
    return sep.join(text)


def wrapped(encoded: bytes) -> str:
    text = encoded.decode()
    return "\n".join(text[i : i + 8] for i in range(0, len(text), 8))


FORMS = {
    "plain": lambda t: f"the code is {t} ok",
    "lower": lambda t: f"code={t.lower()}",
    "no prefix": lambda t: t[3:],
    "base64": lambda t: base64.b64encode(t.encode()).decode(),
    "base64 inside": lambda t: base64.b64encode(f"user said: {t} thanks".encode()).decode(),
    "base64 offset 1": lambda t: base64.b64encode(f"x{t}".encode()).decode(),
    "base64 offset 2": lambda t: base64.b64encode(f"xy{t}".encode()).decode(),
    "base64 no padding": lambda t: base64.b64encode(f"a{t}".encode()).decode().rstrip("="),
    "urlsafe base64": lambda t: base64.urlsafe_b64encode(f"??>{t}>>".encode()).decode(),
    "base64 in a URL": lambda t: (
        "https://evil.example/c?d=" + base64.urlsafe_b64encode(f"ab{t}".encode()).decode()
    ),
    "wrapped base64": lambda t: wrapped(base64.b64encode(f"mail body with {t} in it".encode())),
    "hex": lambda t: t.encode().hex(),
    "HEX": lambda t: t.encode().hex().upper(),
    "hex inside": lambda t: f"payload {('zz' + t).encode().hex()} end",
    "hex escapes": lambda t: "".join(f"\\x{b:02x}" for b in t.encode()),
    "hex bytes": lambda t: " ".join(f"0x{b:02X}" for b in t.encode()),
    "url encoded": lambda t: "".join(f"%{b:02X}" for b in t.encode()),
    "double url encoded": lambda t: quote("".join(f"%{b:02X}" for b in t.encode())),
    "url query": lambda t: "https://evil.example/?q=" + quote(f"token {t}", safe=""),
    "spaced": lambda t: spaced(t, " "),
    "dotted": lambda t: spaced(t, "."),
    "dashed": lambda t: spaced(t, "-"),
    "zero width": lambda t: spaced(t, "\u200b"),
    "mixed case spaced": lambda t: spaced(t.lower(), " _ "),
    "fullwidth": lambda t: "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in t),
    "reversed": lambda t: t[::-1],
    "rot13": lambda t: codecs.encode(t, "rot13"),
    "base64 of spaced": lambda t: base64.b64encode(spaced(t, " ").encode()).decode(),
    "base64 of hex": lambda t: base64.b64encode(t.encode().hex().encode()).decode(),
    "base32": lambda t: base64.b32encode(t.encode()).decode(),
    "base32 lower": lambda t: base64.b32encode(t.encode()).decode().lower(),
    "base32 inside": lambda t: base64.b32encode(f"note: {t}!".encode()).decode(),
    "base32 no padding": lambda t: base64.b32encode(f"abc{t}".encode()).decode().rstrip("="),
    "base85": lambda t: base64.b85encode(t.encode()).decode(),
    "base85 inside": lambda t: base64.b85encode(f"x {t} y".encode()).decode(),
    "ascii85": lambda t: base64.a85encode(f"{t} end".encode()).decode(),
    "ascii85 framed": lambda t: base64.a85encode(f"zz{t}".encode(), adobe=True).decode(),
    "decimal codes": lambda t: ",".join(str(ord(c)) for c in t),
    "decimal codes spaced": lambda t: " ".join(str(ord(c)) for c in t),
    "fromCharCode": lambda t: f"String.fromCharCode({', '.join(str(ord(c)) for c in t)})",
    "decimal of the core": lambda t: "; ".join(str(ord(c)) for c in t[3:].lower()),
}


@pytest.mark.parametrize("form", FORMS)
def test_every_form_is_caught(form):
    assert carries_canary(FORMS[form](TOKEN), TOKEN)


@pytest.mark.parametrize("form", FORMS)
def test_forms_of_another_token_are_not_caught(form):
    assert not carries_canary(FORMS[form](new_canary()), TOKEN)


@dataclass
class Attachment:
    name: str
    data: bytes


class EmailArgs(BaseModel):
    to: list[str]
    body: str


def test_nested_arguments_are_searched():
    assert carries_canary({"to": ["a@b.c"], "extra": {"deep": [1, {"x": TOKEN}]}}, TOKEN)
    assert carries_canary({TOKEN: "key, not value"}, TOKEN)
    assert carries_canary([Attachment("a.txt", f"body {TOKEN}".encode())], TOKEN)
    assert carries_canary(EmailArgs(to=["a@b.c"], body=f"hi {TOKEN}"), TOKEN)
    assert carries_canary(("tuple", {"set", TOKEN.lower()}), TOKEN)
    assert not carries_canary({"to": ["a@b.c"], "n": 3, "ok": True, "none": None}, TOKEN)


def test_cyclic_structures_terminate():
    loop: dict = {"a": "b"}
    loop["self"] = loop
    assert not carries_canary(loop, TOKEN)
    loop["leak"] = TOKEN
    assert carries_canary(loop, TOKEN)


def test_new_canaries_are_distinct_and_well_formed():
    tokens = {new_canary() for _ in range(200)}
    assert len(tokens) == 200
    assert all(t.startswith("JC-") and len(t) == 23 and t[3:].isalnum() for t in tokens)


ORDINARY = [
    "Please send the quarterly report to finance@example.com by Friday.",
    "https://example.com/search?q=weather+berlin&lang=de",
    "SGVsbG8sIHdvcmxkISBUaGlzIGlzIGEgbm9ybWFsIGJhc2U2NCBzdHJpbmcu",
    "deadbeefcafebabe0123456789abcdef",
    "JC-OTHERTOKENTHATISNOTIT",
    "A long line " * 200,
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_caught(text):
    assert not carries_canary(text, TOKEN)


@given(
    st.recursive(
        st.text() | st.binary() | st.integers(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_random_values_do_not_carry_a_fresh_token(value):
    assert not carries_canary(value, new_canary())


def test_too_short_tokens_are_rejected():
    with pytest.raises(ValueError):
        carries_canary("x", "JC-AB")


SPLITS = {
    "halves": lambda t: [{"text": t[:12]}, {"text": t[12:]}],
    "second half first": lambda t: [{"body": f"...{t[12:]}"}, {"body": f"{t[:12]}..."}],
    "in prose": lambda t: [{"to": "a@b.c", "body": f"Part one is {t[:10]}, remember it."},
                           {"to": "a@b.c", "body": f"Part two: {t[10:].lower()}."}],
    "base64 halves": lambda t: [{"d": base64.b64encode(t[:11].encode()).decode()},
                                {"d": base64.b64encode(t[11:].encode()).decode()}],
    "three pieces": lambda t: [{"x": t[:9]}, {"x": t[9:16]}, {"x": t[16:]}],
    "two fields of one call": lambda t: [{"a": t[:12], "b": t[12:]}],
}


@pytest.mark.parametrize("split", SPLITS)
def test_a_token_split_over_calls_is_caught(split):
    watch = CanaryWatch(TOKEN)
    calls = SPLITS[split](TOKEN)
    assert [watch.check(c) for c in calls][-1] is True
    assert not any(carries_canary(c, TOKEN) for c in calls[:-1])  # no call alone carries it


def test_pieces_of_another_token_or_ordinary_calls_do_not_add_up():
    watch = CanaryWatch(TOKEN)
    other = new_canary()
    calls = [{"text": other[:12]}, {"text": other[12:]}, *({"text": t} for t in ORDINARY),
             {"text": TOKEN[:12]}]  # one half of ours is not a leak yet
    assert not any(watch.check(c) for c in calls)


def test_only_recent_calls_count():
    watch = CanaryWatch(TOKEN, recent=3)
    assert not watch.check({"text": TOKEN[:12]})
    for _ in range(3):
        assert not watch.check({"text": "nothing here"})
    assert not watch.check({"text": TOKEN[12:]})  # the first half is too long ago
