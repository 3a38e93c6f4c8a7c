"""The shared fixtures (make_client, admin_client, ...) come from ``jarvis.testing.pytest_plugin``,
loaded here: Jarvis never loads it into other projects' test runs on its own."""

pytest_plugins = ["jarvis.testing.pytest_plugin"]
