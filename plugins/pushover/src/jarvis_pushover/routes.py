"""Each user's own Pushover settings: ``/api/my/pushover``."""

from __future__ import annotations

import re

from jarvis import (
    PluginContext,
    Routes,
    user_settings_routes,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import store

routes = Routes("pushover")

USER_KEY_PATTERN = r"^[A-Za-z0-9]{30}$"
DEVICE_PATTERN = r"^([A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*)?$"


class PushoverSettingsOut(BaseModel):
    user_key_set: bool
    device: str | None = Field(description="the device(s) notified; null: all of them")


class PushoverSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The patterns state the shapes in the OpenAPI description; the validators give messages.
    user_key: str | None = Field(
        None, description="your user key from pushover.net; left out: keep the stored one",
        json_schema_extra={"pattern": USER_KEY_PATTERN})
    device: str | None = Field(
        None, description="device name(s), comma-separated; null or empty: all your devices; "
                          "left out: unchanged", json_schema_extra={"pattern": DEVICE_PATTERN})

    @field_validator("user_key")
    @classmethod
    def _key_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(USER_KEY_PATTERN, value):
            # never echo the value: it may be a real key with a typo in it
            raise ValueError("must be 30 letters and digits (the user key shown on pushover.net)")
        return value

    @field_validator("device")
    @classmethod
    def _device_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(DEVICE_PATTERN, value):
            raise ValueError("must be device names of up to 25 letters, digits, - or _, "
                             "separated by commas")
        return value or None


async def _save(context: PluginContext, user_id: str, body: PushoverSettingsIn) -> dict:
    if "device" in body.model_fields_set:
        await store.save(context.db, context.vault, user_id, body.user_key, body.device)
    else:
        await store.save(context.db, context.vault, user_id, body.user_key)
    return {"user_key_changed": body.user_key is not None, "device": body.device}


user_settings_routes(
    routes, "/api/my/pushover", label="Pushover", body=PushoverSettingsIn,
    response=PushoverSettingsOut, view=store.view, save=_save, remove=store.remove,
    summaries=("Your Pushover settings (the user key is never shown)",
               "Set your Pushover user key and device",
               "Forget your Pushover user key and device"))
