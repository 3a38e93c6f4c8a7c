"""The chat protocol's client frames: parsed strictly, every problem named in one line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from .. import jsoninput
from ..errors import validation_message

MAX_CONTENT = 100_000  # characters of one message


class ProtocolError(Exception):
    """A frame the server cannot take; the message names the problem."""


class _Frame(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class Attachment(_Frame):
    name: StrictStr = Field(min_length=1, max_length=200)
    media_type: StrictStr = Field(min_length=3, max_length=100)
    data: StrictStr


class ChatMessage(_Frame):
    type: Literal["message"]
    content: StrictStr = Field(min_length=1, max_length=MAX_CONTENT)
    model: StrictStr | None = Field(None, min_length=1, max_length=300)
    attachments: list[Attachment] = Field(default_factory=list, max_length=10)
    conversation_id: StrictStr | None = Field(None, min_length=1, max_length=64)


class Confirm(_Frame):
    type: Literal["confirm"]
    call_id: StrictStr = Field(min_length=1, max_length=200)
    approved: StrictBool


class StopRun(_Frame):
    type: Literal["stop"]


class Clear(_Frame):
    type: Literal["clear"]


class Ping(_Frame):
    type: Literal["ping"]


ClientFrame = ChatMessage | Confirm | StopRun | Clear | Ping
_TYPES: dict[str, type[_Frame]] = {
    "message": ChatMessage, "confirm": Confirm, "stop": StopRun, "clear": Clear, "ping": Ping,
}


def parse(raw: str) -> ClientFrame:
    """The frame in ``raw``, or ProtocolError naming what is wrong."""
    try:
        data = jsoninput.loads(raw)
    except jsoninput.JsonInputError as err:
        if err.message == "malformed JSON":
            raise ProtocolError("the frame is not valid JSON") from None
        raise ProtocolError(err.message) from None
    if not isinstance(data, dict):
        raise ProtocolError("a frame must be a JSON object")
    kind = data.get("type")
    if kind is None:
        raise ProtocolError("type: the frame has no type")
    if not isinstance(kind, str):
        raise ProtocolError("type: must be a string")
    model = _TYPES.get(kind)
    if model is None:
        raise ProtocolError(f"type: unknown frame type {kind[:50]!r}")
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as err:
        raise ProtocolError(validation_message(err)) from None
