"""Stored conversations of the calling user (others' answer 404)."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..errors import BadRequest
from ..keys import DATABASE
from ..pagination import CURSOR_HELP, Window
from ..services import conversations as service
from ..web import Access, Ok, Routes, current_user
from .paging import ListingPage

routes = Routes("conversations")

MAX_PER_PAGE = 200


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    cursor: str | None = Field(None, max_length=200, description=CURSOR_HELP)


class ConversationSummary(BaseModel):
    id: str
    title: str
    model: str | None
    started_at: str
    message_count: int


class ConversationPage(ListingPage):
    conversations: list[ConversationSummary]


class ToolCallOut(BaseModel):
    id: str
    name: str
    arguments: dict[str, Any]


class AttachmentOut(BaseModel):
    name: str
    media_type: str
    size: int


class MessageOut(BaseModel):
    id: int
    role: Literal["user", "assistant", "tool"]
    content: str
    run_id: str | None
    created_at: str
    tool_calls: list[ToolCallOut] | None = None  # assistant
    tool_call_id: str | None = None  # tool
    tool_name: str | None = None  # tool
    is_error: bool | None = None  # tool
    attachments: list[AttachmentOut] | None = None  # user


class ConversationOut(BaseModel):
    id: str
    title: str
    model: str | None
    started_at: str
    messages: list[MessageOut]


class TitleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)


@routes.get("/api/conversations", access=Access.USER, query=PageQuery, response=ConversationPage,
            summary="The caller's conversations, newest first")
async def list_conversations(request: web.Request, query: PageQuery) -> ConversationPage:
    user = current_user(request)
    found = await service.page(request.app[DATABASE], user.id,
                               Window(query.page, query.per_page, query.cursor))
    return ConversationPage.model_validate(found)


@routes.get("/api/conversations/{id}", access=Access.OWNER, response=ConversationOut,
            summary="One conversation with all its messages")
async def get_conversation(request: web.Request) -> ConversationOut:
    user = current_user(request)
    found = await service.detail(request.app[DATABASE], user.id, request.match_info["id"])
    return ConversationOut.model_validate(found)


@routes.patch("/api/conversations/{id}", access=Access.OWNER, body=TitleIn, response=Ok,
              summary="Rename a conversation")
async def rename_conversation(request: web.Request, body: TitleIn) -> Ok:
    title = " ".join(body.title.split())
    if not title:
        raise BadRequest("title: must not be blank")
    await service.rename(request.app[DATABASE], current_user(request).id, request.match_info["id"],
                         title)
    return Ok()


@routes.delete("/api/conversations/{id}", access=Access.OWNER, response=Ok,
               summary="Delete a conversation and its messages")
async def delete_conversation(request: web.Request) -> Ok:
    await service.remove(request.app[DATABASE], current_user(request).id, request.match_info["id"])
    return Ok()
