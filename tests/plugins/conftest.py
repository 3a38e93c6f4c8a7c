"""Fixtures for every plugin's tests: a cheap vault key, and two users of the app behind the
client fixtures (``jarvis_plugins``), Alice and Bob."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import cheap_vault_keys


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    cheap_vault_keys(monkeypatch)


@pytest.fixture
async def alice(client_as):
    return await client_as("user", username="alice")


@pytest.fixture
async def bob(client_as):
    return await client_as("user", username="bob")
