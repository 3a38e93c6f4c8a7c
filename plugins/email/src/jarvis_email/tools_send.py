"""email_send: plain-text mail to whitelisted recipients, counted against their daily limits."""

from __future__ import annotations

from typing import Annotated

from jarvis import JarvisError, OutboundError, PolicyRequest, Tool, ToolContext, ToolResult
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import smtp, whitelist
from .addresses import AddressError, check_message_id, has_control
from .context import account_for, password, policy
from .messages import compose
from .network import MailError
from .policy import RESOURCE
from .schemas import Address
from .settings import EmailSettings

MAX_RECIPIENTS = 50


def _subject(value: str) -> str:
    if has_control(value):
        raise ValueError("must not contain line breaks or control characters")
    return value


def _message_id(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_message_id(value)
    except AddressError as err:
        raise ValueError(str(err)) from None


class SendInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: list[Address] = Field(min_length=1, max_length=MAX_RECIPIENTS,
                              description="plain addresses like name@example.com")
    cc: list[Address] = Field(default_factory=list, max_length=MAX_RECIPIENTS)
    bcc: list[Address] = Field(default_factory=list, max_length=MAX_RECIPIENTS)
    subject: Annotated[str, Field(max_length=900), AfterValidator(_subject)]
    body: str = Field(max_length=200_000, description="plain text")
    account: str | None = Field(None, max_length=100,
                                description="account label or id; omit for your only account")
    in_reply_to: Annotated[str | None, AfterValidator(_message_id)] = Field(
        None, max_length=1000, description="the Message-ID this answers, like <id@host>")

    def recipients(self) -> list[str]:
        """Every recipient once, in the order given."""
        return list(dict.fromkeys([*self.to, *self.cc, *self.bcc]))


class EmailSend(Tool):
    name = "email_send"
    group = "email"
    description = ("Send a plain-text email from one of the user's accounts. Every recipient "
                   "(to, cc, bcc) must be on the admin's email whitelist; the user confirms "
                   "each mail.")
    Input = SendInput
    side_effect = True
    always_confirm = True
    settings: EmailSettings

    def policy_requests(self, args: SendInput) -> list[PolicyRequest]:
        kinds = {**{a: "bcc" for a in args.bcc}, **{a: "cc" for a in args.cc},
                 **{a: "to" for a in args.to}}
        return [PolicyRequest(RESOURCE, address, detail={"field": kinds[address]})
                for address in args.recipients()]

    def describe(self, args: SendInput) -> str:
        parts = [f"send an email to {', '.join(args.to)}"]
        if args.cc:
            parts.append(f"cc {', '.join(args.cc)}")
        if args.bcc:
            parts.append(f"bcc {', '.join(args.bcc)}")
        return f"{'; '.join(parts)}: subject {args.subject!r}"

    async def run(self, args: SendInput, ctx: ToolContext) -> ToolResult:
        try:
            account = await account_for(ctx, args.account)
            secret = await password(ctx, account, "smtp")
        except (JarvisError, MailError) as err:
            return ToolResult.failure(str(err))
        if account.sender is None:
            return ToolResult.failure(f"the account {account.label!r} has no from_address")
        recipients = args.recipients()
        # Counted here, after the confirmation: a declined mail costs no quota.
        try:
            day = await whitelist.reserve(ctx.db, recipients)
        except whitelist.QuotaRefused as err:
            return ToolResult.failure(
                f"not sent: recipient {err.recipient} {err.reason}; nothing was sent")
        message = compose(sender=account.sender, to=args.to, cc=args.cc, subject=args.subject,
                          body=args.body, in_reply_to=args.in_reply_to,
                          references=[args.in_reply_to] if args.in_reply_to else None)
        try:
            refused = await smtp.send(account, secret, message, recipients, policy(ctx),
                                      self.settings)
        except (MailError, OutboundError, OSError, TimeoutError) as err:
            await whitelist.release(ctx.db, recipients, day)
            return ToolResult.failure(f"not sent: {err}")
        if refused:
            await whitelist.release(ctx.db, refused, day)
        sent = [r for r in recipients if r not in refused]
        text = f"Sent {args.subject!r} from {account.sender} to {', '.join(sent)}"
        if refused:
            text += f"; the server refused {', '.join(refused)}"
        return ToolResult(content=f"{text}. Message-ID: {message['Message-ID']}",
                          summary=f"sent to {len(sent)} recipient(s)")
