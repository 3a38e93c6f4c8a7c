"""Settings panels plugins describe for the web interface: declarations bound to the plugin's
own API routes, rendered by the interface (forms from the routes' JSON schemas, lists with add
and remove). A plugin ships no JavaScript and no HTML.

    @hookimpl
    def register_settings_panels(settings):
        return [SettingsPanel("web", "Web access", [
            ListSection("Allowed domains", "/api/web-whitelist", key="domain",
                        remove="/api/web-whitelist/{domain}"),
        ])]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PANEL_ID = r"^[a-z][a-z0-9_-]{0,63}$"


@dataclass(frozen=True, slots=True)
class FormSection:
    """A form: ``GET path`` fills it, ``method path`` saves it (fields from that route's body
    schema; empty fields are left out), and with ``delete`` a button sends ``DELETE path``."""

    title: str
    path: str
    method: Literal["POST", "PUT"] = "POST"
    delete: bool = False
    description: str = ""
    kind: Literal["form"] = field(default="form", init=False)


@dataclass(frozen=True, slots=True)
class ListSection:
    """A list: ``GET path`` lists the items, ``POST path`` adds one (a form from its body
    schema), ``DELETE remove`` removes one (``remove`` names the item's field in braces, e.g.
    ``/api/web-whitelist/{domain}``). ``columns``: the fields shown (default: all)."""

    title: str
    path: str
    remove: str | None = None
    columns: tuple[str, ...] = ()
    description: str = ""
    kind: Literal["list"] = field(default="list", init=False)


@dataclass(frozen=True, slots=True)
class ActionSection:
    """A button (with a form for the route's body or query fields) that calls ``method path``
    and shows the answer, e.g. "test the connection"."""

    title: str
    path: str
    method: Literal["GET", "POST"] = "POST"
    label: str = "Run"
    description: str = ""
    kind: Literal["action"] = field(default="action", init=False)


Section = FormSection | ListSection | ActionSection


@dataclass(frozen=True, slots=True)
class SettingsPanel:
    """One plugin's panel on the settings page: an ``id`` (``^[a-z][a-z0-9_-]{0,63}$``), a
    title and its sections. Each section is shown only to users its routes admit."""

    id: str
    title: str
    sections: list[Section]
    description: str = ""
