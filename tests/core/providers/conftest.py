"""The fake vendors and a context holding their keys (shared with the provider plugins' tests)."""

from tests.support.vendors import (  # noqa: F401 - fixtures
    ctx,
    fake_anthropic,
    fake_ollama,
    fake_openai,
    no_vendor_keys_in_env,
    secrets,
)
