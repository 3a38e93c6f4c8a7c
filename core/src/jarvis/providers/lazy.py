"""Importing the heavy vendor SDKs on first use, off the event loop."""

from __future__ import annotations

import asyncio
import importlib
from types import ModuleType

_loaded: dict[str, ModuleType] = {}


async def import_lazily(name: str) -> ModuleType:
    """Import ``name`` in a worker thread the first time (it can take seconds), then reuse it."""
    module = _loaded.get(name)
    if module is None:
        # the import lock makes concurrent first calls wait for one complete import
        module = await asyncio.to_thread(importlib.import_module, name)
        _loaded[name] = module
    return module
