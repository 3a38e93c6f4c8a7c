"""The HTTP side of identity: client address, HTTPS detection, same-origin checks, the cookie,
and refusing credentials in query strings."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import timedelta

from aiohttp import web
from yarl import URL

from ..errors import BadRequest
from ..middleware import error_body
from ..settings import SettingsError

COOKIE_NAME = "jarvis_session"
# Over HTTPS: a name browsers accept only from this very host, Secure, for Path=/ (no Domain),
# so a neighbouring subdomain or a plain-HTTP page cannot plant or overwrite it.
HOST_COOKIE_NAME = "__Host-" + COOKIE_NAME
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Query parameters that carry credentials: URLs end up in logs, histories and Referer headers.
CREDENTIAL_PARAMS = frozenset(
    {
        "api_key",
        "apikey",
        "api-key",
        "x-api-key",
        "key",
        "token",
        "access_token",
        "auth_token",
        "id_token",
        "refresh_token",
        "password",
        "passwd",
        "secret",
        "auth",
        COOKIE_NAME,
        HOST_COOKIE_NAME.lower(),
    }
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """``trusted_proxies`` as networks (an address is a /32 or /128)."""
    out = []
    for entry in entries:
        try:
            out.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise SettingsError(
                f"invalid setting trusted_proxies: {entry!r} is not an address or network"
            ) from None
    return out


def _in(address: str | None, networks: list[Network]) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def from_trusted_proxy(request: web.BaseRequest, trusted: list[Network]) -> bool:
    return bool(trusted) and _in(request.remote, trusted)


def client_address(request: web.Request, trusted: list[Network]) -> str | None:
    """The client's address: the peer, or (only behind a trusted proxy) the nearest
    ``X-Forwarded-For`` hop that is not itself a trusted proxy."""
    peer = request.remote
    if not from_trusted_proxy(request, trusted):
        return peer
    hops = [h.strip() for v in request.headers.getall("X-Forwarded-For", []) for h in v.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _in(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop.strip("[]")))
            except ValueError:
                return peer  # a malformed hop: do not trust anything further out
    return peer


def is_https(request: web.BaseRequest, trusted: list[Network]) -> bool:
    """TLS to us, or ``X-Forwarded-Proto: https`` from a trusted proxy."""
    if request.secure:
        return True
    if from_trusted_proxy(request, trusted):
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return proto == "https"
    return False


def _origin_of(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme.lower(), (url.host or "").lower(), url.explicit_port or url.port)


def same_origin(request: web.Request, trusted: list[Network]) -> bool:
    """True when ``Origin`` names this server (or, without Origin, the browser says so)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return request.headers.get("Sec-Fetch-Site", "").lower() == "same-origin"
    try:
        theirs = URL(origin)
    except ValueError:
        return False
    if not theirs.is_absolute():
        return False  # "null" and other opaque origins
    host = request.host
    if from_trusted_proxy(request, trusted):
        host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
    scheme = "https" if is_https(request, trusted) else "http"
    try:
        ours = URL(f"{scheme}://{host}")
    except ValueError:
        return False
    return _origin_of(theirs) == _origin_of(ours)


def needs_same_origin(request: web.Request) -> bool:
    """Unsafe methods and WebSocket upgrades must come from our own pages."""
    if request.method not in SAFE_METHODS:
        return True
    return request.headers.get("Upgrade", "").lower() == "websocket"


def cookie_name(request: web.Request, trusted: list[Network]) -> str:
    """The session cookie's name on this request: ``__Host-`` prefixed over HTTPS."""
    return HOST_COOKIE_NAME if is_https(request, trusted) else COOKIE_NAME


def set_session_cookie(
    response: web.StreamResponse, value: str, lifetime: timedelta, secure: bool
) -> None:
    response.set_cookie(
        HOST_COOKIE_NAME if secure else COOKIE_NAME,
        value,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def clear_session_cookie(response: web.StreamResponse, secure: bool) -> None:
    response.del_cookie(
        HOST_COOKIE_NAME if secure else COOKIE_NAME,
        path="/", httponly=True, samesite="Lax", secure=secure,
    )


def credential_in_query(request: web.Request) -> str | None:
    """The name of a credential-carrying query parameter, if the request has one."""
    for name in request.query:
        if name.lower() in CREDENTIAL_PARAMS:
            return name
    return None


def refused_query_credentials(request: web.Request) -> web.Response | None:
    """400 for credentials in a query string, before anything else looks at them."""
    name = credential_in_query(request)
    if name is None:
        return None
    err = BadRequest(
        f"query parameter {name}: credentials are not accepted in the URL; "
        "send them in a header or the request body"
    )
    return error_body(err.status, err.message, err.detail)
