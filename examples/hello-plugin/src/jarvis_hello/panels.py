"""The settings panel of the example: a declaration bound to the plugin's own route. The web
interface draws the form from the route's query model; the plugin ships no JavaScript."""

from jarvis import ActionSection, SettingsPanel

PANELS = [SettingsPanel("hello", "Hello (example plugin)", [
    ActionSection("Try the greeting", "/api/hello", method="GET", label="Greet",
                  description="Asks GET /api/hello with the name you give."),
])]
