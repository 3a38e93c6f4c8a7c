"""The ``[plugins.shell]`` settings section: off unless an admin turns it on."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ShellSettings(BaseModel):
    """Whether the tool exists at all, and the limits of each command."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False  # off: the plugin offers no tool
    timeout: float = Field(30.0, gt=0, le=3600, description="seconds a command may run")
    max_output_bytes: int = Field(64_000, ge=1, le=10_000_000,
                                  description="bytes of output kept; the rest is counted")
    shell_syntax: bool = False  # on: commands run through /bin/sh -c (pipes, globs, $VARS)
    working_dir: str | None = None  # None: the admin's own folder
    path: str = "/usr/local/bin:/usr/bin:/bin"  # PATH of the command's (otherwise empty) env

