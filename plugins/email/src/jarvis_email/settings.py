"""The ``[plugins.email]`` settings section."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class EmailSettings(BaseModel):
    """Timeouts, polling and size limits of the email plugin."""

    model_config = ConfigDict(extra="forbid")

    # extra certificate authorities for mail servers with a private certificate
    ca_file: Path | None = None
    connect_timeout: float = Field(20.0, gt=0, le=300)
    command_timeout: float = Field(60.0, gt=0, le=600)
    idle: bool = True  # use IMAP IDLE where the server offers it (else poll)
    poll_interval: float = Field(60.0, gt=0)  # servers without IDLE
    # RFC 9051 servers may drop an IDLE after 30 minutes: renew it before that
    idle_refresh: float = Field(25 * 60.0, gt=0, le=29 * 60.0)
    accounts_refresh: float = Field(5.0, gt=0)  # how often the trigger re-reads the accounts
    reconnect_min: float = Field(1.0, gt=0)
    reconnect_max: float = Field(300.0, gt=0)
    max_message_bytes: int = Field(10_000_000, gt=0)
    max_body_chars: int = Field(50_000, gt=0)

