"""The ``[plugins.caldav]`` settings section."""

from __future__ import annotations

from jarvis import OutboundPolicy
from pydantic import BaseModel, ConfigDict, Field, field_validator


class CaldavSettings(BaseModel):
    """Which private CalDAV hosts an admin allows, and how long the server may take."""

    model_config = ConfigDict(extra="forbid")

    # Hosts on the LAN (or this machine) the users' CalDAV settings may point at, e.g.
    # "radicale.lan:5232", "192.168.1.20" or "10.0.0.0/24". Public hosts need no entry.
    allowed_private_hosts: list[str] = []
    timeout: float = Field(15.0, gt=0, le=120)  # per request: connect, and each read
    operation_timeout: float = Field(60.0, gt=0, le=600)  # one whole tool call or test

    @field_validator("allowed_private_hosts")
    @classmethod
    def _valid_entries(cls, value: list[str]) -> list[str]:
        OutboundPolicy(allowed_private_hosts=value)  # the guard's own parser names a bad entry
        return value

