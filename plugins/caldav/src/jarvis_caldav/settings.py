"""The ``[plugins.caldav]`` settings section."""

from __future__ import annotations

from jarvis import AllowedPrivateHosts, Settings
from pydantic import BaseModel, ConfigDict, Field


class CaldavSettings(BaseModel):
    """Which private CalDAV hosts an admin allows, and how long the server may take."""

    model_config = ConfigDict(extra="forbid")

    # Hosts on the LAN (or this machine) the users' CalDAV settings may point at, e.g.
    # "radicale.lan:5232", "192.168.1.20" or "10.0.0.0/24". Public hosts need no entry.
    allowed_private_hosts: AllowedPrivateHosts = []
    timeout: float = Field(15.0, gt=0, le=120)  # per request: connect, and each read
    operation_timeout: float = Field(60.0, gt=0, le=600)  # one whole tool call or test


def caldav_settings(settings: Settings) -> CaldavSettings:
    """The validated caldav section of ``settings``."""
    return settings.plugin("caldav", CaldavSettings)
