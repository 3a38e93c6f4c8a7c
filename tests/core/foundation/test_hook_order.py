"""Hooks are called through pluggy: ``tryfirst``, ``trylast`` and both kinds of hook wrapper
behave as pluggy documents, end to end through the app, and each item is still credited to the
plugin that contributed it."""

from __future__ import annotations

import pytest
from jarvis import Tool, hookimpl
from jarvis.keys import REGISTRY
from jarvis.testing.tools import answering_tool

CALLS: list[str] = []


def tool(tool_name: str) -> Tool:
    return answering_tool(tool_name, "order", "A tool that only has a name.", tool_name)


def ordered(name: str, **order: bool) -> object:
    """A plugin whose two hooks are both marked ``order`` (``tryfirst`` or ``trylast``): each
    records its call, and it adds the tool ``<name>_tool``."""
    key = name.lower()

    class Ordered:
        __name__ = name

        @hookimpl(**order)
        def register_tools(self, settings):
            CALLS.append(key)
            return [tool(f"{key}_tool")]

        @hookimpl(**order)
        async def on_startup(self, context):
            CALLS.append(f"{key} started")

    return Ordered()


class Plain:
    @hookimpl
    def register_tools(self, settings):
        CALLS.append("plain")
        return [tool("plain_tool"), tool("unwanted_tool")]

    @hookimpl
    def on_startup(self, context):
        CALLS.append("plain started")  # returns None: nothing to await


class Wrapper:
    """A new-style wrapper: sees the results, drops one tool and adds its own."""

    @hookimpl(wrapper=True)
    def register_tools(self, settings):
        CALLS.append("wrapper before")
        results = yield
        CALLS.append(f"wrapper after {sorted(t.name for r in results for t in r)}")
        kept = [[t for t in r if t.name != "unwanted_tool"] for r in results]
        return [*kept, [tool("wrapper_tool")]]


class OldWrapper:
    """An old-style hookwrapper, marked tryfirst: the outermost of the two."""

    @hookimpl(hookwrapper=True, tryfirst=True)
    def register_tools(self, settings):
        CALLS.append("old wrapper before")
        outcome = yield
        CALLS.append(f"old wrapper after {len(outcome.get_result())} lists")


@pytest.fixture
def jarvis_plugins():
    CALLS.clear()
    # registered in this order; pluggy calls plain implementations last-registered first
    return [ordered("Late", trylast=True), Plain(), ordered("Early", tryfirst=True), Wrapper(),
            OldWrapper()]


async def test_order_and_wrapping_are_pluggys(admin_client):
    assert CALLS[:6] == [
        "old wrapper before",  # tryfirst wrapper: outermost
        "wrapper before",
        "early",  # tryfirst
        "plain",
        "late",  # trylast
        "wrapper after ['early_tool', 'late_tool', 'plain_tool', 'unwanted_tool']",
    ]
    assert CALLS[6] == "old wrapper after 4 lists"  # it sees what the inner wrapper returned
    # a plain function runs when pluggy calls it; the awaitables are awaited in pluggy's order
    assert CALLS[-3:] == ["plain started", "early started", "late started"]

    registry = admin_client.app[REGISTRY]
    assert list(registry.tools) == ["early_tool", "plain_tool", "late_tool", "wrapper_tool"]
    owners = {name: t.plugin for name, t in registry.tools.items()}
    assert owners == {"early_tool": "Early", "plain_tool": "Plain", "late_tool": "Late",
                      "wrapper_tool": "Wrapper"}
    listed = {p["name"]: p for p in await (await admin_client.get("/api/plugins")).json()}
    assert listed["Wrapper"]["tools"] == ["wrapper_tool"]
    assert listed["Plain"]["tools"] == ["plain_tool"]
    assert listed["OldWrapper"]["tools"] == [] and "register_tools" in listed["OldWrapper"]["hooks"]


async def test_each_wrapper_is_credited_with_what_it_adds(make_app):
    class Adds:
        @hookimpl(wrapper=True)
        def register_tools(self, settings):
            results = yield
            return [*results, [tool("added_tool")]]

    class OldAdds:
        @hookimpl(hookwrapper=True)
        def register_tools(self, settings):
            outcome = yield
            outcome.force_result([*outcome.get_result(), [tool("old_added_tool")]])

    registry = make_app(Plain(), Adds(), OldAdds())[REGISTRY]
    owners = {name: t.plugin for name, t in registry.tools.items()}
    assert owners == {"plain_tool": "Plain", "unwanted_tool": "Plain", "added_tool": "Adds",
                      "old_added_tool": "OldAdds"}
