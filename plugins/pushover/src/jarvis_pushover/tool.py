"""pushover_send: a push notification to the calling user's own devices."""

from __future__ import annotations

from typing import Annotated

from jarvis import Tool, ToolContext, ToolResult
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from yarl import URL

from . import store
from .api import PushoverError, post_message
from .settings import APP_TOKEN_KEY, USER_KEY_NAME, PushoverSettings

NO_APP_TOKEN = ("Pushover is not set up on this server: an admin must store the application "
                f"token as the credential {APP_TOKEN_KEY}")
NO_USER_KEY = ("you have not set your Pushover user key yet: add it in Settings → Pushover "
               "(it is shown on your pushover.net dashboard)")


def _link(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        url = URL(value)
    except ValueError:
        raise ValueError("must be an http(s) URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("must be an http(s) URL")
    return value


class SendInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=1024)
    title: str | None = Field(None, max_length=250)
    priority: int = Field(0, ge=-2, le=2, description=(
        "-2 silent, -1 quiet, 0 normal, 1 high, 2 emergency (repeats until acknowledged; "
        "needs retry and expire)"))
    retry: int | None = Field(None, ge=30, le=10800,
                              description="priority 2: seconds between repeats (30 or more)")
    expire: int | None = Field(None, ge=30, le=10800,
                               description="priority 2: stop repeating after this many seconds")
    url: Annotated[str | None, AfterValidator(_link)] = Field(
        None, max_length=512, description="a link shown with the notification")
    url_title: str | None = Field(None, max_length=100)

    @model_validator(mode="after")
    def _emergency(self) -> SendInput:
        for name in ("retry", "expire"):
            given = getattr(self, name) is not None
            if self.priority == 2 and not given:
                raise ValueError(f"{name}: required with priority 2")
            if self.priority != 2 and given:
                raise ValueError(f"{name}: only with priority 2")
        return self

    def form(self) -> dict[str, str]:
        """Pushover's parameters for this message (without token and user)."""
        fields = self.model_dump(exclude_none=True)
        return {name: str(value) for name, value in fields.items()}


class PushoverSend(Tool):
    name = "pushover_send"
    group = "pushover"
    description = ("Send a push notification to the user's own phone or computer through "
                   "Pushover: a message, an optional title, link and priority.")
    Input = SendInput
    side_effect = True
    settings: PushoverSettings

    def describe(self, args: SendInput) -> str:
        title = f" {args.title!r}" if args.title else ""
        return f"send the notification{title} (priority {args.priority}) to your devices"

    async def run(self, args: SendInput, ctx: ToolContext) -> ToolResult:
        token = await ctx.credentials.get(APP_TOKEN_KEY)
        if not token:
            return ToolResult.failure(NO_APP_TOKEN)
        user_key = await ctx.credentials.get_user(USER_KEY_NAME)
        if not user_key:
            return ToolResult.failure(NO_USER_KEY)
        form = {"token": token, "user": user_key, **args.form()}
        device = await store.device(ctx.db, ctx.user.id)
        if device:
            form["device"] = device
        try:
            reply = await post_message(ctx.http, self.settings, form)
        except PushoverError as err:
            return ToolResult.failure(str(err))
        where = f"the device(s) {device}" if device else "all your devices"
        text = f"Notification sent to {where}."
        if reply.get("receipt"):
            text += f" Emergency receipt: {reply['receipt']}."
        return ToolResult(content=text, summary="notification sent")
