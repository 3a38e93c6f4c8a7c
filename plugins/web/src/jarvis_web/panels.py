"""The settings panel the web interface shows for this plugin."""

from jarvis import ListSection, SettingsPanel

PANELS = [SettingsPanel("web", "Web access", [
    ListSection("Allowed web domains", "/api/web-whitelist", remove="/api/web-whitelist/{domain}",
                columns=("domain", "note", "created_at"),
                description="The agent may fetch pages on these domains (and their subdomains)."),
    ListSection("Sites I trust in the browser", "/api/my/browser-trusted",
                remove="/api/my/browser-trusted/{domain}",
                columns=("domain", "note", "created_at")),
])]
