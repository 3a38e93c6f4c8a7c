"""The settings panel the web interface shows for this plugin."""

from jarvis import ListSection, SettingsPanel

PANELS = [SettingsPanel("filesystem", "Server folders", [
    ListSection("Folders the agent may read and write", "/api/filesystem-whitelist",
                remove="/api/filesystem-whitelist/{path}", columns=("path", "note", "created_at"),
                description="Each folder must exist on the server."),
])]
