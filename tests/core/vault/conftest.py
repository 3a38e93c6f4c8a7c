"""Fixtures for the vault, audit and settings tests. Route tests use the identity fixtures
(``admin_client``, ``user_client``, ``client_as``); start-up tests build apps directly."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import pytest
from aiohttp import web
from jarvis.keys import AUDIT, DATABASE, VAULT
from jarvis.testing.plugins import cheap_vault_keys

# The model provider plugins are not what these tests are about: keep them out where they are
# installed (a core-only install has none to leave out).
NO_PROVIDERS = [ep.name for ep in entry_points(group="jarvis")
                if ep.name in ("anthropic", "litellm")]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": NO_PROVIDERS}


@pytest.fixture
def vault_app(make_app):
    """``vault_app(*plugins, **settings)``: an app to start by hand (start-up tests)."""

    def make(*plugins: Any, **overrides: Any) -> web.Application:
        overrides.setdefault("disable_plugins", NO_PROVIDERS)
        return make_app(*plugins, **overrides)

    return make


@pytest.fixture
def services(anon_client):
    app = anon_client.app
    return app[VAULT], app[AUDIT], app[DATABASE]


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for speed; the parameters are stored with each store anyway."""
    cheap_vault_keys(monkeypatch)


async def audit_rows(db) -> list[dict[str, Any]]:
    """Every audit row as stored, oldest first."""
    from jarvis.services.audit_chain import log_table
    from sqlalchemy import select

    async with db.read() as conn:
        rows = (await conn.execute(select(log_table).order_by(log_table.c.id))).all()
    return [dict(r._mapping) for r in rows]
