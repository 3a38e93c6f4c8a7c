"""Reading and writing messages: headers, the text body, attachments, replies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage, Message
from email.utils import formatdate, getaddresses, make_msgid

from jarvis import phrase_matches, strip_hidden_html

from .addresses import AddressError, check_message_id, has_control, normalize_address

SHOWN_HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
_CONTROL_RUN = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw)\s*:", re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)


def parse(raw: bytes) -> EmailMessage:
    """A message as Python reads it (servers may hand back LF or CRLF line ends)."""
    msg = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email_policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def one_line(value: object, limit: int = 1000) -> str:
    """A header value as one clean line: control characters and folding become spaces."""
    return _CONTROL_RUN.sub(" ", str(value or "")).strip()[:limit]


def header(msg: Message, name: str) -> str:
    """A decoded header value on one line ('' when missing or unreadable)."""
    try:
        return one_line(msg.get(name))
    except Exception:  # a malformed header must not hide the rest of the message
        return ""


def headers(msg: Message) -> dict[str, str]:
    return {name: header(msg, name) for name in SHOWN_HEADERS if msg.get(name) is not None}


def _decoded(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except Exception:  # unknown charsets and broken encodings: read what can be read
        content = None
    if isinstance(content, str):
        return content
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def text_body(msg: EmailMessage, limit: int) -> tuple[str, bool]:
    """The readable text (text/plain preferred, else HTML as its visible text), and whether
    it was cut at ``limit`` characters."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    text = _decoded(part)
    if part.get_content_subtype() == "html":
        text = strip_hidden_html(text)
    text = text.replace("\r\n", "\n").strip()
    return (text[:limit], True) if len(text) > limit else (text, False)


@dataclass(slots=True)
class Attachment:
    name: str
    type: str
    size: int


def attachments(msg: EmailMessage) -> list[Attachment]:
    """Every attached file: name, type and decoded size."""
    body = msg.get_body(preferencelist=("plain", "html"))
    found = []
    for part in msg.walk():
        if part.is_multipart() or part is body:
            continue
        name = part.get_filename()
        if part.get_content_disposition() != "attachment" and not name:
            continue
        payload = part.get_payload(decode=True)
        found.append(Attachment(one_line(name or "(unnamed)", 200), part.get_content_type(),
                                len(payload) if isinstance(payload, bytes) else 0))
    return found


@dataclass(slots=True)
class Incoming:
    """What a trigger or email_read shows of a message."""

    headers: dict[str, str]
    body: str
    truncated: bool
    attachments: list[Attachment] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"{k}: {v}" for k, v in self.headers.items()]
        lines += ["", self.body or "(no text)"]
        if self.truncated:
            lines.append("[... the rest of the text was cut]")
        if self.attachments:
            lines += ["", "Attachments:"]
            lines += [f"- {a.name} ({a.type}, {a.size} bytes)" for a in self.attachments]
        return "\n".join(lines)


def read(raw: bytes, limit: int, partial: bool = False) -> Incoming:
    """Parse a fetched message for showing; ``partial`` marks a message cut by size."""
    msg = parse(raw)
    body, cut = text_body(msg, limit)
    return Incoming(headers(msg), body, cut or partial, attachments(msg))


def sender_of(msg: Message) -> str | None:
    """The normalised From address, or None when it is missing or not one plain address."""
    found = getaddresses([header(msg, "From")])
    if len(found) != 1:
        return None
    try:
        return normalize_address(found[0][1])
    except AddressError:
        return None


def matches(phrase: str, subject: str, body: str) -> bool:
    """Every word of ``phrase`` appears in the subject or the body (any order, any case);
    an empty phrase matches every message."""
    return _WORD.search(phrase) is None or phrase_matches(phrase, subject, body)


def compose(*, sender: str, to: list[str], cc: list[str], subject: str, body: str,
            in_reply_to: str | None = None, references: list[str] | None = None) -> EmailMessage:
    """A new plain-text message. Header values must already be checked (no line breaks)."""
    for value in (sender, subject, *to, *cc, in_reply_to or "", *(references or [])):
        if has_control(value):
            raise AddressError("header values must not contain line breaks")
    msg = EmailMessage()
    msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = " ".join(references)
    msg.set_content(body)
    return msg


def reply_subject(subject: str) -> str:
    subject = one_line(subject, 900)
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}".rstrip()


def thread_ids(msg: Message) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) for a reply to ``msg``; malformed ids are left out."""
    try:
        own: str | None = check_message_id(header(msg, "Message-ID"), "Message-ID")
    except AddressError:
        own = None
    refs = []
    for token in header(msg, "References").split()[-20:]:
        try:
            refs.append(check_message_id(token, "References"))
        except AddressError:
            continue
    if own:
        refs.append(own)
    return own, list(dict.fromkeys(refs))
