"""Waiting in tests for state that has no event to wait on."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any


async def eventually(check: Callable[[], Awaitable[Any] | Any], within: float = 10.0,
                     interval: float = 0.02) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; return that."""
    async with asyncio.timeout(within):
        while True:
            value = check()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(interval)
