"""Sending through aiosmtplib: a guarded connect, TLS as the account says, AUTH when set."""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import aiosmtplib
from jarvis import OutboundPolicy

from .accounts import Account
from .network import MailError, bare_host, guarded_socket, tls_context
from .settings import EmailSettings


def _ehlo_name(sender: str) -> str:
    # the sender's domain rather than this machine's name (which may be private, or slow to find)
    domain = sender.rpartition("@")[2]
    return domain if domain and domain.isascii() else "localhost"


async def send(account: Account, password: str | None, message: EmailMessage,
               recipients: list[str], policy: OutboundPolicy,
               settings: EmailSettings) -> list[str]:
    """Send ``message`` to ``recipients`` (the envelope: To, Cc and Bcc); returns the recipients
    the server refused. Raises MailError when nothing could be sent."""
    if not account.smtp_host or not account.smtp_port:
        raise MailError(f"the account {account.label!r} has no SMTP server")
    sender = account.sender
    if sender is None:
        raise MailError(f"the account {account.label!r} has no from_address")
    sock = await guarded_socket(account.smtp_host, account.smtp_port, policy,
                                settings.connect_timeout)
    context = tls_context(settings) if account.smtp_tls != "none" else None
    client = aiosmtplib.SMTP(
        hostname=bare_host(account.smtp_host), sock=sock,
        use_tls=account.smtp_tls == "ssl", start_tls=account.smtp_tls == "starttls",
        tls_context=context, timeout=settings.command_timeout,
        local_hostname=_ehlo_name(sender))
    username = account.smtp_username or account.imap_username
    try:
        await client.connect()
        if client.is_ehlo_or_helo_needed:
            try:
                await client.ehlo()
            except aiosmtplib.SMTPHeloError:
                await client.helo()
        # a relay that offers no AUTH takes mail without it (the password stays unsent)
        if password and client.supports_extension("auth"):
            await client.login(username, password)
        refused, _answer = await client.send_message(
            message, sender=sender, recipients=recipients)
    except aiosmtplib.SMTPRecipientsRefused as err:
        raise MailError("the SMTP server refused every recipient: " + "; ".join(
            f"{r.recipient}: {r.message}" for r in err.recipients)) from None
    except aiosmtplib.SMTPAuthenticationError:
        raise MailError(f"the SMTP server refused the login of {username}") from None
    except (aiosmtplib.SMTPException, ssl.SSLError, OSError, TimeoutError) as err:
        raise MailError(f"sending through {account.smtp_host} failed: {err}") from None
    finally:
        sock_was_used = client.is_connected
        if sock_was_used:
            try:
                await client.quit()
            except Exception:
                client.close()
        else:
            sock.close()
    return sorted(refused)
