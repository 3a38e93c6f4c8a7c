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
    catalog = request.app[RUNTIME].catalog
    infos = await catalog.infos()
    return ModelList(models=[m.id for m in infos], default=catalog.default_from(infos))


@routes.get("/api/models/info", access=Access.USER, response=list[ModelInfo],
            summary="Every model with its context length, pricing and capabilities")
async def model_info(request: web.Request) -> list[ModelInfo]:
    return await request.app[RUNTIME].catalog.infos()
