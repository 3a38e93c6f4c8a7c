"""Fixtures for the search plugin: a SearXNG stand-in on loopback the guarded client may reach,
and the app with the plugin pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jarvis_search
import pytest
from jarvis import GuardedHttp
from jarvis.testing.apps import app_fixtures
from jarvis.testing.fake_searxng import FakeSearxng
from jarvis.testing.plugins import loopback_http


@pytest.fixture
def searxng_options() -> dict[str, Any]:
    return {}


@pytest.fixture
async def searxng(searxng_options) -> AsyncIterator[FakeSearxng]:
    async with FakeSearxng(**searxng_options) as fake:
        yield fake


@pytest.fixture
def jarvis_outbound_http(searxng) -> GuardedHttp:
    return loopback_http(searxng.port, timeout=5.0)


@pytest.fixture
def search_settings(searxng) -> dict[str, Any]:
    return {"base_url": searxng.url, "max_results": 3}


jarvis_plugins, jarvis_settings = app_fixtures(jarvis_search, "search_settings")
