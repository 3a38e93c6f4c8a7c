"""The shared fixtures (make_client, admin_client, ...) come from ``jarvis.testing.pytest_plugin``,
which pytest loads through Jarvis's ``pytest11`` entry point; see that module."""
