"""What a run gives a tool: credentials over the vault, the guarded HTTP client, the user folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..keys import OUTBOUND_HTTP, PLUGIN_CONTEXTS, SETTINGS, VAULT
from ..services import user_folders
from ..tools import RunRef, Tool, ToolContext, UserRef

if TYPE_CHECKING:
    from ..context import PluginContext

log = logging.getLogger("jarvis.runtime")

MIN_REDACT = 4  # shorter values would blank out ordinary words


class SystemSecrets:
    """What providers may read: ``system:`` keys of the vault, nothing else."""

    def __init__(self, app: web.Application):
        self.app = app

    async def get(self, key: str) -> str | None:
        """The system secret ``key`` (``system:<name>``), or None."""
        vault = self.app.get(VAULT)
        if vault is None or not key.startswith("system:"):
            return None
        return await vault.get(key)


class RunCredentials:
    """A tool's view of the vault: the user's own secrets and the system's, read-only.

    Every value handed out is remembered, so the run can keep it out of the model's context.
    """

    def __init__(self, app: web.Application, user: UserRef):
        self.app = app
        self.user = user
        self.revealed: set[str] = set()

    def _vault(self) -> Any:
        return self.app.get(VAULT)

    def _remember(self, value: str | None) -> str | None:
        if value and len(value) >= MIN_REDACT:
            self.revealed.add(value)
        return value

    async def get(self, key: str) -> str | None:
        """``system:<name>`` or this user's ``user:<id>:<name>``; anything else is None."""
        own = f"user:{self.user.id}:"
        if not (key.startswith("system:") or key.startswith(own)):
            return None
        vault = self._vault()
        return self._remember(await vault.get(key)) if vault is not None else None

    async def get_user(self, name: str) -> str | None:
        """The user's own secret ``name``."""
        return await self.get(f"user:{self.user.id}:{name}")

    async def set_user(self, name: str, value: str) -> None:
        """Store the user's own secret ``name`` (system secrets are read-only here)."""
        vault = self._vault()
        if vault is None:
            raise RuntimeError("the credential store is not available")
        await vault.put(f"user:{self.user.id}:{name}", value)

    def redact(self, text: str) -> str:
        """``text`` with every secret handed out in this run blanked."""
        for value in sorted(self.revealed, key=len, reverse=True):
            if value in text:
                text = text.replace(value, "[secret removed]")
        return text


def user_folder(app: web.Application, user: UserRef) -> Path:
    """The user's own folder (``{users_base_folder}/{user id}``), created on first use."""
    try:
        return user_folders.ensure(app[SETTINGS], user.id)
    except OSError:
        log.warning("cannot create the folder of user %s", user.username)
        return user_folders.folder_path(app[SETTINGS], user.id)


def direct_tool_context(context: PluginContext, tool: Tool, user: UserRef,
                        run: RunRef) -> ToolContext:
    """A tool's context outside the agent loop, for a tool served straight to one of the user's
    own clients (``Tool.served_over_mcp``) by the plugin of ``context``: the user's credentials,
    the guarded HTTP client, their folder and the tool's own plugin's context. It has no
    authorizer, so every policy question it asks is denied."""
    app = context._bound()
    return ToolContext(user=user, run=run, context=app[PLUGIN_CONTEXTS][tool.plugin or "core"],
                       credentials=RunCredentials(app, user), http=app[OUTBOUND_HTTP],
                       user_folder=user_folder(app, user))
