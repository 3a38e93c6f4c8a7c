"""Email accounts: each user's own, passwords in the vault (no aiohttp here)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jarvis import BadRequest, OwnedRows, iso, new_id, table_of
from sqlalchemy import delete, select

from .models import EmailAccount, EmailSeen
from .rules import delete_account_rules
from .schemas import AccountCreate, AccountFields, AccountUpdate

accounts = table_of(EmailAccount)
seen = table_of(EmailSeen)
ACCOUNTS = OwnedRows(accounts, missing="email account not found")

DEFAULT_PORTS = {
    "imap": {"ssl": 993, "starttls": 143, "none": 143},
    "smtp": {"ssl": 465, "starttls": 587, "none": 25},
}
SECRETS = ("imap", "smtp")
AgentCheck = Callable[[str], Awaitable[None]]  # raises BadRequest naming agent_id


@dataclass(slots=True)
class Account:
    """One stored account (without its passwords)."""

    id: str
    user_id: str
    label: str
    account_type: str
    imap_host: str
    imap_port: int
    imap_tls: str
    imap_username: str
    smtp_host: str | None
    smtp_port: int | None
    smtp_tls: str
    smtp_username: str | None
    from_address: str | None
    agent_id: str | None
    folders: list[str] = field(default_factory=lambda: ["INBOX"])
    trigger_phrase: str = ""
    reply: bool = False
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> Account:
        values = dict(row._mapping)
        values["folders"] = json.loads(values["folders"] or '["INBOX"]')
        return cls(**values)

    @property
    def sender(self) -> str | None:
        """The From address: the configured one, else a login name that is an address."""
        for candidate in (self.from_address, self.smtp_username, self.imap_username):
            if candidate and "@" in candidate:
                return candidate
        return None


def secret_name(account_id: str, which: str) -> str:
    """The account's password under the user's own vault space (``user:<id>:`` + this)."""
    return f"email:{account_id}:{which}_password"


def vault_key(user_id: str, account_id: str, which: str) -> str:
    return f"user:{user_id}:{secret_name(account_id, which)}"


def account_out(account: Account, secrets: set[str], status: str | None) -> dict[str, Any]:
    """The API form of an account: passwords only as flags."""
    out = {k: getattr(account, k) for k in (
        "id", "label", "account_type", "imap_host", "imap_port", "imap_tls", "imap_username",
        "smtp_host", "smtp_port", "smtp_tls", "smtp_username", "from_address", "agent_id",
        "folders", "trigger_phrase", "reply", "enabled")}
    out["imap_password_set"] = vault_key(account.user_id, account.id, "imap") in secrets
    out["smtp_password_set"] = vault_key(account.user_id, account.id, "smtp") in secrets
    out["status"] = status
    out["created_at"], out["updated_at"] = iso(account.created_at), iso(account.updated_at)
    return out


def _check_rules(values: dict[str, Any]) -> None:
    """Rules across fields, checked on the merged account."""
    for kind in ("imap", "smtp"):
        if values.get(f"{kind}_port") is None and (kind == "imap" or values.get("smtp_host")):
            values[f"{kind}_port"] = DEFAULT_PORTS[kind][values[f"{kind}_tls"]]
    if values.get("reply") and not values.get("smtp_host"):
        raise BadRequest("smtp_host: replying by mail needs an SMTP server")


async def _secrets(vault: Any, user_id: str) -> set[str]:
    return {m.key for m in await vault.list(prefix=f"user:{user_id}:email:")}


async def list_accounts(db: Any, user_id: str) -> list[Account]:
    """The user's accounts, oldest first."""
    return [Account.from_row(r) for r in await ACCOUNTS.rows(db, user_id)]


async def get_account(db: Any, user_id: str, account_id: str) -> Account:
    """The user's account; NotFound for a missing one and for anyone else's."""
    return Account.from_row(await ACCOUNTS.get(db, user_id, account_id))


async def listed(db: Any, vault: Any, user_id: str,
                 status_of: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """The API list of the user's accounts."""
    secrets = await _secrets(vault, user_id)
    return [account_out(a, secrets, status_of(a.id)) for a in await list_accounts(db, user_id)]


async def shown(db: Any, vault: Any, user_id: str, account_id: str,
                status_of: Callable[[str], str | None]) -> dict[str, Any]:
    """The API form of one of the user's accounts."""
    account = await get_account(db, user_id, account_id)
    return account_out(account, await _secrets(vault, user_id), status_of(account.id))


def _columns(body: AccountFields) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=True, exclude={"imap_password", "smtp_password"})
    if "folders" in values and values["folders"] is not None:
        values["folders"] = list(dict.fromkeys(values["folders"]))
    return values


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    out["folders"] = json.dumps(out.get("folders") or ["INBOX"])
    return out


async def _put_secrets(vault: Any, user_id: str, account_id: str, body: AccountFields) -> list[str]:
    written = []
    for kind in SECRETS:
        value = getattr(body, f"{kind}_password")
        if value is not None:
            key = vault_key(user_id, account_id, kind)
            await vault.put(key, value, description=f"email account {kind.upper()} password")
            written.append(key)
    return written


async def create_account(db: Any, vault: Any, user_id: str, body: AccountCreate,
                         check_agent: AgentCheck) -> str:
    """Store a new account of the user; returns its id."""
    values: dict[str, Any] = {"imap_tls": "ssl", "smtp_tls": "ssl", "folders": ["INBOX"],
                              "trigger_phrase": "", "reply": False, "enabled": True}
    values.update({k: v for k, v in _columns(body).items() if v is not None})
    _check_rules(values)
    if values.get("agent_id"):
        await check_agent(values["agent_id"])
    account_id = new_id()
    written = await _put_secrets(vault, user_id, account_id, body)
    try:
        await ACCOUNTS.create(db, user_id, id=account_id, **_stored(values))
    except BaseException:
        for key in written:  # nothing half-written: no secrets without their account
            await vault.delete(key)
        raise
    return account_id


async def update_account(db: Any, vault: Any, user_id: str, account_id: str,
                         body: AccountUpdate, check_agent: AgentCheck) -> None:
    """Change the fields given; passwords only when given."""
    account = await get_account(db, user_id, account_id)
    changes = _columns(body)
    for name in ("label", "account_type", "imap_host", "imap_username", "imap_tls", "smtp_tls",
                 "folders", "trigger_phrase", "reply", "enabled"):
        if name in changes and changes[name] is None:
            raise BadRequest(f"{name}: may not be null")
    merged = {k: getattr(account, k) for k in AccountFields.model_fields
              if hasattr(account, k)}
    if "imap_tls" in changes and "imap_port" not in changes:
        merged["imap_port"] = None  # a new TLS mode brings its default port
    if "smtp_tls" in changes and "smtp_port" not in changes:
        merged["smtp_port"] = None
    merged.update(changes)
    _check_rules(merged)
    if merged.get("agent_id") and merged["agent_id"] != account.agent_id:
        await check_agent(merged["agent_id"])
    await _put_secrets(vault, user_id, account_id, body)
    await ACCOUNTS.update(db, user_id, account_id, **_stored(
        {k: v for k, v in merged.items() if k in accounts.c}))


async def delete_account(db: Any, vault: Any, user_id: str, account_id: str) -> None:
    """Remove the account, its reading progress and its passwords."""
    async with db.write() as conn:
        await ACCOUNTS.delete(db, user_id, account_id, conn=conn)
        await conn.execute(delete(seen).where(seen.c.account_id == account_id))
        await delete_account_rules(conn, account_id)
    for kind in SECRETS:
        await vault.delete(vault_key(user_id, account_id, kind))


async def trigger_accounts(db: Any) -> list[Account]:
    """Every enabled trigger account of every user (what the listeners watch)."""
    async with db.read() as conn:
        rows = (await conn.execute(select(accounts).where(
            accounts.c.account_type == "trigger", accounts.c.enabled.is_(True)))).all()
    return [Account.from_row(r) for r in rows]


async def resolve_account(db: Any, user_id: str, ref: str | None,
                          bound: str | None = None, agent_id: str | None = None) -> Account:
    """The account a tool call means: the run's bound account (a trigger run's, or the handling
    account whose agent runs), else ``ref`` (id or label) or the user's only (handling) account.
    BadRequest says which accounts there are."""
    if bound is None and agent_id is not None:
        bound = await handled_by(db, user_id, agent_id)
    if bound is not None:
        account = await get_account(db, user_id, bound)
        if ref not in (None, account.id) and (ref or "").casefold() != account.label.casefold():
            raise BadRequest(f"this run may use only the email account {account.label!r}")
        return account
    usable = [a for a in await list_accounts(db, user_id) if a.enabled]
    if not usable:
        raise BadRequest("no email account is set up (or enabled) for this user")
    if ref is not None:
        for a in usable:
            if ref == a.id or ref.casefold() == a.label.casefold():
                return a
        raise BadRequest(f"no email account {ref!r}; there are: {_names(usable)}")
    handling = [a for a in usable if a.account_type == "handling"]
    for group in (handling, usable):
        if len(group) == 1:
            return group[0]
    raise BadRequest(f"several email accounts: name one of {_names(handling or usable)}")


async def handled_by(db: Any, user_id: str, agent_id: str) -> str | None:
    """The enabled handling account whose agent this is: that agent's email tools use this one
    account only."""
    async with db.read() as conn:
        return (await conn.execute(select(accounts.c.id).where(
            accounts.c.user_id == user_id, accounts.c.agent_id == agent_id,
            accounts.c.account_type == "handling", accounts.c.enabled.is_(True))
            .order_by(accounts.c.created_at, accounts.c.id).limit(1))).scalar()


def _names(items: list[Account]) -> str:
    return ", ".join(repr(a.label) for a in items)
