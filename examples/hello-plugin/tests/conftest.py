"""Jarvis's test kit (make_app, make_client, user_client, the scripted model, ...), loaded for
this plugin's tests only."""

pytest_plugins = ["jarvis.testing.pytest_plugin"]
