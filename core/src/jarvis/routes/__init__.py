"""The core's routes, one module per resource."""

from aiohttp import web

from . import openapi, system

CORE_ROUTE_TABLES = [system.routes, openapi.routes]


def core_routes() -> list[web.RouteDef]:
    return [rd for table in CORE_ROUTE_TABLES for rd in table]
