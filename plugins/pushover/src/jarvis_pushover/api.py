"""One message to Pushover's API through the guarded client, and its answers in plain words."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from jarvis import OutboundError

from .settings import APP_TOKEN_KEY, PushoverSettings

MAX_REPLY_BYTES = 64_000


class PushoverError(Exception):
    """The message was not sent; the text says why and who can fix it."""


async def post_message(http: Any, settings: PushoverSettings,
                       form: dict[str, str]) -> dict[str, Any]:
    """POST ``form`` to messages.json; returns Pushover's reply or raises PushoverError."""
    try:
        async with asyncio.timeout(settings.timeout):
            reply = await http.fetch(settings.messages_url, method="POST", data=form,
                                     max_bytes=MAX_REPLY_BYTES)
    except TimeoutError:
        raise PushoverError(f"not sent: Pushover did not answer within {settings.timeout:g} s; "
                            "try again later") from None
    except OutboundError as err:
        raise PushoverError(f"not sent: could not reach Pushover: {err}") from None
    body = _json(reply.body)
    if reply.ok and body.get("status") == 1:
        return body
    raise PushoverError(_refusal(reply.status, body, reply.headers))


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _refusal(status: int, body: dict[str, Any], headers: Any) -> str:
    if status == 429:
        reset = headers.get("X-Limit-App-Reset", "")
        when = ""
        if reset.isdigit():
            when = f" (it resets on {datetime.fromtimestamp(int(reset), UTC):%Y-%m-%d})"
        return ("not sent: this server's Pushover application has used up its monthly message "
                f"limit{when}")
    if status >= 500:
        return f"not sent: Pushover is having problems (HTTP {status}); try again later"
    if body.get("token") == "invalid":
        return ("not sent: Pushover rejected the application token; an admin must check the "
                f"credential {APP_TOKEN_KEY}")
    if body.get("user") == "invalid":
        return ("not sent: Pushover does not accept your user key; check it in Settings → "
                "Pushover (it is shown on your pushover.net dashboard)")
    if "device" in body:
        return ("not sent: Pushover does not know the device in your Pushover settings; fix or "
                "clear it in Settings → Pushover")
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return "not sent: Pushover refused the message: " + "; ".join(str(e) for e in errors)
    return f"not sent: Pushover answered with HTTP status {status}"
