"""A loopback fake of Pushover's message API, with its validation and response shapes."""

from __future__ import annotations

import calendar
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .loopback import LoopbackServer

DEFAULT_APP_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"  # noqa: S105 - a fake, shaped like real ones
DEFAULT_USER_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
MAX_ATTACHMENT_BYTES = 2_621_440
_LENGTH_LIMITS = {"message": 1024, "title": 250, "url": 512, "url_title": 100}
_INT_FIELDS = ("priority", "timestamp", "retry", "expire", "ttl", "html", "monospace")


@dataclass
class PushoverMessage:
    """A notification the fake accepted, with its parameters as Pushover read them."""

    user: str
    message: str
    request: str
    title: str | None = None
    priority: int = 0
    url: str | None = None
    url_title: str | None = None
    sound: str | None = None
    device: str | None = None
    html: bool = False
    monospace: bool = False
    timestamp: int | None = None
    retry: int | None = None
    expire: int | None = None
    ttl: int | None = None
    receipt: str | None = None
    attachment: bytes | None = field(default=None, repr=False)
    params: dict[str, str] = field(default_factory=dict, repr=False)


def _next_month_start(now: float) -> int:
    """Unix time of the first second of next month (UTC), when Pushover resets quotas."""
    today = time.gmtime(now)
    year, month = (today.tm_year + 1, 1) if today.tm_mon == 12 else (today.tm_year,
                                                                    today.tm_mon + 1)
    return calendar.timegm((year, month, 1, 0, 0, 0))


class FakePushover(LoopbackServer):
    """Serves ``POST /1/messages.json`` and ``POST /1/users/validate.json`` on 127.0.0.1."""

    def __init__(self, app_token: str = DEFAULT_APP_TOKEN,
                 user_keys: Iterable[str] = (DEFAULT_USER_KEY,), *,
                 monthly_limit: int = 10_000, devices: Iterable[str] = ("phone",)) -> None:
        super().__init__()
        self.app_token = app_token
        self.user_keys = set(user_keys)
        self.devices = list(devices)
        self.monthly_limit = monthly_limit
        self.remaining = monthly_limit
        self.sent: list[PushoverMessage] = []
        self.requests: list[dict[str, str]] = []
        self._failures: list[int] = []

    @property
    def messages_url(self) -> str:
        """The full URL to post notifications to (the API lives under ``/1/``)."""
        return f"{self.url}/1/messages.json"

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/1/messages.json", self._messages)
        app.router.add_post("/1/users/validate.json", self._validate_user)
        return app

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` message posts with a server error of ``status``."""
        self._failures.extend([status] * times)

    def _limit_headers(self) -> dict[str, str]:
        return {"X-Limit-App-Limit": str(self.monthly_limit),
                "X-Limit-App-Remaining": str(max(self.remaining, 0)),
                "X-Limit-App-Reset": str(_next_month_start(time.time()))}

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[dict[str, str], bytes | None]:
        """Form, multipart or JSON parameters, plus an attached file if one came along."""
        if request.content_type == "application/json":
            body = await request.json()
            return {k: "" if v is None else str(v) for k, v in body.items()}, None
        params: dict[str, str] = {}
        attachment = None
        for name, value in (await request.post()).items():
            if isinstance(value, str):
                params[name] = value
            elif name == "attachment" and isinstance(value, web.FileField):
                attachment = value.file.read()
        return params, attachment

    def _reply(self, request_id: str, status: int, body: dict[str, Any]) -> web.Response:
        body = {**body, "status": 1 if status == 200 else 0, "request": request_id}
        return web.json_response(body, status=status, headers=self._limit_headers())

    def _field_errors(self, params: dict[str, str],
                      attachment: bytes | None) -> dict[str, str]:
        """Every problem with the parameters, keyed by field, in Pushover's wording."""
        errors: dict[str, str] = {}
        if params.get("user") not in self.user_keys:
            errors["user"] = "invalid"
        if not params.get("message", "").strip():
            errors["message"] = "cannot be blank"
        for name, limit in _LENGTH_LIMITS.items():
            if len(params.get(name, "")) > limit:
                errors[name] = f"cannot be longer than {limit} characters"
        for name in _INT_FIELDS:
            if params.get(name, "") and not re.fullmatch(r"-?\d+", params[name]):
                errors[name] = "is invalid"
        numbers = {name: int(params[name]) for name in _INT_FIELDS
                   if params.get(name) and name not in errors}
        priority = numbers.get("priority", 0)
        if not -2 <= priority <= 2:
            errors["priority"] = "must be between -2 and 2"
        if priority == 2 and "retry" not in errors and numbers.get("retry", 0) < 30:
            errors["retry"] = "must be at least 30 seconds with emergency priority"
        if priority == 2 and "expire" not in errors and not 0 < numbers.get("expire", 0) <= 10800:
            errors["expire"] = "must be between 1 and 10800 seconds with emergency priority"
        unknown = set(filter(None, params.get("device", "").split(","))) - set(self.devices)
        if unknown:
            errors["device"] = "is not a valid device for this user"
        if attachment is not None and len(attachment) > MAX_ATTACHMENT_BYTES:
            errors["attachment"] = f"cannot be larger than {MAX_ATTACHMENT_BYTES} bytes"
        return errors

    async def _messages(self, request: web.Request) -> web.Response:
        request_id = str(uuid.uuid4())
        params, attachment = await self._read_params(request)
        self.requests.append(params)
        if self._failures:
            status = self._failures.pop(0)
            return self._reply(request_id, status, {"errors": ["internal server error"]})
        if params.get("token") != self.app_token:
            return self._reply(request_id, 400, {
                "token": "invalid", "errors": ["application token is invalid"]})
        if self.remaining <= 0:
            return self._reply(request_id, 429, {
                "errors": ["application has exceeded its monthly message limit"]})
        errors = self._field_errors(params, attachment)
        if errors:
            wording = {"user": "user identifier is not a valid user, group, or subscribed "
                               "user key"}
            return self._reply(request_id, 400, {**errors, "errors": [
                wording.get(name, f"{name} {problem}") for name, problem in errors.items()]})
        self.remaining -= 1
        message = self._accepted(params, attachment, request_id)
        self.sent.append(message)
        extra = {"receipt": message.receipt} if message.receipt else {}
        return self._reply(request_id, 200, extra)

    @staticmethod
    def _accepted(params: dict[str, str], attachment: bytes | None,
                  request_id: str) -> PushoverMessage:
        def number(name: str) -> int | None:
            return int(params[name]) if params.get(name) else None

        priority = number("priority") or 0
        return PushoverMessage(
            user=params["user"], message=params["message"], request=request_id,
            title=params.get("title"), priority=priority, url=params.get("url"),
            url_title=params.get("url_title"), sound=params.get("sound"),
            device=params.get("device"), html=number("html") == 1,
            monospace=number("monospace") == 1, timestamp=number("timestamp"),
            retry=number("retry"), expire=number("expire"), ttl=number("ttl"),
            receipt=uuid.uuid4().hex[:30] if priority == 2 else None,
            attachment=attachment, params=params)

    async def _validate_user(self, request: web.Request) -> web.Response:
        request_id = str(uuid.uuid4())
        params, _ = await self._read_params(request)
        if params.get("token") != self.app_token:
            return self._reply(request_id, 400, {
                "token": "invalid", "errors": ["application token is invalid"]})
        if params.get("user") not in self.user_keys:
            return self._reply(request_id, 400, {
                "user": "invalid", "errors": ["user key is invalid"]})
        device = params.get("device")
        if device and device not in self.devices:
            return self._reply(request_id, 400, {
                "device": "invalid for this user", "errors": ["device name is not valid for user"]})
        return self._reply(request_id, 200, {"group": 0, "devices": self.devices,
                                             "licenses": ["Android"]})
