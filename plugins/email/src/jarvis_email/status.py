"""What the routes learn from (and tell) the running email trigger of their app."""

from __future__ import annotations

from typing import Any

from jarvis import REGISTRY

from .trigger import EmailTrigger


def email_trigger(app: Any) -> EmailTrigger | None:
    """This app's email trigger (None when triggers are not registered)."""
    registry = app.get(REGISTRY)
    for trigger in getattr(registry, "triggers", ()):
        if isinstance(trigger, EmailTrigger):
            return trigger
    return None


def account_status(app: Any, account_id: str) -> str | None:
    trigger = email_trigger(app)
    return trigger.account_status(account_id) if trigger else None


def accounts_changed(app: Any) -> None:
    """Tell the trigger to start or stop listeners now rather than at its next look."""
    trigger = email_trigger(app)
    if trigger is not None:
        trigger.wake()
