"""The fake vendors and a context holding their keys (shared with the provider plugins' tests)."""

from tests.support.vendors import *  # noqa: F403 - the fixtures
