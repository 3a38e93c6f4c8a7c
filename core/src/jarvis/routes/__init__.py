"""The core's routes, one module per resource."""

from aiohttp import web

from ..chat import routes as chat_ws
from ..scheduling import routes as scheduler
from ..ui import routes as ui_routes
from . import (
    agents,
    audit,
    auth,
    conversations,
    credentials,
    files,
    models,
    my_account,
    openai_compat,
    openapi,
    runs,
    settings,
    system,
    tasks,
    users,
)

CORE_ROUTE_TABLES = [
    system.routes, openapi.routes, credentials.routes, audit.routes, settings.routes,
    auth.routes, users.routes, my_account.routes, models.routes, conversations.routes,
    runs.routes, chat_ws.routes, files.routes, agents.routes, tasks.routes,
    scheduler.routes, openai_compat.routes, ui_routes,
]


def core_routes() -> list[web.RouteDef]:
    return [rd for table in CORE_ROUTE_TABLES for rd in table]
