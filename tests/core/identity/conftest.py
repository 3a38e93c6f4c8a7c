"""Helpers for the identity tests."""

from __future__ import annotations

import time

import pyotp
import pytest
from jarvis.auth.sql import sessions
from jarvis.keys import DATABASE, IDENTITY
from jarvis.timeutil import utcnow
from sqlalchemy import update


def totp_from(enrolment: dict) -> pyotp.TOTP:
    """The authenticator app: a TOTP built from an mfa-setup answer."""
    return pyotp.parse_uri(enrolment["provisioning_uri"])


def code(totp: pyotp.TOTP, step: int = 0) -> str:
    """The code of the current time step (``step`` = -1, 0 or 1: all inside the window)."""
    return totp.at(time.time() + 30 * step)


async def expire_sessions(app) -> None:
    """Move every session's expiry into the past (and forget cached ones)."""
    async with app[DATABASE].write() as conn:
        await conn.execute(update(sessions).values(expires_at=utcnow().replace(year=2000)))
    app[IDENTITY].authenticator.cache.clear()


@pytest.fixture
def identity(anon_client):
    return anon_client.app[IDENTITY]


@pytest.fixture
def all_plugins_app(make_app):
    """An app with every installed plugin (entry points), for the matrices over all routes."""
    return make_app(entrypoints=True)
