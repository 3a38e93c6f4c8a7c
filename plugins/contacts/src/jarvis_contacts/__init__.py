"""jarvis-contacts: the user's CardDAV address book as tools; settings at /api/my/contacts."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import FormSection, Settings, SettingsPanel, Tool, hookimpl

from .models import MODELS
from .routes import routes
from .settings import contacts_settings
from .tools import ContactsCreate, ContactsList, ContactsSearch, ContactsUpdate


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = contacts_settings(settings)
    return [ContactsList(config), ContactsSearch(config), ContactsCreate(config),
            ContactsUpdate(config)]


@hookimpl
def register_routes(settings: Settings) -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels(settings: Settings) -> list[SettingsPanel]:
    return [SettingsPanel("contacts", "Contacts (CardDAV)", [
        FormSection("My address book server", "/api/my/contacts", delete=True,
                    description="Leave the password empty to keep the stored one.")])]
