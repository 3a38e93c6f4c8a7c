"""The ``[plugins.subagents]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SubagentSettings(BaseModel):
    """How deep agents may call agents."""

    model_config = ConfigDict(extra="forbid")

    # 1: an agent may ask another, which may not ask a third; 2: one level more; ...
    max_depth: int = Field(2, ge=1, le=10)

