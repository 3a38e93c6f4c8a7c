"""Addresses are taken only in one strict, canonical form; header values never break lines."""

import pytest
from jarvis_email.addresses import AddressError, check_header, normalize_address
from jarvis_email.messages import matches, reply_subject


@pytest.mark.parametrize(("raw", "expected"), [
    ("alice@example.com", "alice@example.com"),
    ("  alice@Example.COM ", "alice@example.com"),
    ("Alice.Smith+news@example.com", "Alice.Smith+news@example.com"),
    ("bob@bücher.example", "bob@xn--bcher-kva.example"),
    ("bob@xn--bcher-kva.example", "bob@xn--bcher-kva.example"),
])
def test_addresses_are_normalised(raw, expected):
    assert normalize_address(raw) == expected


@pytest.mark.parametrize("raw", [
    "Alice <alice@example.com>",  # display name
    "alice@example.com (Alice)",  # comment
    "alice@example.com, bob@example.com",  # two addresses
    '"alice smith"@example.com',  # quoted local part
    "alice@example.com\r\nBcc: eve@example.com",  # header injection
    "alice@example.com\n",
    "ａｌｉｃｅ@example.com",  # full-width look-alikes
    "аlice@example.com",  # Cyrillic a
    "alice@[127.0.0.1]",  # domain literal
    "alice@localhost",
    "alice",
    "alice@",
    "@example.com",
    "a..b@example.com",
    "alice@exa_mple.com",
    "",
])
def test_anything_but_one_plain_address_is_refused(raw):
    with pytest.raises(AddressError):
        normalize_address(raw)


def test_header_values_with_line_breaks_are_refused():
    assert check_header("Quarterly report", "subject") == "Quarterly report"
    for bad in ("Hi\r\nBcc: eve@example.com", "Hi\nthere", "Hi\x00", "Hi\u2028there"):
        with pytest.raises(AddressError, match="subject"):
            check_header(bad, "subject")


def test_trigger_phrase_needs_every_word_in_any_order_and_case():
    assert matches("", "anything", "")
    assert matches("weekly report", "REPORT for you", "here is the Weekly summary")
    assert not matches("weekly report", "report", "the monthly one")
    assert not matches("report", "reporting", "")  # whole words only


def test_reply_subject_is_prefixed_once():
    assert reply_subject("Lunch?") == "Re: Lunch?"
    assert reply_subject("RE: Lunch?") == "RE: Lunch?"
    assert reply_subject("Line\r\nBcc: eve@example.com") == "Re: Line Bcc: eve@example.com"
