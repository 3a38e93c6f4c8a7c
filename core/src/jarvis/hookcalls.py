"""Calling a hook through pluggy while knowing which plugin contributed each item.

Every hook is called as ``pm.hook.<name>(...)``, so ``tryfirst``/``trylast`` and hook wrappers
(``wrapper=True`` and the old ``hookwrapper=True``) behave exactly as pluggy documents. To tell
whose item is whose, the core watches the call with pluggy's hook-call monitoring: just before
pluggy runs the implementations, each one is given a stand-in that notes what its plugin
returned (or raised) and hands it on unchanged; a wrapper's stand-in notes what it was given and
what it gave back, so an item a wrapper adds is credited to the wrapper's plugin.

Each implementation that takes ``context`` gets its own plugin's :class:`jarvis.PluginContext`:
its stand-in puts it in place of the one argument pluggy hands every implementation.

Event hooks (``on_*``) are called with ``isolate=True``: an implementation that raises is noted
and counts as having returned None, so the other plugins still run (their wrappers see the
None).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pluggy

from .settings import SettingsError


class HookFailed(Exception):
    """A plugin's hook implementation raised; ``plugin`` names it (None: not known)."""

    def __init__(self, hook: str, plugin: str | None, error: BaseException):
        super().__init__(f"{hook} failed: {type(error).__name__}: {error}")
        self.hook = hook
        self.plugin = plugin
        self.error = error


@dataclass
class HookCall:
    """One watched call: what each plain implementation returned (or raised), then the items of
    the final result, each with its plugin."""

    isolate: bool
    contexts: Any = None  # plugin name -> its context (jarvis.context.PluginContexts), or None
    returned: list[tuple[str, Any]] = field(default_factory=list)
    failed: list[tuple[str, BaseException]] = field(default_factory=list)
    wrapped: list[tuple[str, Any]] = field(default_factory=list)  # innermost wrapper first
    items: list[tuple[str, Any]] = field(default_factory=list)


class HookRecorder:
    """Installed once per plugin manager (pluggy's hook-call monitoring); gives each plain
    implementation of a watched call a stand-in that notes its result."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self._watching: dict[str, HookCall] = {}
        pm.add_hookcall_monitoring(self._before, lambda *_: None)

    def _before(self, name: str, impls: Sequence[pluggy.HookImpl], kwargs: Any) -> None:
        call = self._watching.pop(name, None)
        if call is None or not isinstance(impls, list):
            return  # a call the core did not make through call_hook
        for index, impl in enumerate(impls):
            # pluggy passes the arguments its argnames list: keep the function's own
            stand_in = pluggy.HookImpl(impl.plugin, impl.plugin_name, impl.function, impl.opts)
            if impl.wrapper:
                noting = _noting_wrapper(impl, call)
            elif impl.hookwrapper:
                noting = _noting_old_wrapper(impl, call)
            else:
                noting = _noting(impl, call)
            setattr(stand_in, "function", noting)  # noqa: B010 - pluggy types it as final
            impls[index] = stand_in

    def call(self, name: str, call: HookCall, kwargs: dict[str, Any]) -> Any:
        self._watching[name] = call
        try:
            return getattr(self.pm.hook, name)(**kwargs)
        finally:
            self._watching.pop(name, None)


def _own_context(impl: pluggy.HookImpl, call: HookCall, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``args`` as pluggy passes them (in ``impl.argnames`` order), ``context`` the plugin's."""
    if call.contexts is None or "context" not in impl.argnames:
        return args
    at = impl.argnames.index("context")
    return (*args[:at], call.contexts[impl.plugin_name], *args[at + 1:])


def _noting(impl: pluggy.HookImpl, call: HookCall) -> Callable[..., Any]:
    function = impl.function

    def noted(*args: Any, **kwargs: Any) -> Any:
        try:
            result = function(*_own_context(impl, call, args), **kwargs)
        except Exception as exc:
            call.failed.append((impl.plugin_name, exc))
            if call.isolate:
                return None
            raise
        if result is not None:
            call.returned.append((impl.plugin_name, result))
        return result

    return noted


def _noting_wrapper(impl: pluggy.HookImpl, call: HookCall) -> Callable[..., Any]:
    function = impl.function

    def noted(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        inner = cast(Generator[Any, Any, Any],
                     function(*_own_context(impl, call, args), **kwargs))
        first = next(inner)
        try:
            given = yield first
        except BaseException as exc:
            error = exc
            return _finish(inner, lambda: inner.throw(error))
        returned = _finish(inner, lambda: inner.send(given))
        call.wrapped.append((impl.plugin_name, returned))
        return returned

    return noted


def _finish(inner: Generator[Any, Any, Any], step: Callable[[], Any]) -> Any:
    try:
        step()
    except StopIteration as stop:
        return stop.value
    inner.close()
    raise RuntimeError("a hook wrapper must yield only once")


def _noting_old_wrapper(impl: pluggy.HookImpl, call: HookCall) -> Callable[..., Any]:
    function = impl.function

    def noted(*args: Any, **kwargs: Any) -> Generator[Any, Any, None]:
        inner = cast(Generator[Any, Any, Any],
                     function(*_own_context(impl, call, args), **kwargs))
        next(inner)
        outcome = yield
        _finish(inner, lambda: inner.send(outcome))
        if outcome.exception is None:
            call.wrapped.append((impl.plugin_name, outcome.get_result()))

    return noted


def call_hook(recorder: HookRecorder, name: str, *, isolate: bool = False,
              contexts: Any = None, **kwargs: Any) -> HookCall:
    """Call the hook through pluggy; the call's ``items``: (plugin, item) for each item of its
    results, in order.

    With ``contexts`` (plugin name -> context), each implementation taking ``context`` gets
    its own plugin's. A registration hook's implementations return lists (or other iterables)
    and give their items; an event hook's give each awaitable. Raises :class:`HookFailed`
    naming the plugin whose implementation raised; with ``isolate`` such a failure is in
    ``failed`` instead.
    """
    pm = recorder.pm
    call = HookCall(isolate, contexts)
    if contexts is not None:
        kwargs.setdefault("context", None)  # pluggy hands it on; each stand-in puts its own
    try:
        final = recorder.call(name, call, kwargs)
    except (SettingsError, HookFailed):
        raise  # a plugin's invalid settings section is the user's one-line settings error
    except Exception as exc:
        plugin = call.failed[-1][0] if call.failed else _raiser(pm, name, exc)
        raise HookFailed(name, plugin, exc) from exc
    owner: dict[int, str] = {}
    for plugin, result in call.returned:
        for item in _items(result):
            owner.setdefault(id(item), plugin)
    for plugin, results in call.wrapped:  # inner wrappers first: an item is its first adder's
        for result in results or []:
            for item in _items(result):
                owner.setdefault(id(item), plugin)
    call.items = [(owner[id(item)], item) for result in final for item in _items(result)]
    return call


def _raiser(pm: pluggy.PluginManager, name: str, exc: BaseException) -> str | None:
    """The plugin whose wrapper raised ``exc``: the innermost of its frames in the traceback."""
    codes = {getattr(i.function, "__code__", None): i.plugin_name
             for i in getattr(pm.hook, name).get_hookimpls()}
    found = None
    tb = exc.__traceback__
    while tb is not None:
        found = codes.get(tb.tb_frame.f_code, found)
        tb = tb.tb_next
    return found


def _items(result: Any) -> list[Any]:
    """A registration hook's items (it returns a list or another iterable), or an awaitable."""
    return [result] if hasattr(result, "__await__") else list(result)
