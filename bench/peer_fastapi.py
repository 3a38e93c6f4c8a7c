"""The peer products' stack: FastAPI on uvicorn (httptools, uvloop), answering Jarvis's
``/health``, ``/api/status`` and ``/api/agents`` over Jarvis's own database, the way such an
app is usually written: the API key looked up by its hash (kept in a cache for a few seconds,
as a fast app would), rows read with SQLAlchemy Core on an async engine, the answer validated
by a response model. ``python -m bench.peer_fastapi PORT DATABASE_URL``."""

from __future__ import annotations

import hashlib
import sys
import time
from datetime import datetime
from typing import Any

import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import MetaData, Table, select
from sqlalchemy.ext.asyncio import create_async_engine

CACHE_SECONDS = 5.0


class Status(BaseModel):
    paused: bool
    agent_name: str


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    name: str


def build(database_url: str) -> FastAPI:
    engine = create_async_engine(database_url)
    tables: dict[str, Table] = {}
    keys: dict[str, tuple[float, str]] = {}  # key hash -> (fetched at, user id)
    app = FastAPI()

    async def table(name: str) -> Table:
        if name not in tables:
            async with engine.connect() as conn:
                tables[name] = await conn.run_sync(
                    lambda sync: Table(name, MetaData(), autoload_with=sync))
        return tables[name]

    async def user_id(x_api_key: str = Header(default="")) -> str:
        digest = hashlib.sha256(x_api_key.encode()).hexdigest()
        cached = keys.get(digest)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        api_keys, users = await table("api_keys"), await table("users")
        query = (select(users.c.id).join(api_keys, api_keys.c.user_id == users.c.id)
                 .where(api_keys.c.key_hash == digest, users.c.is_active.is_(True)))
        async with engine.connect() as conn:
            found = (await conn.execute(query)).scalar_one_or_none()
        if found is None:
            raise HTTPException(401, "not authenticated")
        keys[digest] = (time.monotonic(), found)
        return found

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/status", response_model=Status)
    async def status(user: str = Depends(user_id)) -> Status:
        return Status(paused=False, agent_name="Jarvis")

    @app.get("/api/agents", response_model=list[Row])
    async def agents(user: str = Depends(user_id)) -> list[dict[str, Any]]:
        agents = await table("agents")
        query = select(agents).where(agents.c.user_id == user).order_by(agents.c.created_at)
        async with engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [{k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
                for row in rows]

    return app


def main() -> None:
    port, database_url = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(build(database_url), host="127.0.0.1", port=port, log_level="warning",
                access_log=False, http="httptools", loop="uvloop")


if __name__ == "__main__":
    main()
