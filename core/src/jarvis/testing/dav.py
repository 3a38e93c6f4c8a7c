"""Fixtures for a plugin's tests against a real Radicale (CalDAV and CardDAV), one server shared
by a test module, each test logging in as a user of its own. In a conftest::

    radicale = radicale_fixture(ThreadedRadicale, DAV_USERS)
    dav_user = dav_user_fixture(lambda server, user: server.make_calendar(user, "Work"))
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, TypeVar

import pytest

from .servers import radicale_server
from .threaded import ThreadedServer

S = TypeVar("S", bound=ThreadedServer)


def radicale_fixture(threaded: Callable[[Any], S], users: Mapping[str, str]) -> Any:
    """A module-scoped fixture: ``threaded(radicale_server(...))`` with these logins, closed
    after the module."""

    @pytest.fixture(scope="module")
    def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S]:
        server = threaded(radicale_server(tmp_path_factory.mktemp("radicale"), users=users))
        yield server
        server.close()

    return radicale


def dav_user_fixture(prepare: Callable[[Any, str], None]) -> Any:
    """A fixture: (user, password) of a Radicale login of this test alone, after
    ``prepare(radicale, user)`` (run in a thread) made what the test starts from."""

    @pytest.fixture
    async def dav_user(radicale: Any) -> AsyncIterator[tuple[str, str]]:
        user, password = radicale.fresh_user()
        await asyncio.to_thread(prepare, radicale, user)
        yield user, password

    return dav_user
