"""CPU-heavy checks on large texts run in a worker thread, so one big page does not stall every
other chat and request on the event loop (the enhanced sanitizer takes ~0.1 s on 100 KB)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

OFF_LOOP_CHARS = 8_000


async def off_loop(size: int, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, in a thread when the input is larger than ``OFF_LOOP_CHARS``."""
    if size > OFF_LOOP_CHARS:
        return await asyncio.to_thread(fn, *args, **kwargs)
    return fn(*args, **kwargs)
