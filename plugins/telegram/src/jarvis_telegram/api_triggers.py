"""Trigger-word routes: each user manages their own; others' answer 404."""

from __future__ import annotations

from aiohttp import web
from jarvis import Access, BadRequest, Ok, Routes, current_user, plugin_context
from pydantic import BaseModel, ConfigDict, Field

from .trigger_store import (
    TriggerWord,
    create_trigger,
    delete_trigger,
    get_trigger,
    list_triggers,
    update_trigger,
)

routes = Routes("telegram")

PHRASE_HELP = "the words a message must contain (any order, any case) to run the agent"


class TriggerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trigger_word: TriggerWord = Field(min_length=1, max_length=200, description=PHRASE_HELP)
    agent_id: str = Field(min_length=1, max_length=32, description="one of your agents")
    enabled: bool = True


class TriggerUpdate(BaseModel):
    """Partial update: fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    trigger_word: TriggerWord | None = Field(None, min_length=1, max_length=200,
                                             description=PHRASE_HELP)
    agent_id: str | None = Field(None, min_length=1, max_length=32)
    enabled: bool | None = None


class TriggerOut(BaseModel):
    id: str
    trigger_word: str
    agent_id: str
    enabled: bool
    created_at: str
    updated_at: str


async def _check_agent(request: web.Request, agent_id: str) -> None:
    """The agent must exist and be the caller's (another user's answers like a missing one)."""
    if await plugin_context(request).load_agent(agent_id, current_user(request).id) is None:
        raise BadRequest("agent_id: no such agent")


@routes.get("/api/telegram/triggers", access=Access.OWNER, response=list[TriggerOut],
            summary="Your Telegram trigger words")
async def get_triggers(request: web.Request) -> list[TriggerOut]:
    found = await list_triggers(plugin_context(request).db, current_user(request).id)
    return [TriggerOut(**trigger) for trigger in found]


@routes.post("/api/telegram/triggers", access=Access.OWNER, body=TriggerIn, response=TriggerOut,
             status=201, summary="Add a trigger word that runs one of your agents")
async def add_trigger(request: web.Request, body: TriggerIn) -> TriggerOut:
    await _check_agent(request, body.agent_id)
    return TriggerOut(**await create_trigger(plugin_context(request).db, current_user(request).id,
                                             body.trigger_word, body.agent_id, body.enabled))


@routes.put("/api/telegram/triggers/{id}", access=Access.OWNER, body=TriggerUpdate,
            response=TriggerOut, summary="Change one of your trigger words")
async def change_trigger(request: web.Request, body: TriggerUpdate) -> TriggerOut:
    db, user_id = plugin_context(request).db, current_user(request).id
    trigger_id = request.match_info["id"]
    await get_trigger(db, user_id, trigger_id)  # others' triggers answer 404 before anything else
    changes = body.model_dump(exclude_none=True)
    if "agent_id" in changes:
        await _check_agent(request, changes["agent_id"])
    return TriggerOut(**await update_trigger(db, user_id, trigger_id, changes))


@routes.delete("/api/telegram/triggers/{id}", access=Access.OWNER, response=Ok,
               summary="Delete one of your trigger words")
async def remove_trigger(request: web.Request) -> Ok:
    await delete_trigger(plugin_context(request).db, current_user(request).id,
                         request.match_info["id"])
    return Ok()
