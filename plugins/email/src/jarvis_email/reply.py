"""Answers to trigger mails, sent back to the sender by mail.

The reply goes to the From address of the trigger mail, and only when that address is on the
whitelist (with sends left today): a trigger mail can start a run, but it cannot make Jarvis
write to anyone the admin did not allow. A refused reply is audited as a denial.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import Any

from jarvis import AuditEvent, PluginContext

from . import smtp, whitelist
from .accounts import Account, vault_key
from .messages import compose, header, reply_subject, sender_of, thread_ids
from .network import outbound_policy
from .policy import recipient_decision
from .settings import EmailSettings

log = logging.getLogger("jarvis_email")
TOOL = "email_reply"


async def _audit(context: PluginContext, account: Account, event: dict[str, Any]) -> None:
    try:
        await context.audit.record(AuditEvent(user_id=account.user_id, tool_name=TOOL, **event))
    except Exception:
        log.exception("auditing a reply of account %s failed", account.id)


def replier(context: PluginContext, account: Account, original: EmailMessage,
            settings: EmailSettings) -> Callable[[str], Awaitable[None]]:
    """The ``reply`` of a trigger run: mails the run's answer back to the sender."""

    async def reply(text: str) -> None:
        db = context.db
        to = sender_of(original)
        subject = reply_subject(header(original, "Subject"))
        args = {"account": account.label, "to": to, "subject": subject}
        decision = await recipient_decision(db, to or header(original, "From"))
        if to is None or not decision.allowed:
            await _audit(context, account, {
                "kind": "denial", "action": "denial", "arguments": args, "decision": "deny",
                "success": False, "summary": f"reply not sent: {decision.reason}"})
            log.info("account %s: reply not sent: %s", account.id, decision.reason)
            return
        if account.sender is None:
            log.warning("account %s: reply not sent: the account has no from_address", account.id)
            return
        try:
            day = await whitelist.reserve(db, [to])
        except whitelist.QuotaRefused as err:
            await _audit(context, account, {
                "kind": "denial", "action": "denial", "arguments": args, "decision": "deny",
                "success": False, "summary": f"reply not sent: {err}"})
            return
        in_reply_to, references = thread_ids(original)
        message = compose(sender=account.sender, to=[to], cc=[], subject=subject,
                          body=text, in_reply_to=in_reply_to, references=references)
        secret = (await context.vault.get(vault_key(account.user_id, account.id, "smtp"))
                  or await context.vault.get(vault_key(account.user_id, account.id, "imap")))
        try:
            await smtp.send(account, secret, message, [to], outbound_policy(context), settings)
        except Exception as err:
            await whitelist.release(db, [to], day)
            await _audit(context, account, {
                "kind": "tool_call", "action": "tool_call", "arguments": args,
                "decision": "allow", "success": False, "summary": f"reply failed: {err}"})
            raise
        await _audit(context, account, {
            "kind": "tool_call", "action": "tool_call", "arguments": args, "decision": "allow",
            "success": True, "summary": f"replied to {to}: {subject[:100]}"})

    return reply
