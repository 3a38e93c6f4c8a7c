"""The app the contract suite tests (every installed plugin) and its OpenAPI description."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web
from jarvis.app import create_app
from jarvis.openapi import build_spec
from jarvis.settings import Settings

# Nothing listens here: a model provider or bot API reached by mistake fails at once, on loopback.
NOWHERE = "http://127.0.0.1:9"


def contract_settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        # generated stdio servers would run generated commands on the test machine
        plugins={"telegram": {"api_base_url": f"{NOWHERE}/bot"}, "mcp": {"allow_stdio": False},
                 "anthropic": {"base_url": NOWHERE},
                 "litellm": {f"{b}_base_url": NOWHERE for b in ("openai", "openrouter", "ollama")}},
    )


def contract_app(settings: Settings, database_schema: str | None = None) -> web.Application:
    """The app with all installed plugins (entry points), as a deployment has them."""
    return create_app(settings, None, database_schema=database_schema)


def described_spec() -> dict[str, Any]:
    """The description the tests are generated from: built like ``GET /api/openapi.json`` builds
    it, without starting anything (collection needs it before any fixture runs)."""
    with tempfile.TemporaryDirectory(prefix="jarvis-spec-") as tmp:
        data = Path(tmp) / "data"
        return build_spec(contract_app(contract_settings(data, f"sqlite+aiosqlite:///{data}/x.db")))
