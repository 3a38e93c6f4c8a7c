"""The outbound guard refuses every road to private, loopback and metadata addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import aiohttp
import pytest
from aiohttp import web
from jarvis.security import (
    GuardedHttp,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    OutboundTimeout,
    OutboundTooLarge,
    check_address,
    check_host_sync,
    check_url,
)
from jarvis.security.connector import GuardedResolver, RefusedAddress, guarded_socket_factory

SSRF_URLS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",  # octal
    "http://0177.0000.0000.0001/",
    "http://127.1/",
    "http://127.0.1/",
    "http://127.0.0.1./",
    "http://[::1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[64:ff9b::7f00:1]/",  # NAT64
    "http://[64:ff9b:1::a00:1]/",
    "http://[2002:7f00:0001::]/",  # 6to4 around loopback
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/",
    "http://[fe80::1%25eth0]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://100.100.100.200/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.GOOGLE.INTERNAL./",
    "http://100.64.0.1/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://192.0.2.1/",
    "ftp://example.com/file",
    "file:///etc/passwd",
    "gopher://example.com/",
    "javascript:alert(1)",
    "//example.com/",
    "http:///nohost",
    "http://user@example.com/",
    "http://user:pass@example.com/",
    "http://:@example.com/",
    "http://evil.com@127.0.0.1/",
    "http://evil.com\\@127.0.0.1/",
    "http://example.com\\.127.0.0.1/",
    "http://exa mple.com/",
    "http://example.com:0/",
    "http://999.1.1.1/",
    "http://ex%61mple.com/",
]


@pytest.mark.parametrize("url", SSRF_URLS)
def test_forbidden_urls_are_refused(url):
    with pytest.raises(OutboundRefused):
        check_url(url)


@pytest.mark.parametrize("url", ["http://127.1/", "http://[::ffff:127.0.0.1]/", "ftp://x/"])
async def test_fetch_refuses_without_connecting(url):
    with pytest.raises(OutboundRefused):
        await GuardedHttp().fetch(url)


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=c", "http://example.com:8080/", "https://[2606:4700::1111]/"]
)
def test_public_urls_pass(url):
    assert check_url(url).scheme in ("http", "https")


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:a00:1::", "private"),
        ("64:ff9b::a9fe:a9fe", "metadata"),
        ("fd12::1", "unique local"),
        ("224.0.0.1", "multicast"),
    ],
)
def test_refusal_names_the_reason(address, words):
    reason = check_address(address)
    assert reason is not None and words in reason
    assert str(ipaddress.ip_address(address)) in reason


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"],
)
def test_public_addresses_are_allowed(address):
    assert check_address(address) is None


def test_error_message_is_plain():
    with pytest.raises(OutboundRefused) as caught:
        check_url("http://127.0.0.1/")
    assert str(caught.value) == "refused: 127.0.0.1 is a loopback address"


async def test_loopback_server_needs_the_test_allowance(hello_server):
    with pytest.raises(OutboundRefused, match="loopback"):
        await GuardedHttp().fetch(hello_server.url())
    assert hello_server.hits == []
    allowed = GuardedHttp(allow_loopback_for_tests={f"127.0.0.1:{hello_server.port}"})
    result = await allowed.fetch(hello_server.url())
    assert (result.status, result.text()) == (200, "hello from loopback")
    assert result.ok and not result.truncated


async def test_allowance_is_per_port(hello_server):
    other_port = GuardedHttp(allow_loopback_for_tests={f"127.0.0.1:{hello_server.port + 1}"})
    with pytest.raises(OutboundRefused):
        await other_port.fetch(hello_server.url())
    assert hello_server.hits == []


def test_test_allowance_takes_loopback_only():
    for entry in ("10.0.0.1", "169.254.169.254", "localhost:80", "0.0.0.0/0"):
        with pytest.raises(ValueError, match="loopback"):
            OutboundPolicy(allow_loopback_for_tests={entry})


async def test_session_refuses_and_allows_like_fetch(hello_server):
    async with GuardedHttp().session() as session:
        with pytest.raises(OutboundRefused):
            await session.get(hello_server.url())
    allowed = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})
    async with allowed.session() as session, session.get(hello_server.url()) as response:
        assert await response.text() == "hello from loopback"


async def test_hostname_resolving_to_loopback_is_refused(hello_server, make_resolver):
    resolver = make_resolver({"innocent.example": [["127.0.0.1"]]})
    guarded = GuardedHttp(resolver=resolver)
    with pytest.raises(OutboundRefused) as caught:
        await guarded.fetch(f"http://innocent.example:{hello_server.port}/")
    assert "127.0.0.1 is a loopback address (resolved from innocent.example)" in str(caught.value)
    assert hello_server.hits == []


async def test_dns_rebinding_is_checked_at_connect_time(hello_server, make_resolver):
    # The first answer is public (what an up-front check would see), the next is loopback.
    resolver = make_resolver({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    policy = OutboundPolicy()
    earlier = await GuardedResolver(policy, resolver).resolve("rebind.example", hello_server.port)
    assert [answer["host"] for answer in earlier] == ["93.184.216.34"]
    guarded = GuardedHttp(resolver=resolver)
    with pytest.raises(OutboundRefused, match="127.0.0.1"):
        await guarded.fetch(f"http://rebind.example:{hello_server.port}/")
    assert resolver.calls == ["rebind.example", "rebind.example"]
    assert hello_server.hits == []


async def test_socket_check_holds_even_when_resolution_is_not_guarded(hello_server, make_resolver):
    # A connector fed by an unguarded resolver still checks the address it connects to.
    resolver = make_resolver({"rebind.example": [["127.0.0.1"]]})
    connector = aiohttp.TCPConnector(
        resolver=resolver, socket_factory=guarded_socket_factory(OutboundPolicy())
    )
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(aiohttp.ClientConnectorError) as caught:
            await session.get(f"http://rebind.example:{hello_server.port}/")
    assert isinstance(caught.value.os_error, RefusedAddress)
    assert hello_server.hits == []


def test_socket_factory_refuses_forbidden_targets():
    factory = guarded_socket_factory(OutboundPolicy())
    for sockaddr in (("127.0.0.1", 80), ("169.254.169.254", 80), ("::1", 80, 0, 0)):
        family = socket.AF_INET6 if ":" in sockaddr[0] else socket.AF_INET
        with pytest.raises(RefusedAddress):
            factory((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
    sock = factory((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("8.8.8.8", 80)))
    sock.close()


async def test_redirect_to_unallowed_loopback_port_is_refused(make_server, hello_server):
    def routes(app: web.Application) -> None:
        async def jump(request: web.Request) -> web.Response:
            raise web.HTTPFound(hello_server.url())

        app.router.add_get("/", jump)

    first = await make_server(routes)
    guarded = GuardedHttp(allow_loopback_for_tests={f"127.0.0.1:{first.port}"})
    with pytest.raises(OutboundRefused, match="loopback"):
        await guarded.fetch(first.url())
    async with guarded.session() as session:
        with pytest.raises(OutboundRefused, match="loopback"):
            await session.get(first.url())
    assert len(first.hits) == 2 and hello_server.hits == []


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://metadata.google.internal/", "metadata"),
        ("file:///etc/passwd", "only http and https"),
        ("http://admin:pw@example.com/", "user name or password"),
        ("http://[::ffff:a9fe:a9fe]/", "metadata"),
    ],
)
async def test_redirects_to_forbidden_targets_are_refused(make_server, location, words):
    def routes(app: web.Application) -> None:
        async def jump(request: web.Request) -> web.Response:
            return web.Response(status=302, headers={"Location": location})

        app.router.add_get("/", jump)

    server = await make_server(routes)
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})
    with pytest.raises(OutboundRefused, match=words):
        await guarded.fetch(server.url())


@pytest.fixture
async def chain_server(make_server):
    def routes(app: web.Application) -> None:
        async def hop(request: web.Request) -> web.Response:
            left = int(request.match_info["left"])
            if left == 0:
                return web.Response(text="arrived")
            raise web.HTTPFound(f"/hop/{left - 1}")

        app.router.add_get("/hop/{left}", hop)

    return await make_server(routes)


async def test_redirects_are_followed_up_to_the_cap(chain_server):
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"}, max_redirects=3)
    result = await guarded.fetch(chain_server.url("/hop/3"))
    assert result.text() == "arrived"
    assert result.url.endswith("/hop/0") and len(result.redirects) == 3
    with pytest.raises(OutboundRefused, match="more than 3 redirects"):
        await guarded.fetch(chain_server.url("/hop/4"))
    assert len(chain_server.hits) == 4 + 4


async def test_credentials_do_not_follow_a_redirect_to_another_origin(make_server, hello_server):
    def routes(app: web.Application) -> None:
        async def jump(request: web.Request) -> web.Response:
            target = hello_server.url("/echo") if request.path == "/away" else "/echo"
            raise web.HTTPFound(target)

        async def echo(request: web.Request) -> web.Response:
            return web.json_response({"headers": dict(request.headers)})

        app.router.add_get("/away", jump)
        app.router.add_get("/stay", jump)
        app.router.add_get("/echo", echo)

    first = await make_server(routes)
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})
    secret = {"Authorization": "Bearer s3cret", "X-Trace": "1"}
    stayed = (await guarded.fetch(first.url("/stay"), headers=secret)).json()["headers"]
    moved = (await guarded.fetch(first.url("/away"), headers=secret)).json()["headers"]
    assert stayed["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in moved and moved["X-Trace"] == "1"


async def test_see_other_turns_a_post_into_a_get(make_server, hello_server):
    def routes(app: web.Application) -> None:
        async def submit(request: web.Request) -> web.Response:
            raise web.HTTPSeeOther(hello_server.url("/echo"))

        app.router.add_post("/submit", submit)

    server = await make_server(routes)
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})
    result = await guarded.fetch(server.url("/submit"), method="POST", data={"a": "1"})
    assert result.json()["method"] == "GET"


@pytest.fixture
async def big_server(make_server):
    def routes(app: web.Application) -> None:
        async def fixed(request: web.Request) -> web.Response:
            return web.Response(body=b"x" * int(request.match_info["size"]))

        async def streamed(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            for _ in range(50):
                await response.write(b"y" * 1000)
            await response.write_eof()
            return response

        app.router.add_get("/fixed/{size}", fixed)
        app.router.add_get("/streamed", streamed)

    return await make_server(routes)


async def test_bodies_past_the_size_cap_are_cut_or_refused(big_server):
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"}, max_bytes=1000)
    exact = await guarded.fetch(big_server.url("/fixed/1000"))
    assert len(exact.body) == 1000 and not exact.truncated
    cut = await guarded.fetch(big_server.url("/fixed/10000"))
    assert cut.body == b"x" * 1000 and cut.truncated
    streamed = await guarded.fetch(big_server.url("/streamed"), max_bytes=2500)
    assert streamed.body == b"y" * 2500 and streamed.truncated
    with pytest.raises(OutboundTooLarge):
        await guarded.fetch(big_server.url("/fixed/10000"), truncate=False)
    with pytest.raises(OutboundTooLarge):
        await guarded.fetch(big_server.url("/streamed"), truncate=False)


async def test_slow_servers_hit_the_time_cap(hello_server, make_server):
    def routes(app: web.Application) -> None:
        async def drip(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse()
            await response.prepare(request)
            while True:  # each byte is prompt; only the total time is too long
                await response.write(b".")
                await asyncio.sleep(0.02)

        app.router.add_get("/drip", drip)

    dripping = await make_server(routes)
    guarded = GuardedHttp(allow_loopback_for_tests={"127.0.0.1"}, timeout=0.3)
    with pytest.raises(OutboundTimeout):
        await guarded.fetch(hello_server.url("/slow"))
    with pytest.raises(OutboundTimeout):
        await guarded.fetch(dripping.url("/drip"))


async def test_admin_allowed_private_host_is_reachable_by_name_only(hello_server, make_resolver):
    resolver = make_resolver({"caldav.lan": [["127.0.0.1"]], "other.lan": [["127.0.0.1"]]})
    guarded = GuardedHttp(
        allowed_private_hosts={f"caldav.lan:{hello_server.port}"}, resolver=resolver
    )
    result = await guarded.fetch(f"http://caldav.lan:{hello_server.port}/")
    assert result.text() == "hello from loopback"
    with pytest.raises(OutboundRefused):
        await guarded.fetch(f"http://other.lan:{hello_server.port}/")
    with pytest.raises(OutboundRefused):
        await guarded.fetch(f"http://caldav.lan:{hello_server.port + 1}/")
    assert len(hello_server.hits) == 1


async def test_metadata_is_never_allowed(make_resolver):
    with pytest.raises(ValueError, match="metadata"):
        OutboundPolicy(allowed_private_hosts={"169.254.169.254"})
    resolver = make_resolver({"metadata.google.internal": [["169.254.169.254"]]})
    guarded = GuardedHttp(
        allowed_private_hosts={"metadata.google.internal", "169.254.0.0/16"}, resolver=resolver
    )
    with pytest.raises(OutboundRefused, match="metadata"):
        await guarded.fetch("http://metadata.google.internal/")
    with pytest.raises(OutboundRefused, match="metadata"):
        await guarded.fetch("http://169.254.169.254/")


def test_sync_check_resolves_and_refuses():
    with pytest.raises(OutboundRefused, match="loopback"):
        check_host_sync("localhost", 80)
    with pytest.raises(OutboundRefused, match="loopback"):
        check_host_sync("2130706433", 80)
    policy = OutboundPolicy(allowed_private_hosts={"localhost:5232"})
    assert "127.0.0.1" in policy.check_host_sync("localhost", 5232)
    assert policy.check_host_sync("8.8.8.8", 53) == ["8.8.8.8"]


async def test_unreachable_host_is_an_outbound_error(make_resolver):
    resolver = make_resolver({})
    with pytest.raises(OutboundError, match="could not fetch"):
        await GuardedHttp(resolver=resolver).fetch("http://nowhere.example/")


async def test_admin_allowed_private_hosts_come_from_the_server_settings(make_app):
    from jarvis.keys import OUTBOUND_HTTP

    policy = make_app(allowed_private_hosts="192.168.1.20, nas.lan:8443")[OUTBOUND_HTTP].policy
    assert policy.check_target("192.168.1.20", 443) is None
    assert policy.check_target("192.168.1.21", 443) is not None
    assert policy.check_target("10.0.0.5", 8443, host="nas.lan") is None
    assert policy.check_target("169.254.169.254", 80) is not None
    default = make_app()[OUTBOUND_HTTP].policy
    assert default.check_target("192.168.1.20", 443) is not None
