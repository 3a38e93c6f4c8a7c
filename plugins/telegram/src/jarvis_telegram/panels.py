"""The settings panel the web interface shows for this plugin."""

from jarvis import FormSection, ListSection, SettingsPanel

PANELS = [SettingsPanel("telegram", "Telegram", [
    FormSection("Bot", "/api/telegram/config",
                description="The bot token from @BotFather; an empty token leaves it unchanged."),
    ListSection("Allowed chats", "/api/telegram/whitelist",
                remove="/api/telegram/whitelist/{chat_id}", columns=("chat_id", "label")),
    ListSection("Trigger words", "/api/telegram/triggers", remove="/api/telegram/triggers/{id}",
                columns=("trigger_word", "agent_id", "enabled"),
                description="A message starting with the word runs that agent."),
])]
