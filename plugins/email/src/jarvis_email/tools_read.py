"""email_list and email_read: headers and texts of the user's mail (outside content)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from jarvis import JarvisError, OutboundError, Tool, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from . import imap
from .accounts import Account
from .context import account_for, password, policy
from .messages import headers, parse, read
from .network import MailError
from .schemas import Folder
from .settings import EmailSettings

LIST_ITEMS = ("(UID FLAGS RFC822.SIZE "
              "BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)])")
FAILURES = (MailError, OutboundError, JarvisError, TimeoutError, OSError)


class ListInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: str | None = Field(None, max_length=100,
                                description="account label or id; omit for your only account")
    folder: Folder = Field("INBOX", description="the folder to list")
    limit: int = Field(20, ge=1, le=100, description="how many of the newest messages")
    unseen_only: bool = Field(False, description="only messages not read yet")


class ReadInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: str | None = Field(None, max_length=100,
                                description="account label or id; omit for your only account")
    folder: Folder = Field("INBOX", description="the folder the message is in")
    uid: int = Field(ge=1, le=2**32 - 1, description="the message's uid, as email_list shows it")


async def _open(ctx: ToolContext, ref: str | None,
                settings: EmailSettings) -> tuple[Account, imap.Mailbox]:
    account = await account_for(ctx, ref)
    secret = await password(ctx, account, "imap")
    if secret is None:
        raise MailError(f"the account {account.label!r} has no IMAP password stored")
    return account, await imap.connect(account, secret, policy(ctx), settings)


class _MailboxTool(Tool):
    """A tool reading one folder of one of the user's accounts (``args.account``,
    ``args.folder``)."""

    group = "email"
    reads_untrusted = True
    failures = FAILURES
    settings: EmailSettings

    @asynccontextmanager
    async def _folder(self, ctx: ToolContext,
                      args: ListInput | ReadInput) -> AsyncIterator[tuple[Account, imap.Mailbox]]:
        account, box = await _open(ctx, args.account, self.settings)
        try:
            await box.select(args.folder)
            yield account, box
        finally:
            await box.close()


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


class EmailList(_MailboxTool):
    name = "email_list"
    description = ("List the newest messages in one of the user's email folders: uid, date, "
                   "sender, subject, read or unread. Read one with email_read.")
    Input = ListInput

    async def run(self, args: ListInput, ctx: ToolContext) -> ToolResult:
        async with self._folder(ctx, args) as (account, box):
            uids = await box.search("UNSEEN" if args.unseen_only else "ALL")
            shown = uids[-args.limit:]
            fetched = await box.fetch(shown, LIST_ITEMS)
        which = ("unread " if args.unseen_only else "") + ("message" if len(uids) == 1
                                                             else "messages")
        lines = [f"Account {account.label!r}, folder {args.folder}: {len(uids)} {which}"
                 + (f", the newest {len(shown)} shown" if len(shown) < len(uids) else "")]
        for item in sorted(fetched, key=lambda f: f.uid or 0, reverse=True):
            head = headers(parse(item.literal or b""))
            state = "read" if "\\Seen" in item.flags else "unread"
            lines.append(
                f"- uid {item.uid} | {head.get('Date', '?')} | from {head.get('From', '?')} | "
                f"subject {head.get('Subject', '(none)')} | {state} | {_size(item.size)}")
        return ToolResult(content="\n".join(lines),
                          summary=f"{len(fetched)} of {len(uids)} {which} in {args.folder}")


class EmailRead(_MailboxTool):
    name = "email_read"
    description = ("Read one message by uid: its headers, its text (HTML turned into text) and "
                   "the list of its attachments (name, type, size).")
    Input = ReadInput

    async def run(self, args: ReadInput, ctx: ToolContext) -> ToolResult:
        cap = self.settings.max_message_bytes
        async with self._folder(ctx, args) as (account, box):
            found = await box.fetch([args.uid], "(UID RFC822.SIZE)")
            if not found:
                return ToolResult.failure(f"no message with uid {args.uid} in {args.folder}")
            partial = (found[0].size or 0) > cap
            # a huge message is read only up to the cap (the text comes first in practice)
            items = f"(UID BODY.PEEK[]<0.{cap}>)" if partial else "(UID BODY.PEEK[])"
            got = await box.fetch([args.uid], items)
        if not got or got[0].literal is None:
            return ToolResult.failure(f"the message with uid {args.uid} vanished meanwhile")
        message = read(got[0].literal, self.settings.max_body_chars, partial)
        subject = message.headers.get("Subject", "(no subject)")
        return ToolResult(
            content=f"Account {account.label!r}, folder {args.folder}, uid {args.uid}\n"
                    + message.render(),
            summary=f"read uid {args.uid}: {subject[:80]}")
