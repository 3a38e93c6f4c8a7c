"""Fixtures for every plugin's tests: a cheap vault key, and two users of the app behind the
client fixtures (``jarvis_plugins``), Alice and Bob."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    from jarvis.services import crypto

    monkeypatch.setattr(crypto, "SCRYPT_PARAMS", {"n": 2**14, "r": 8, "p": 1})


@pytest.fixture
async def alice(client_as):
    return await client_as("user", username="alice")


@pytest.fixture
async def bob(client_as):
    return await client_as("user", username="bob")
