"""Everything one run of the loop works with, gathered in one object."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from ..providers.base import Message, ModelProvider, ProviderContext
from ..security.canary import CanaryWatch
from ..services.config import Security
from ..tools import RunRef, UserRef
from .context import RunCredentials
from .control import RunControl
from .toolset import Toolset


@dataclass(slots=True)
class Timeouts:
    """Seconds allowed for one model call, one tool, and one confirmation."""

    provider: float = 120.0
    tool: float = 300.0
    confirmation: float = 300.0


@dataclass(slots=True)
class RunState:
    """The inputs of one run and what it accumulates while it goes."""

    app: web.Application
    run: RunRef
    user: UserRef
    provider: ModelProvider
    provider_ctx: ProviderContext
    model: str  # the provider's own name for it
    model_id: str  # provider:model
    system: str
    messages: list[Message]
    toolset: Toolset
    max_tool_calls: int
    control: RunControl
    credentials: RunCredentials
    security: Security
    timeouts: Timeouts = field(default_factory=Timeouts)
    canary: str | None = None
    canary_watch: CanaryWatch | None = None  # the canary over the run's calls (made on first use)
    tainted: bool = False
    max_tokens: int = 4096
    tool_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    scratch: dict[str, object] = field(default_factory=dict)  # ToolContext.state of the run
    approvals: set[str] | None = None  # chat: asks approved earlier in the session
