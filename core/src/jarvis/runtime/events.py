"""The events of a run. Public ones become WebSocket frames; the rest feed the run store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..providers.base import Message

if TYPE_CHECKING:
    from ..services.audit import AuditEvent

SUMMARY_LIMIT = 500
Frame = dict[str, Any]


@dataclass(slots=True)
class TextChunk:
    """A piece of the answer as the model streams it."""

    content: str

    def frame(self) -> Frame:
        return {"type": "text", "content": self.content}


@dataclass(slots=True)
class ToolStarted:
    """A tool call was authorised and is about to run."""

    call_id: str
    tool_name: str
    arguments: dict[str, Any]

    def frame(self) -> Frame:
        return {"type": "tool_start", "call_id": self.call_id, "tool_name": self.tool_name,
                "arguments": self.arguments}


@dataclass(slots=True)
class ConfirmationAsked:
    """The run waits for the user to approve a tool call."""

    call_id: str
    tool_name: str
    arguments: dict[str, Any]
    description: str

    def frame(self) -> Frame:
        return {"type": "confirmation_required", "call_id": self.call_id,
                "tool_name": self.tool_name, "arguments": self.arguments,
                "description": self.description}


@dataclass(slots=True)
class ToolFinished:
    """A tool call ran or was refused. ``decision`` and ``arguments`` are for the record."""

    call_id: str
    tool_name: str
    success: bool
    result_summary: str
    confirmed: bool | None
    decision: Literal["allow", "ask", "deny"] = "allow"
    arguments: dict[str, Any] = field(default_factory=dict)
    # the call's audit entry, written in the transaction that stores the call
    audit: AuditEvent | None = None

    def frame(self) -> Frame:
        return {"type": "tool_done", "call_id": self.call_id, "tool_name": self.tool_name,
                "success": self.success, "result_summary": self.result_summary[:SUMMARY_LIMIT],
                "confirmed": self.confirmed}


@dataclass(slots=True)
class ImagesProduced:
    """A tool produced images (``{media_type, data}`` or ``{url}``)."""

    images: list[dict[str, str]]

    def frame(self) -> Frame:
        return {"type": "images", "images": self.images}


@dataclass(slots=True)
class MessageAdded:
    """A message joined the run's history (stored, never sent as a frame).

    ``display`` holds the readable text of tool results whose model text is wrapped.
    """

    message: Message
    display: dict[str, str] = field(default_factory=dict)  # tool_use_id -> readable text
    tool_names: dict[str, str] = field(default_factory=dict)  # tool_use_id -> tool name


@dataclass(slots=True)
class UsageAdded:
    """Tokens used by one model call (summed per run)."""

    input_tokens: int
    output_tokens: int


@dataclass(slots=True)
class Finished:
    """The loop ended. ``status``: done | limited | stopped | failed."""

    status: Literal["done", "limited", "stopped", "failed"]
    text: str = ""
    error: str | None = None
    detail: str | None = None


Event = (
    TextChunk | ToolStarted | ConfirmationAsked | ToolFinished | ImagesProduced | MessageAdded
    | UsageAdded | Finished
)

PUBLIC = (TextChunk, ToolStarted, ConfirmationAsked, ToolFinished, ImagesProduced)
