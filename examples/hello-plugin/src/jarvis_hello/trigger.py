"""The ``hello-ticker`` trigger: asks the agent to greet someone every few seconds."""

from __future__ import annotations

import asyncio

from jarvis import Emitter, Trigger, TriggerRun

from .settings import HelloSettings


class Ticker(Trigger):
    name = "hello-ticker"

    def __init__(self, settings: HelloSettings):
        self.settings = settings
        self.outcomes: list = []  # what each run ended with (handy in tests)

    async def run(self, emit: Emitter) -> None:
        if not self.settings.ticker_seconds or not self.settings.ticker_user_id:
            emit.status("stopped", "set ticker_seconds and ticker_user_id to start it")
            return
        emit.status("running")
        while True:
            await asyncio.sleep(self.settings.ticker_seconds)
            # Our own text, not outside content: untrusted=False keeps the run untainted.
            outcome = await emit(
                TriggerRun(
                    user_id=self.settings.ticker_user_id,
                    message=self.settings.ticker_message,
                    untrusted=False,
                )
            )
            self.outcomes.append(outcome)
