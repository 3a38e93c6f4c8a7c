"""The ``[plugins.webhooks]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WebhookSettings(BaseModel):
    """Limits of outgoing calls and of inbound hooks."""

    model_config = ConfigDict(extra="forbid")

    timeout: float = Field(15.0, gt=0, le=120, description="seconds an outgoing call may take")
    max_response_bytes: int = Field(64_000, ge=0, le=5_000_000,
                                    description="bytes of a target's answer the agent reads")
    max_request_bytes: int = Field(100_000, ge=1, le=5_000_000,
                                   description="bytes an outgoing body may have")
    max_inbound_bytes: int = Field(256_000, ge=1, le=5_000_000,
                                   description="bytes an inbound hook's body may have")
    replay_window: int = Field(300, ge=10, le=3600, description=(
        "seconds an inbound request's timestamp may differ from the server's clock"))
    rate_limit: int = Field(30, ge=1, le=10_000,
                            description="inbound requests per hook per minute (default)")

