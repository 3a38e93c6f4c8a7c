"""Field types shared by the caldav tools' inputs."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from .times import FORMAT_HINT, check_when


def _no_controls(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain line breaks or control characters")
    return value


def _uid(value: str) -> str:
    return _no_controls(value.strip())


Uid = Annotated[str, Field(min_length=1, max_length=255,
                           description="the event's UID, as caldav_list_events shows it"),
                AfterValidator(_uid)]
WhenText = Annotated[str, Field(min_length=10, max_length=40, description=FORMAT_HINT),
                     AfterValidator(check_when)]
Title = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_no_controls)]
Place = Annotated[str, Field(max_length=500), AfterValidator(_no_controls)]
Notes = Annotated[str, Field(max_length=10_000)]
