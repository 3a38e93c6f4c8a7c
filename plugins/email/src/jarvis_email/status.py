"""What the routes learn from (and tell) the running email trigger of their app."""

from __future__ import annotations

from jarvis import PluginContext

from .trigger import EmailTrigger


def account_status(context: PluginContext, account_id: str) -> str | None:
    trigger = context.own(EmailTrigger)
    return trigger.account_status(account_id) if trigger else None


def accounts_changed(context: PluginContext) -> None:
    """Tell the trigger to start or stop listeners now rather than at its next look."""
    trigger = context.own(EmailTrigger)
    if trigger is not None:
        trigger.wake()
