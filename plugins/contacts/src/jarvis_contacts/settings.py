"""The ``[plugins.contacts]`` settings section."""

from __future__ import annotations

from jarvis import AllowedPrivateHosts, Settings
from pydantic import BaseModel, ConfigDict, Field


class ContactsSettings(BaseModel):
    """Which private CardDAV hosts an admin allows, and how long the server may take."""

    model_config = ConfigDict(extra="forbid")

    # hosts on the LAN (or this machine) the users' CardDAV settings may point at, e.g.
    # "radicale.lan:5232" or "10.0.0.0/24"; public hosts need no entry
    allowed_private_hosts: AllowedPrivateHosts = []
    timeout: float = Field(15.0, gt=0, le=120)  # per request
    operation_timeout: float = Field(60.0, gt=0, le=600)  # one whole tool call


def contacts_settings(settings: Settings) -> ContactsSettings:
    """The validated contacts section of ``settings``."""
    return settings.plugin("contacts", ContactsSettings)
