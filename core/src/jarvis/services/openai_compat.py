"""Jarvis agents as OpenAI "models": which ones a user has, and the run a chat completion is
(no aiohttp here). Runs are headless: a tool call that needs confirmation is refused with the
reason, as in any agent run, since an OpenAI client has no way to answer a question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from ..errors import BadRequest, NotFound
from ..models.agents import Agent
from ..models.tables import table_of
from ..run_requests import AgentConfig, RunRequest
from ..tools import UserRef
from .agents import agent_config

DEFAULT_MODEL = "jarvis"  # the default chat: the assistant itself, with every tool offered
AGENT_PREFIX = "agent:"
agents = table_of(Agent)


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(max_length=50)
    text: str | None = Field(None, max_length=200_000)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = Field(None, max_length=200_000)


class ChatCompletionIn(BaseModel):
    """An OpenAI chat completion request; options Jarvis does not use (temperature, ...) are
    accepted and ignored, as the agent's own settings decide."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=100,
                       description="jarvis (the default chat) or agent:<id>, as /v1/models lists")
    messages: list[ChatMessage] = Field(min_length=1, max_length=500)
    stream: bool = False


@dataclass(frozen=True, slots=True)
class ModelEntry:
    id: str
    name: str
    created: int


async def list_models(db: Any, user: UserRef, agent_name: str) -> list[ModelEntry]:
    """The default chat and the user's own agents (an admin's too: only their own; scheduled
    tasks are not models)."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(agents.c.id, agents.c.name, agents.c.created_at)
            .where(agents.c.user_id == user.id, agents.c.kind == "agent")
            .order_by(agents.c.created_at, agents.c.id))).all()
    found = [ModelEntry(DEFAULT_MODEL, agent_name, 0)]
    found += [ModelEntry(AGENT_PREFIX + r.id, r.name, int(r.created_at.timestamp())) for r in rows]
    return found


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    return "\n".join(p.text or "" for p in message.content or [] if p.type == "text")


def prompt(messages: list[ChatMessage]) -> str:
    """The run's message: the last user message, after the conversation the client sent."""
    *earlier, last = messages
    if last.role != "user":
        raise BadRequest("messages: the last message must be the user's")
    text = _text(last)
    if not text.strip():
        raise BadRequest("messages: the last message has no text")
    if not earlier:
        return text
    lines = "\n\n".join(f"[{m.role}] {_text(m)}" for m in earlier)
    return f"The conversation so far:\n\n{lines}\n\nThe user now says:\n\n{text}"


async def run_request(db: Any, user: UserRef, body: ChatCompletionIn) -> RunRequest:
    """The headless run a completion is; NotFound for a model that is not the user's."""
    message = prompt(body.messages)
    if body.model == DEFAULT_MODEL:
        return RunRequest(kind="api", user=user, message=message, agent=AgentConfig())
    agent_id = body.model.removeprefix(AGENT_PREFIX)
    row = None
    if body.model.startswith(AGENT_PREFIX):
        async with db.read() as conn:
            row = (await conn.execute(select(agents).where(
                agents.c.id == agent_id, agents.c.user_id == user.id,
                agents.c.kind == "agent"))).first()
    if row is None:
        raise NotFound(f"The model {body.model!r} does not exist; GET /v1/models lists yours",
                       "model_not_found")
    return RunRequest(kind="api", user=user, message=message, agent=agent_config(row),
                      agent_id=row.id)
