"""The tools of one run: the registry's, plus what each tool source offers this user now."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from ..keys import PLUGIN_CONTEXTS, REGISTRY
from ..tools import TOOL_NAME, RunRef, Tool, ToolSource, UserRef

log = logging.getLogger("jarvis.runtime")


async def tools_for_run(app: web.Application, user: UserRef, run: RunRef) -> dict[str, Tool]:
    """Every tool ``run`` may be offered; a slow or failing source only loses its own tools."""
    registry = app[REGISTRY]
    tools = dict(registry.tools)
    if not registry.tool_sources:
        return tools
    found = await asyncio.gather(*(_ask(s, app, user, run) for s in registry.tool_sources))
    for source, offered in zip(registry.tool_sources, found, strict=True):
        for tool in offered:
            name = getattr(tool, "name", "")
            if not (isinstance(tool, Tool) and name.startswith(source.prefix)
                    and TOOL_NAME.match(name)) or name in tools:
                log.warning("tool source %s offered an invalid or duplicate tool %r; left out",
                            source.name, name)
                continue
            tool.plugin = tool.plugin or source.plugin
            tools[name] = tool
    return tools


async def _ask(source: ToolSource, app: web.Application, user: UserRef, run: RunRef) -> list[Tool]:
    try:
        context = app[PLUGIN_CONTEXTS][source.plugin]
        return list(await asyncio.wait_for(source.tools(context, user, run), source.timeout))
    except Exception:  # noqa: BLE001 - a source's failure must not fail the run
        log.exception("tool source %s failed; the run goes without its tools", source.name)
        return []
