"""Helpers shared by the test suites (fixtures, fakes, identity)."""
