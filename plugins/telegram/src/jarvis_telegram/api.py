"""Admin routes: the bot token (stored in the vault, never returned) and the chat whitelist."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from aiohttp import web
from jarvis import (
    Access,
    BadRequest,
    NotFound,
    Ok,
    PluginContext,
    Routes,
    audit_action,
    current_user,
    plugin_context,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .listener import listener_of
from .settings import TOKEN_KEY
from .whitelist import (
    ApiChatId,
    add_chat,
    list_chats,
    parse_chat_id,
    remove_chat,
    set_chat_users,
)

routes = Routes("telegram")

_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
# The same, as the description says it: blank (removes the token) or the token's shape.
_TOKEN_SCHEMA = r"^\s*([0-9]+:[A-Za-z0-9_-]{30,})?\s*$"  # noqa: S105 - a pattern


class ConfigOut(BaseModel):
    bot_token_set: bool
    status: Literal["running", "stopped", "error"]
    error: str | None = None
    bot_username: str | None = None
    ignored_messages: int = Field(
        0, description="messages from chats not on the whitelist or whitelisted for nobody")


class ConfigIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bot_token: str | None = Field(
        description="the token from @BotFather; null or \"\" removes it",
        json_schema_extra={"anyOf": [{"type": "string", "pattern": _TOKEN_SCHEMA},
                                     {"type": "null"}]},
    )

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not _TOKEN_SHAPE.match(value):
            # Never echo the value: it may be a real secret with a typo in it.
            raise ValueError("must look like 123456789:AAE... (digits, a colon, then at least "
                             "30 letters, digits, - or _)")
        return value


UserIds = list[Annotated[str, Field(min_length=1, max_length=32)]]
USERS_HELP = ("the users this chat belongs to: only their trigger words hear it and only their "
              "agents may write to it")


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chat_id: ApiChatId = Field(description="the chat's id; negative for groups")
    label: str = Field("", max_length=200)
    user_ids: UserIds | None = Field(None, max_length=1000,
                                     description=USERS_HELP + "; left out: you")


class ChatUsersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_ids: UserIds = Field(max_length=1000, description=USERS_HELP)


class ChatPath(BaseModel):
    chat_id: ApiChatId


class ChatOut(BaseModel):
    chat_id: str
    label: str
    user_ids: list[str]
    created_at: str


async def _config(plugin: PluginContext) -> ConfigOut:
    listener = listener_of(plugin)
    state = listener.state if listener is not None else None
    return ConfigOut(
        bot_token_set=await plugin.vault.exists(TOKEN_KEY),
        status=state.status if state else "stopped",
        error=state.error if state else None,
        bot_username=state.bot_username if state else None,
        ignored_messages=state.ignored_messages if state else 0,
    )


@routes.get("/api/telegram/config", access=Access.ADMIN, response=ConfigOut,
            summary="Whether a bot token is set and the listener's state")
async def get_config(request: web.Request) -> ConfigOut:
    return await _config(plugin_context(request))


@routes.post("/api/telegram/config", access=Access.ADMIN, body=ConfigIn, response=ConfigOut,
             summary="Set or remove the bot token")
async def set_config(request: web.Request, body: ConfigIn) -> ConfigOut:
    vault = plugin_context(request).vault
    if body.bot_token is None:
        if await vault.delete(TOKEN_KEY):
            await audit_action(request, "credential_deleted", f"credential_deleted {TOKEN_KEY}",
                               key=TOKEN_KEY)
    else:
        replaced = await vault.exists(TOKEN_KEY)
        await vault.put(TOKEN_KEY, body.bot_token, "Telegram bot token")
        await audit_action(request, "credential_set", f"credential_set {TOKEN_KEY}",
                           key=TOKEN_KEY, replaced=replaced)
    listener = listener_of(plugin_context(request))
    if listener is not None:
        listener.config_changed()
    return await _config(plugin_context(request))


@routes.get("/api/telegram/whitelist", access=Access.ADMIN, response=list[ChatOut],
            summary="Chats the bot listens to and may write to")
async def get_whitelist(request: web.Request) -> list[ChatOut]:
    return [ChatOut(**chat) for chat in await list_chats(plugin_context(request).db)]


@routes.post("/api/telegram/whitelist", access=Access.ADMIN, body=ChatIn, response=ChatOut,
             status=201, errors=(409,), summary="Add a chat to the whitelist")
async def add_to_whitelist(request: web.Request, body: ChatIn) -> ChatOut:
    label = body.label.strip()
    user_ids = [current_user(request).id] if body.user_ids is None else body.user_ids
    chat = await add_chat(plugin_context(request).db, body.chat_id, label, user_ids)
    await audit_action(request, "telegram_chat_whitelisted",
                       f"telegram chat {body.chat_id} whitelisted", chat_id=str(body.chat_id),
                       label=label, user_ids=chat["user_ids"])
    return ChatOut(**chat)


def _chat_id(request: web.Request) -> int:
    try:
        return parse_chat_id(request.match_info["chat_id"])
    except ValueError as err:
        raise BadRequest(f"chat_id: {err}") from None


@routes.put("/api/telegram/whitelist/{chat_id}", access=Access.ADMIN, body=ChatUsersIn,
            response=ChatOut, path_params=ChatPath, errors=(404,),
            summary="Change the users a whitelisted chat belongs to")
async def change_chat_users(request: web.Request, body: ChatUsersIn) -> ChatOut:
    chat_id = _chat_id(request)
    chat = await set_chat_users(plugin_context(request).db, chat_id, body.user_ids)
    if chat is None:
        raise NotFound("chat not on the whitelist")
    await audit_action(request, "telegram_chat_users_changed",
                       f"telegram chat {chat_id} now belongs to {len(chat['user_ids'])} users",
                       chat_id=str(chat_id), user_ids=chat["user_ids"])
    return ChatOut(**chat)


@routes.delete("/api/telegram/whitelist/{chat_id}", access=Access.ADMIN, response=Ok,
               path_params=ChatPath, summary="Remove a chat from the whitelist")
async def remove_from_whitelist(request: web.Request) -> Ok:
    chat_id = _chat_id(request)
    if not await remove_chat(plugin_context(request).db, chat_id):
        raise NotFound("chat not on the whitelist")
    await audit_action(request, "telegram_chat_removed", f"telegram chat {chat_id} removed",
                       chat_id=str(chat_id))
    return Ok()
