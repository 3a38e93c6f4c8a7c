"""``telegram.chat``: the bot writes only to whitelisted chats."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny

from .whitelist import is_whitelisted, parse_chat_id


class ChatPolicy(Policy):
    """Allows whitelisted chat ids and denies every other chat, saying why."""

    resource = "telegram.chat"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        try:
            chat_id = parse_chat_id(request.value)
        except ValueError:
            return deny(f"{request.value!r} is not a Telegram chat id")
        if await is_whitelisted(ctx.db, chat_id):
            return allow(f"chat {chat_id} is on the Telegram whitelist")
        return deny(f"chat {chat_id} is not on the Telegram whitelist; an admin can add it "
                    "in the Telegram settings")
