"""The web.url policy: Tier 1 domains pass, other domains ask, trusted domains pass per user."""

from __future__ import annotations

from jarvis import PolicyRequest
from jarvis.testing.plugins import contributions
from jarvis.testing.plugins import decide as combined

from .conftest import asking_context


async def whitelist(admin_client, domain: str) -> None:
    resp = await admin_client.post("/api/web-whitelist", json={"domain": domain, "note": "test"})
    assert resp.status == 201, await resp.text()


async def decide(client, url: str):
    """The combined decision for ``client``'s user fetching ``url``."""
    ctx = asking_context(client.app, client.user)
    request = PolicyRequest("web.url", url, "web_fetch")
    return await combined(client, request, ctx)


async def test_tier1_domain_and_its_subdomains_are_allowed(admin_client, alice):
    await whitelist(admin_client, "example.com")
    for url in ("https://example.com/", "http://www.example.com/a?b=c",
                "https://deep.sub.example.com:8443/x"):
        assert (await decide(alice, url)).verdict == "allow", url


LOOKALIKES = [
    "https://evil-example.com/",
    "https://example.com.evil.test/",
    "https://notexample.com/",
    "https://example.co/",
    "https://example.com@evil.test/",
    "https://evil.test/?u=https://example.com/",
    "https://evil.test/example.com",
]


async def test_lookalikes_of_a_tier1_domain_are_not_allowed(admin_client, alice):
    await whitelist(admin_client, "example.com")
    verdicts = {url: (await decide(alice, url)).verdict for url in LOOKALIKES}
    assert verdicts == {url: "ask" for url in LOOKALIKES}
    # an encoded dot is no dot: the host is malformed, and refused
    assert (await decide(alice, "https://example.com%2eevil.test/")).verdict == "deny"


async def test_case_trailing_dot_and_idn_forms_match(admin_client, alice):
    await whitelist(admin_client, "EXAMPLE.com.")
    await whitelist(admin_client, "bücher.de")
    for url in ("https://WWW.EXAMPLE.COM./", "https://Example.Com/x",
                "https://bücher.de/", "https://xn--bcher-kva.de/", "https://SHOP.BÜCHER.DE./"):
        assert (await decide(alice, url)).verdict == "allow", url
    assert (await decide(alice, "https://bucher.de/")).verdict == "ask"


async def test_other_domains_ask_and_are_remembered_per_site(alice):
    decision = await decide(alice, "https://news.example.net/story")
    assert decision.verdict == "ask"
    assert "news.example.net" in decision.reason
    ctx = asking_context(alice.app, alice.user)
    [policy] = contributions(alice).policies["web.url"]
    direct = await policy.check(PolicyRequest("web.url", "https://news.example.co.uk/"), ctx)
    assert direct.remember == "example.co.uk"


async def test_a_fresh_install_allows_the_seeded_domains(alice):
    assert (await decide(alice, "https://en.wikipedia.org/wiki/Owl")).verdict == "allow"
    assert (await decide(alice, "https://wttr.in/Berlin")).verdict == "allow"


async def test_trusted_domains_are_allowed_for_their_user_only(alice, bob):
    resp = await alice.post("/api/my/browser-trusted", json={"domain": "example.net", "note": "my"})
    assert resp.status == 201
    assert (await decide(alice, "https://app.example.net/")).verdict == "allow"
    assert (await decide(alice, "https://example.network/")).verdict == "ask"
    assert (await decide(bob, "https://app.example.net/")).verdict == "ask"


async def test_urls_that_are_not_http_are_denied(alice):
    for url in ("file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)", "not a url",
                "http:///x", "gopher://wikipedia.org/"):
        assert (await decide(alice, url)).verdict == "deny", url


async def test_ip_addresses_always_ask(admin_client, alice):
    await whitelist(admin_client, "example.com")
    decision = await decide(alice, "http://93.184.216.34/")
    assert decision.verdict == "ask"


async def test_browser_actions_pass_on_a_trusted_site_in_chat_only(admin_client, alice, bob):
    from jarvis.testing.plugins import tool_context

    await whitelist(admin_client, "example.com")
    resp = await alice.post("/api/my/browser-trusted", json={"domain": "shop.example.com"})
    assert resp.status == 201

    async def act(client, url: str, kind: str = "chat"):
        ctx = tool_context(client.app, client.user, kind=kind)
        request = PolicyRequest("browser.action", url, "browser_click",
                                detail={"action": "click #buy"})
        return await combined(client.app, request, ctx)

    assert (await act(alice, "https://shop.example.com/cart")).verdict == "allow"
    tier1 = await act(alice, "https://www.example.com/")  # Tier 1 is for reading, not acting
    assert tier1.verdict == "ask" and "click #buy on www.example.com" in tier1.reason
    assert (await act(bob, "https://shop.example.com/cart")).verdict == "ask"
    assert (await act(alice, "https://shop.example.com/cart", kind="agent")).verdict == "ask"
    assert (await act(alice, "http://127.0.0.1/")).verdict == "ask"
    assert (await act(alice, "ftp://shop.example.com/")).verdict == "deny"
