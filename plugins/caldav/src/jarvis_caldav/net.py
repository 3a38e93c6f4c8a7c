"""Reaching a CalDAV server under the outbound guard's rules.

The caldav library is synchronous and does its own HTTP (niquests), so it cannot use the
guarded aiohttp client: its session is replaced by :func:`jarvis.guarded_session`, whose every
connection (whatever built its URL: the settings, a redirect, an href in a server's answer such
as a calendar-home-set on another host) is checked by the guard when it connects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jarvis import OutboundPolicy, guarded_session, outbound_policy

from .settings import CaldavSettings

if TYPE_CHECKING:  # the library is imported when a server is first reached
    from caldav.davclient import DAVClient


def connection_policy(http: Any, settings: CaldavSettings) -> OutboundPolicy:
    """The app client's rules plus the hosts the admin allowed for CalDAV."""
    return outbound_policy(http, settings.allowed_private_hosts)


def open_client(server_url: str, username: str, password: str, policy: OutboundPolicy,
                timeout: float) -> DAVClient:
    """A DAVClient whose every connection passes the guard (blocking: resolves DNS).

    Raises OutboundRefused (a refused address), OutboundError (no such host).
    """
    from caldav.davclient import DAVClient

    session = guarded_session(server_url, policy)  # fails early, before the library
    # caldav annotates the timeout as int; it hands it to niquests, which takes seconds as float
    client = DAVClient(url=server_url, username=username, password=password,
                       timeout=timeout, enable_rfc6764=False)  # type: ignore[arg-type]
    client.session.close()
    client.session = session
    return client
