"""``telegram.chat``: the bot writes only to chats whitelisted for the run's user."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny

from .whitelist import may_write, parse_chat_id


class ChatPolicy(Policy):
    """Allows chats whitelisted for the run's user and denies every other chat, saying why."""

    resource = "telegram.chat"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        try:
            chat_id = parse_chat_id(request.value)
        except ValueError:
            return deny(f"{request.value!r} is not a Telegram chat id")
        if await may_write(ctx.db, chat_id, ctx.user.id):
            return allow(f"chat {chat_id} is on the Telegram whitelist for you")
        return deny(f"chat {chat_id} is not on the Telegram whitelist for you; an admin can "
                    "add it for you in the Telegram settings")
