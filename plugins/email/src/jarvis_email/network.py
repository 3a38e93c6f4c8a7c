"""Connections to mail servers under the outbound guard's rules (IMAP and SMTP are not HTTP,
but the same addresses are refused: private, loopback, metadata, unless allowed)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Any

from jarvis import OutboundError, OutboundPolicy, PluginContext

from .settings import EmailSettings


class MailError(Exception):
    """A mail server could not be reached, refused us, or answered nonsense."""


def outbound_policy(context: PluginContext | None, http: Any = None) -> OutboundPolicy:
    """The outbound policy of the run's (or else the plugin's) guarded HTTP client.

    Mail servers are checked by the same rules and the same admin and test allowances.
    """
    for client in (http, context.http if context is not None else None):
        policy = getattr(client, "policy", None)
        if isinstance(policy, OutboundPolicy):
            return policy
    return OutboundPolicy()


def tls_context(settings: EmailSettings) -> ssl.SSLContext:
    """Certificate-checking TLS, trusting the extra CAs of the settings too."""
    context = ssl.create_default_context()
    if settings.ca_file is not None:
        context.load_verify_locations(cafile=str(settings.ca_file))
    return context


def bare_host(host: str) -> str:
    """A host as TLS and the resolver want it (no IPv6 brackets)."""
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


async def guarded_socket(host: str, port: int, policy: OutboundPolicy,
                         timeout: float) -> socket.socket:  # noqa: ASYNC109 - a connect limit
    """A socket connected to an address of ``host`` that the policy permits.

    The name is resolved and checked once, and the socket connects to the checked address,
    so a second DNS answer cannot point it elsewhere. Raises OutboundRefused or MailError.
    """
    name = bare_host(host)
    try:
        addresses = await asyncio.to_thread(policy.check_host_sync, name, port)
    except OutboundError as err:
        if type(err) is OutboundError:  # resolution failed; refusals keep their own type
            raise MailError(str(err)) from None
        raise
    loop = asyncio.get_running_loop()
    failure: BaseException | None = None
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            await asyncio.wait_for(loop.sock_connect(sock, (address, port)), timeout)
            return sock
        except (OSError, TimeoutError) as err:
            sock.close()
            failure = err
        except BaseException:
            sock.close()
            raise
    reason = "timed out" if isinstance(failure, TimeoutError) else str(failure)
    raise MailError(f"could not connect to {name}:{port}: {reason}")
