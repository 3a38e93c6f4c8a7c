"""The models every provider offers, and the default one."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from ..keys import RUNTIME
from ..providers.base import ModelInfo
from ..web import Access, Routes

routes = Routes("models")


class ModelList(BaseModel):
    models: list[str]
    default: str | None


@routes.get("/api/models", access=Access.USER, response=ModelList,
            summary="Model ids and the default")
async def list_models(request: web.Request) -> ModelList:
    catalogue = request.app[RUNTIME].catalogue
    infos = await catalogue.infos()
    return ModelList(models=[m.id for m in infos], default=catalogue.default_from(infos))


@routes.get("/api/models/info", access=Access.USER, response=list[ModelInfo],
            summary="Every model with its context length, pricing and capabilities")
async def model_info(request: web.Request) -> list[ModelInfo]:
    return await request.app[RUNTIME].catalogue.infos()
