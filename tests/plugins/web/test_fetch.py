"""web_fetch against a loopback page server: readable text, redirects, size and time caps."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import contributions

from .conftest import asking_context


def fetch_tool(client):
    return contributions(client).tools["web_fetch"]


async def fetch(client, url: str, *, approve: bool = False, **args):
    """Run web_fetch as ``client``'s user; returns the result and the authorizer."""
    tool = fetch_tool(client)
    ctx = asking_context(client.app, client.user, approve=approve)
    result = await tool.run(tool.Input(url=url, **args), ctx)
    return result, ctx.authorizer


async def whitelist(admin_client, domain: str) -> None:
    resp = await admin_client.post("/api/web-whitelist", json={"domain": domain})
    assert resp.status == 201


async def test_a_page_comes_back_as_title_text_and_links(alice, site):
    result, _ = await fetch(alice, site.url("/article"))
    assert result.ok, result.error
    text = result.content
    assert text.startswith("Title: Owls of the Forest\nURL: http://pages.example.org:")
    assert "Owls are birds of prey that hunt mostly at night." in text
    assert "[more about barn owls](https://en.wikipedia.org/wiki/Barn_owl)" in text
    assert "- more about barn owls: https://en.wikipedia.org/wiki/Barn_owl" in text
    assert f"- About: {site.url('/about')}" in text
    assert "<p>" not in text and "<article>" not in text
    assert result.summary.startswith("read http://pages.example.org")


def test_the_tool_reads_outside_content_and_asks_about_its_url(anon_client):
    tool = fetch_tool(anon_client)
    assert tool.group == "web"
    assert tool.reads_untrusted is True
    assert tool.side_effect is False
    [request] = tool.policy_requests(tool.Input(url="https://example.com/x"))
    assert (request.resource, request.value) == ("web.url", "https://example.com/x")


async def test_plain_text_is_returned_as_it_is(alice, site):
    result, _ = await fetch(alice, site.url("/plain"))
    assert result.ok
    assert "just some text\nline two" in result.content


async def test_a_redirect_on_the_same_host_is_followed_without_asking(alice, site):
    result, asks = await fetch(alice, site.url("/redirect?to=/article"))
    assert result.ok, result.error
    assert "Owls are birds of prey" in result.content
    assert asks.seen == []


async def test_a_redirect_to_an_unapproved_domain_is_refused_before_it_is_requested(alice, site):
    away = site.url("/article", host="other.example.net")
    result, asks = await fetch(alice, site.url(f"/redirect?to={away}"))
    assert not result.ok
    assert "other.example.net" in result.error and "not allowed" in result.error
    assert [(url, d.verdict) for url, d in asks.seen] == [(away, "ask")]
    assert not site.visited("other.example.net")


async def test_a_redirect_the_user_approves_is_followed(alice, site):
    away = site.url("/article", host="other.example.net")
    result, asks = await fetch(alice, site.url(f"/redirect?to={away}"), approve=True)
    assert result.ok, result.error
    assert site.visited("other.example.net")
    assert f"URL: {away}" in result.content


async def test_a_redirect_to_a_tier1_domain_is_followed(admin_client, alice, site):
    await whitelist(admin_client, "example.net")
    away = site.url("/plain", host="other.example.net")
    result, asks = await fetch(alice, site.url(f"/redirect?to={away}"))
    assert result.ok, result.error
    assert [d.verdict for _url, d in asks.seen] == ["allow"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/",
                                    "http://169.254.169.254/latest/meta-data/"])
async def test_redirects_to_forbidden_places_are_refused(alice, site, target):
    result, _ = await fetch(alice, site.url(f"/redirect?to={target}"), approve=True)
    assert not result.ok
    assert "passwd" not in (result.content or "")


@pytest.mark.parametrize("web_settings", [{"plugins": {"web": {"max_bytes": 20_000}}}])
async def test_a_page_over_the_size_cap_is_cut(alice, site):
    result, _ = await fetch(alice, site.url("/big"))
    assert result.ok, result.error
    assert "START" in result.content
    assert "END" not in result.content
    assert "larger than the download limit" in result.content


async def test_long_text_is_shortened_to_max_chars(alice, site):
    result, _ = await fetch(alice, site.url("/big"), max_chars=1000)
    assert result.ok
    assert "shortened to 1000 characters" in result.content
    assert len(result.content) < 1400


@pytest.mark.parametrize("web_settings", [{"plugins": {"web": {"timeout": 0.3}}}])
async def test_a_page_that_does_not_answer_in_time_fails(alice, site):
    result, _ = await fetch(alice, site.url("/slow"))
    assert not result.ok
    assert "did not answer within 0.3 s" in result.error


async def test_errors_and_non_text_answers_fail_cleanly(alice, site):
    missing, _ = await fetch(alice, site.url("/missing"))
    assert not missing.ok and "HTTP status 404" in missing.error
    image, _ = await fetch(alice, site.url("/image"))
    assert not image.ok and "image/png" in image.error
    nowhere, _ = await fetch(alice, "http://no-such-host.example.org/")
    assert not nowhere.ok and "could not fetch" in nowhere.error


async def test_the_guard_still_refuses_private_addresses(alice):
    for url in ("http://127.0.0.1:9/", "http://10.0.0.1/", "http://[::1]/"):
        result, _ = await fetch(alice, url)
        assert not result.ok, url
        assert "refused" in result.error, url

