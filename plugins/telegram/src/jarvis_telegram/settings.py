"""The ``[plugins.telegram]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

TELEGRAM_API = "https://api.telegram.org/bot"
TOKEN_KEY = "system:telegram_bot_token"  # noqa: S105 - the vault key, not a secret


class TelegramSettings(BaseModel):
    """Where the Bot API lives and how the listener polls it."""

    model_config = ConfigDict(extra="forbid")

    # The token is appended to this URL (python-telegram-bot's ``base_url`` convention).
    api_base_url: str = TELEGRAM_API
    poll_timeout: int = Field(30, ge=0, le=50)  # seconds one getUpdates long poll may wait
    config_check_interval: float = Field(5.0, gt=0, le=300)  # seconds between token checks
    max_backoff: float = Field(60.0, gt=0, le=3600)  # longest wait after network errors
    max_retry_after: float = Field(60.0, ge=0, le=3600)  # the send tool gives up beyond this

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        return value
