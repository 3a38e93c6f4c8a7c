"""API shapes of the email routes (separate from the tables: no secret is ever serialised)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from jarvis import TriggerPhrase
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .addresses import AddressError, has_control, normalize_address

TlsMode = Literal["ssl", "starttls", "none"]
AccountType = Literal["trigger", "handling"]

_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._:-]+)$")
_PRINTABLE = frozenset(chr(c) for c in range(0x21, 0x7F))
# IMAP sends user and folder names as atoms or quoted strings: keep out what would need escaping
# (quotes, backslashes), start a literal ({) or act as a wildcard or list (% * parentheses).
_USERNAME_CHARS = _PRINTABLE - set('"\\(){}%*')
_FOLDER_CHARS = (_PRINTABLE | {" "}) - set('"\\{}%*')


def _plain(value: str) -> str:
    if has_control(value):
        raise ValueError("must not contain line breaks or control characters")
    return value


def _host(value: str) -> str:
    value = value.strip()
    if not _HOST.match(value):
        raise ValueError("must be a host name or an IP address")
    return value.lower()


def _username(value: str) -> str:
    if not set(value) <= _USERNAME_CHARS:
        raise ValueError("must be printable ASCII without spaces, quotes, brackets or backslashes")
    return value


def _address(value: str) -> str:
    try:
        return normalize_address(value)
    except AddressError as err:
        raise ValueError(str(err)) from None


def _folder(value: str) -> str:
    if not set(value) <= _FOLDER_CHARS or value != value.strip():
        raise ValueError("must be printable ASCII without quotes, backslashes or wildcards")
    return value


Host = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_host)]
Port = Annotated[int, Field(ge=1, le=65535)]
Username = Annotated[str, Field(min_length=1, max_length=320), AfterValidator(_username)]
Password = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_plain)]
Label = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_plain)]
Address = Annotated[str, Field(max_length=300), AfterValidator(_address)]
Folder = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_folder)]
Phrase = Annotated[str, Field(max_length=500), AfterValidator(_plain)]


class AccountFields(BaseModel):
    """Fields an account is made of; every one optional here (PUT changes only those given)."""

    model_config = ConfigDict(extra="forbid")

    label: Label | None = None
    account_type: AccountType | None = None
    imap_host: Host | None = None
    imap_port: Port | None = None
    imap_tls: TlsMode | None = None
    imap_username: Username | None = None
    imap_password: Password | None = None
    smtp_host: Host | None = None
    smtp_port: Port | None = None
    smtp_tls: TlsMode | None = None
    smtp_username: Username | None = None
    smtp_password: Password | None = None
    from_address: Address | None = None
    agent_id: str | None = Field(None, min_length=1, max_length=64)
    folders: list[Folder] | None = Field(None, min_length=1, max_length=20)
    trigger_phrase: Phrase | None = None
    reply: bool | None = None
    enabled: bool | None = None


class AccountCreate(AccountFields):
    """The body of ``POST /api/email-accounts``."""

    label: Label
    account_type: AccountType
    imap_host: Host
    imap_username: Username
    imap_password: Password


class AccountUpdate(AccountFields):
    """The body of ``PUT /api/email-accounts/{id}``: only the fields given change."""


class AccountOut(BaseModel):
    """An account as its owner sees it: passwords only as ``*_password_set``."""

    id: str
    label: str
    account_type: AccountType
    imap_host: str
    imap_port: int
    imap_tls: TlsMode
    imap_username: str
    imap_password_set: bool
    smtp_host: str | None
    smtp_port: int | None
    smtp_tls: TlsMode
    smtp_username: str | None
    smtp_password_set: bool
    from_address: str | None
    agent_id: str | None
    folders: list[str]
    trigger_phrase: str
    reply: bool
    enabled: bool
    status: str | None = Field(None, description="the listener's state (trigger accounts)")
    created_at: str
    updated_at: str


RULE_PHRASE = "the words a mail's subject and body must contain (any order, any case)"


class RuleIn(BaseModel):
    """The body of ``POST /api/email-rules``."""

    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(min_length=1, max_length=32, description="one of your trigger accounts")
    trigger_phrase: TriggerPhrase = Field(min_length=1, max_length=200, description=RULE_PHRASE)
    agent_id: str = Field(min_length=1, max_length=64, description="one of your agents")
    enabled: bool = True


class RuleUpdate(BaseModel):
    """The body of ``PUT /api/email-rules/{id}``: fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    account_id: str | None = Field(None, min_length=1, max_length=32)
    trigger_phrase: TriggerPhrase | None = Field(None, min_length=1, max_length=200,
                                                 description=RULE_PHRASE)
    agent_id: str | None = Field(None, min_length=1, max_length=64)
    enabled: bool | None = None


class RuleOut(BaseModel):
    id: str
    account_id: str
    trigger_phrase: str
    agent_id: str
    enabled: bool
    created_at: str
    updated_at: str


class WhitelistAdd(BaseModel):
    """The body of ``POST /api/email-whitelist``."""

    model_config = ConfigDict(extra="forbid")

    email: Address
    daily_limit: int = Field(0, ge=0, le=1_000_000, description="mails per day; 0: no limit")


class WhitelistEntryOut(BaseModel):
    email: str
    daily_limit: int
    created_at: str

