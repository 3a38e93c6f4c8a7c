"""``telegram_send``: the agent writes to a whitelisted chat."""

from __future__ import annotations

import asyncio

from jarvis import PolicyRequest, Tool, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from .client import open_bot, redact, retry_seconds, send_text
from .settings import TOKEN_KEY, TelegramSettings
from .whitelist import ChatId, get_chat, may_write

MAX_TOOL_TEXT = 16_000  # four Telegram messages


class SendInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chat_id: ChatId = Field(description="The Telegram chat to write to (a whitelisted chat id)")
    text: str = Field(min_length=1, max_length=MAX_TOOL_TEXT,
                      description="The message as plain text; long texts go as several messages")


class TelegramSend(Tool):
    name = "telegram_send"
    group = "telegram"
    description = ("Send a plain-text message with the Telegram bot to a chat on the Telegram "
                   "whitelist for you.")
    Input = SendInput
    side_effect = True
    always_confirm = True
    settings: TelegramSettings

    def policy_requests(self, args: SendInput) -> list[PolicyRequest]:
        return [PolicyRequest("telegram.chat", args.chat_id, self.name)]

    def describe(self, args: SendInput) -> str:
        preview = args.text if len(args.text) <= 200 else args.text[:200] + "..."
        return f"Send a Telegram message to chat {args.chat_id}: {preview}"

    async def run(self, args: SendInput, ctx: ToolContext) -> ToolResult:
        # The policy already decided; checking again keeps the tool safe if called directly.
        chat = await get_chat(ctx.db, args.chat_id)
        if chat is None or not await may_write(ctx.db, args.chat_id, ctx.user.id):
            return ToolResult.failure(
                f"chat {args.chat_id} is not on the Telegram whitelist for you")
        token = await ctx.credentials.get(TOKEN_KEY)
        if not token:
            return ToolResult.failure("the Telegram bot is not configured (no bot token)")
        from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

        try:
            async with open_bot(token, self.settings.api_base_url) as bot:
                sent = await send_text(bot, args.chat_id, args.text, asyncio.sleep,
                                       max_wait=self.settings.max_retry_after)
        except InvalidToken:
            return ToolResult.failure("Telegram rejected the bot token")
        except RetryAfter as err:
            return ToolResult.failure(
                f"Telegram asks to wait {retry_seconds(err):.0f} s before sending more")
        except NetworkError as err:
            return ToolResult.failure(f"Telegram did not take the message: "
                                      f"{redact(str(err), token)}")
        except TelegramError as err:
            return ToolResult.failure(f"Telegram error: {redact(str(err), token)}")
        where = f"chat {args.chat_id}" + (f" ({chat['label']})" if chat["label"] else "")
        plural = "message" if sent == 1 else "messages"
        return ToolResult(content=f"Sent {sent} {plural} to Telegram {where}.",
                          summary=f"telegram message to {where}")
