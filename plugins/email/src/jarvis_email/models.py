"""The email plugin's tables. Times are naive UTC; passwords live in the vault, never here."""

from __future__ import annotations

from datetime import datetime

from jarvis import utcnow
from sqlalchemy import BigInteger, DateTime, Text
from sqlmodel import Field, SQLModel


class EmailWhitelistEntry(SQLModel, table=True):
    """A recipient the agent may write to, with a daily cap (0 = no cap)."""

    __tablename__ = "email_whitelist"

    email: str = Field(primary_key=True, max_length=254)
    daily_limit: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class EmailSendCount(SQLModel, table=True):
    """Mails sent to one recipient on one UTC day; raised by one conditional upsert."""

    __tablename__ = "email_send_counts"

    email: str = Field(primary_key=True, max_length=254)
    day: str = Field(primary_key=True, max_length=10)  # YYYY-MM-DD
    count: int = 0


class EmailAccount(SQLModel, table=True):
    """A user's mailbox: IMAP to read (and trigger), SMTP to send."""

    __tablename__ = "email_accounts"

    id: str = Field(primary_key=True, max_length=32)
    # A user's objects go with the user.
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    label: str = Field(max_length=100)
    account_type: str = Field(max_length=16)  # trigger | handling
    imap_host: str = Field(max_length=255)
    imap_port: int
    imap_tls: str = Field(max_length=16)  # ssl | starttls | none
    imap_username: str = Field(max_length=320)
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int | None = None
    smtp_tls: str = Field(default="ssl", max_length=16)
    smtp_username: str | None = Field(default=None, max_length=320)
    from_address: str | None = Field(default=None, max_length=254)
    agent_id: str | None = Field(default=None, max_length=64)
    folders: str = Field(default='["INBOX"]', sa_type=Text)  # JSON list
    trigger_phrase: str = Field(default="", max_length=500)
    reply: bool = False
    enabled: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class EmailSeen(SQLModel, table=True):
    """How far a trigger account has read one folder: the highest UID handled, per UIDVALIDITY."""

    __tablename__ = "email_seen"

    account_id: str = Field(primary_key=True, max_length=32)
    folder: str = Field(primary_key=True, max_length=200)
    # both are unsigned 32-bit numbers in IMAP: wider than a signed INTEGER
    uidvalidity: int = Field(sa_type=BigInteger)
    last_uid: int = Field(default=0, sa_type=BigInteger)


class EmailRule(SQLModel, table=True):
    """A trigger rule: mail to one of the user's trigger accounts with every word of the phrase
    in its subject and body runs the rule's agent."""

    __tablename__ = "email_rules"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    account_id: str = Field(foreign_key="email_accounts.id", ondelete="CASCADE", index=True,
                            max_length=32)
    trigger_phrase: str = Field(max_length=200)
    agent_id: str = Field(max_length=64)
    enabled: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


MODELS = [EmailWhitelistEntry, EmailSendCount, EmailAccount, EmailSeen, EmailRule]
