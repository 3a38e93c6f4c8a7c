"""The pluggy markers: ``hookimpl`` is what plugin authors decorate their hooks with."""

import pluggy

PROJECT = "jarvis"
hookimpl = pluggy.HookimplMarker(PROJECT)
