"""The test tools the runtime, agents and UI tests share."""

from __future__ import annotations

from jarvis.testing.tools import AnsweringTool, TextArgs, answering_tool

__all__ = ["TextArgs", "answering_tool", "lookup", "post", "send_note"]


def lookup() -> AnsweringTool:
    """No confirmation, no policy: answers at once."""
    return answering_tool("lookup", "info", "Look something up.", "found: {text}")


def send_note() -> AnsweringTool:
    """Always asks the user first (headless runs need a grant); acts on the world."""
    return answering_tool("send_note", "notes", "Send a note to someone.", "sent: {text}",
                          confirm=True, summary="note sent", side_effect=True)


def post() -> AnsweringTool:
    """A side effect that needs no confirmation unless the run is tainted."""
    return answering_tool("post", "notes", "Post a message.", "posted", side_effect=True)
