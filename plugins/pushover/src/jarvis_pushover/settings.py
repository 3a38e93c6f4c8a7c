"""The ``[plugins.pushover]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from yarl import URL

APP_TOKEN_KEY = "system:pushover_app_token"  # noqa: S105 - the vault key an admin sets
USER_KEY_NAME = "pushover_user_key"  # under the user's own vault space: user:<id>:<this>


class PushoverSettings(BaseModel):
    """Where Pushover's API lives and how long it may take."""

    model_config = ConfigDict(extra="forbid")

    api_url: str = "https://api.pushover.net/1"
    timeout: float = Field(15.0, gt=0, le=120)

    @field_validator("api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        url = URL(value.strip())
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("must be an http(s) URL like https://api.pushover.net/1")
        return str(url).rstrip("/")

    @property
    def messages_url(self) -> str:
        return f"{self.api_url}/messages.json"

