"""How whitelist domains are normalised, and which hosts a domain covers."""

from __future__ import annotations

import pytest
from jarvis_web.domains import DomainError, host_of, normalize_domain, registrable, suffixes


@pytest.mark.parametrize(("given", "stored"), [
    ("example.com", "example.com"),
    ("Example.COM", "example.com"),
    ("example.com.", "example.com"),
    ("https://www.example.com/some/path?q=1#top", "www.example.com"),
    ("http://example.com:8080", "example.com"),
    ("*.example.com", "example.com"),
    ("  example.com  ", "example.com"),
    ("bücher.de", "xn--bcher-kva.de"),
    ("BÜCHER.DE.", "xn--bcher-kva.de"),
    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("ドメイン.テスト", "xn--eckwd4c7c.xn--zckzah"),
])
def test_domains_are_normalised(given, stored):
    assert normalize_domain(given) == stored


@pytest.mark.parametrize("given", [
    "", "   ", "localhost", "com", "1.2.3.4", "[::1]", "http://[2001:db8::1]/", "user@example.com",
    "exa mple.com", "-example.com", "example-.com", "a..example.com", "ex!ample.com",
    "a" * 64 + ".com", ("a" * 60 + ".") * 5 + "com", "example.com\x00.evil.test",
])
def test_invalid_domains_are_refused(given):
    with pytest.raises(DomainError):
        normalize_domain(given)


def test_a_domain_covers_itself_and_subdomains_on_label_boundaries_only():
    covering = suffixes("a.b.example.com")
    assert covering == ["a.b.example.com", "b.example.com", "example.com"]
    assert "example.com" not in suffixes("evil-example.com")
    assert "example.com" not in suffixes("example.com.evil.test")
    assert "example.com" not in suffixes("notexample.com")


def test_url_hosts_are_read_as_the_client_reads_them():
    assert host_of("HTTPS://WWW.Example.COM./x") == "www.example.com"
    assert host_of("http://example.com@evil.test/") == "evil.test"
    assert host_of("http://bücher.de/") == "xn--bcher-kva.de"
    assert host_of("http://127.0.0.1:8080/") == "127.0.0.1"
    for bad in ("ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "/relative",
                "http:///nohost"):
        with pytest.raises(DomainError):
            host_of(bad)


def test_approvals_are_remembered_per_registrable_domain():
    assert registrable("www.example.co.uk") == "example.co.uk"
    assert registrable("a.b.example.com") == "example.com"
    assert registrable("example.com.evil.test") == "evil.test"
    assert registrable("203.0.113.9") == "203.0.113.9"
