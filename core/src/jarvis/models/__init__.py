"""The core's tables. Plugins add theirs through the ``register_models`` hook."""

from .config import ConfigEntry

CORE_MODELS: list[type] = [ConfigEntry]
