"""Agents by id for trigger runs: what plugins (email, Telegram) use to run a user's agent."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select

from ..keys import DATABASE
from ..models.agents import Agent
from ..models.tables import table_of
from ..run_requests import AgentConfig
from ..tools import UserRef
from .runner import AgentLoader

agents = table_of(Agent)


async def load_agent(app: web.Application, agent_id: str, user_id: str) -> AgentConfig | None:
    """The config of ``user_id``'s agent ``agent_id``; None when there is none (or it is another
    user's, or a scheduled task). Whether it is enabled only governs its schedule, so a disabled
    agent loads too."""
    async with app[DATABASE].read() as conn:
        row = (await conn.execute(
            select(agents).where(agents.c.id == agent_id, agents.c.user_id == user_id,
                                 agents.c.kind == "agent")
        )).first()
    if row is None:
        return None
    from ..services.agents import agent_config

    return agent_config(row)


def agent_loader(app: web.Application) -> AgentLoader:
    """The ``runtime.agent_loader`` of this app: (agent id, user) -> the agent's config."""

    async def load(agent_id: str, user: UserRef) -> AgentConfig | None:
        return await load_agent(app, agent_id, user.id)

    return load
