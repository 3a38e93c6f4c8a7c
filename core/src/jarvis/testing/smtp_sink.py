"""An SMTP server that keeps what it receives: aiosmtpd on loopback, with optional AUTH and TLS."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import hmac
import ipaddress
import socket
import ssl
import tempfile
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

LOOPBACK = "127.0.0.1"
TlsMode = Literal["starttls", "implicit"]


@dataclass
class ReceivedMail:
    """One message the sink accepted: the envelope, the parsed message and how it came."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes = field(repr=False)
    message: EmailMessage = field(repr=False)
    auth_user: str | None = None
    encrypted: bool = False


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a certificate and key for ``localhost``/127.0.0.1 into ``folder``; return paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


class SmtpSink:
    """What a test sees of the running sink: address, credentials, received mail, knobs."""

    def __init__(self, username: str | None, password: str | None, tls: TlsMode | None,
                 cert_path: Path | None) -> None:
        self.host, self.port = LOOPBACK, 0
        self.username, self.password, self.tls, self.cert_path = username, password, tls, cert_path
        self.messages: list[ReceivedMail] = []
        self.reject_recipients: set[str] = set()
        self._failures: list[str] = []
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()

    def client_tls_context(self) -> ssl.SSLContext:
        """An SSL context that trusts this sink's self-signed certificate."""
        if self.cert_path is None:
            raise RuntimeError("this sink was started without TLS")
        return ssl.create_default_context(cafile=str(self.cert_path))

    def fail_next(self, reply: str = "451 4.3.0 Temporary failure, try again later",
                  times: int = 1) -> None:
        """Answer the next ``times`` DATA commands with ``reply`` instead of accepting them."""
        self._failures.extend([reply] * times)

    async def wait_for_messages(
        self, count: int = 1, timeout: float = 5.0  # noqa: ASYNC109 - a bounded wait is the API
    ) -> list[ReceivedMail]:
        """Wait until ``count`` messages arrived; raise TimeoutError otherwise."""
        deadline = self._loop.time() + timeout
        while len(self.messages) < count:
            remaining = deadline - self._loop.time()
            if remaining <= 0:
                raise TimeoutError(f"expected {count} messages, got {len(self.messages)}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return list(self.messages)

    def _notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    # aiosmtpd handler hooks; they run on the server's own thread and event loop.

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in {r.lower() for r in self.reject_recipients}:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._failures:
            return self._failures.pop(0)
        raw = envelope.original_content or b""
        mail = ReceivedMail(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), raw=raw,
            # The wire form has CRLF line ends; parsed text should read like Python text.
            message=email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=default_policy),
            auth_user=session.auth_data if session.authenticated else None,
            encrypted=self.tls == "implicit" or session.ssl is not None)
        self.messages.append(mail)
        self._loop.call_soon_threadsafe(self._notify)
        return "250 2.0.0 OK: queued"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword) and self.username and self.password:
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if hmac.compare_digest(login, self.username) and hmac.compare_digest(
                    password, self.password):
                return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False)


@asynccontextmanager
async def smtp_sink(*, username: str | None = None, password: str | None = None,
                    tls: TlsMode | None = None) -> AsyncIterator[SmtpSink]:
    """Run an aiosmtpd server that accepts and records all mail.

    With ``username``/``password`` it requires AUTH (PLAIN or LOGIN). ``tls="starttls"``
    offers STARTTLS and then requires it before AUTH; ``tls="implicit"`` speaks TLS from the
    first byte (SMTPS). Clients trust the self-signed certificate through
    ``sink.client_tls_context()``.
    """
    from aiosmtpd.controller import Controller

    if (username is None) != (password is None):
        raise ValueError("give both username and password, or neither")
    # AUTH without TLS is deliberate on loopback; aiosmtpd would warn on every connection.
    warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS",
                            UserWarning, "aiosmtpd.smtp")
    with tempfile.TemporaryDirectory(prefix="jarvis-smtp-") as folder:
        cert_path = key_path = None
        server_context = None
        if tls is not None:
            cert_path, key_path = self_signed_certificate(Path(folder))
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(cert_path, key_path)
        sink = SmtpSink(username, password, tls, cert_path)
        options: dict[str, Any] = {
            "server_hostname": "localhost",
            "ssl_context": server_context if tls == "implicit" else None,
            "tls_context": server_context if tls == "starttls" else None,
            "authenticator": sink._authenticate if username else None,
            "auth_required": username is not None,
            # aiosmtpd only counts STARTTLS as encryption, so SMTPS must not demand it again.
            "auth_require_tls": tls == "starttls",
        }
        controller = None
        for attempt in range(3):
            with socket.socket() as probe:
                probe.bind((LOOPBACK, 0))
                port = probe.getsockname()[1]
            controller = Controller(sink, hostname=LOOPBACK, port=port, **options)
            try:
                await asyncio.to_thread(controller.start)
                break
            except (OSError, RuntimeError):
                if attempt == 2:
                    raise
        assert controller is not None
        sink.port = controller.port
        try:
            yield sink
        finally:
            await asyncio.to_thread(controller.stop)
