"""The plugin manager: built-in plugins, installed county plugins, loose modules.

Nothing happens at import time; :func:`create_plugin_manager` builds a manager
each time it is called (tests build their own).

- Installed plugins declare ``[project.entry-points.vetservice]``; autoload is
  switched off by ``VETSERVICE_DISABLE_PLUGIN_AUTOLOAD=1`` and narrowed to some
  entry-point names by ``VETSERVICE_LOAD_PLUGINS=name1,name2``.
- Loose modules (a dotted name or a ``.py`` path) come from ``--plugins`` or
  ``VETSERVICE_PLUGINS`` (separated by commas), for county IT staff who do
  not package their plugin.
- A plugin that fails to load or raises in a hook is isolated: the failure is
  recorded (personal data masked) and the rest goes on, unless ``strict``.
- A plugin pluggy would refuse (a hook name that is no hook, a wrong
  signature, a hook wrapper) is refused alone and named, with the fix; a
  function named like a hook but not marked ``@hookimpl`` is a warning.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from vetservice import hookspecs
from vetservice.domain.identity import mask_error, mask_text
from vetservice.errors import (
    PluginContractError,
    PluginError,
    PluginLoadError,
    VetserviceError,
)
from vetservice.i18n import N_, Message
from vetservice.markers import PROJECT

ENTRY_POINT_GROUP = "vetservice"
BUILTIN = "vetservice.builtin"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "vetservice.imports.checks",
    "vetservice.calendar.builtin",
    "vetservice.indicators.builtin.environment",
    "vetservice.indicators.builtin.staffing",
    "vetservice.indicators.builtin.activities",
    "vetservice.indicators.builtin.services",
    "vetservice.indicators.builtin.petitions",
    "vetservice.indicators.builtin.reporting",
    "vetservice.reports.renderers",
    "vetservice.scoring.builtin",
)


@attrs.frozen
class Failure:
    """What a failing plugin would have contributed, and why it did not."""

    plugin: str
    hook: str
    error: str
    indicator: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "plugin": self.plugin,
            "hook": self.hook,
            "indicator": self.indicator,
            "error": self.error,
        }


@attrs.frozen
class PluginInfo:
    name: str
    hooks: tuple[str, ...]
    source: str
    version: str | None


def error_text(error: BaseException) -> str:
    """An error as one line, personal data masked (:func:`mask_error`; a
    vetservice error quotes only what it was given, its fix included, so
    only id numbers and phones are masked in it)."""
    text = f"{error.__class__.__name__}: {error}".splitlines()[0]
    return mask_text(text) if isinstance(error, VetserviceError) else mask_error(text)


@attrs.define
class Plugins:
    """A pluggy manager plus what loading and calling its hooks recorded."""

    pm: pluggy.PluginManager
    strict: bool = False
    failures: list[Failure] = attrs.Factory(list)
    # Not failures, but likely mistakes (a hook function without @hookimpl);
    # ``strict`` makes them errors too.
    warnings: list[Failure] = attrs.Factory(list)
    sources: dict[str, tuple[str, str | None]] = attrs.Factory(dict)
    _cache: dict[str, Any] = attrs.Factory(dict)

    def fail(self, failure: Failure) -> None:
        """Record a plugin's named failure; with ``strict``, raise it instead."""
        if self.strict:
            raise PluginContractError(
                N_("plugin {plugin} failed in {hook}: {error}"),
                plugin=failure.plugin,
                hook=failure.hook,
                error=failure.error,
            )
        if failure not in self.failures:
            self.failures.append(failure)

    def refuse(
        self, plugin: str, hook: str, error: str, item: str | None = None
    ) -> None:
        """Refuse one item of a plugin with why (a layer below this one
        cannot build a :class:`Failure`); ``strict`` raises."""
        self.fail(Failure(plugin, hook, error, item))

    def warn(self, warning: Failure) -> None:
        """Record a likely mistake; with ``strict`` it is a failure."""
        if self.strict:
            self.fail(warning)
        elif warning not in self.warnings:
            self.warnings.append(warning)

    def plugin_name(self, plugin: object) -> str:
        name = self.pm.get_name(plugin) or repr(plugin)
        return BUILTIN if name.startswith("vetservice.") else name

    def call(self, hook: str) -> Iterator[tuple[str, Any]]:
        """Call every implementation of a ``register`` hook on its own.

        Yields (plugin name, item) for each item returned; a plugin that
        raises is recorded as a failure (or re-raised when strict).
        """
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            name = self.plugin_name(impl.plugin)
            try:
                items = list(impl.function() or ())
            except Exception as e:
                if self.strict:
                    raise PluginLoadError(
                        N_("plugin {plugin} failed in {hook}: {error}"),
                        plugin=name,
                        hook=hook,
                        error=error_text(e),
                    ) from e
                self.fail(Failure(name, hook, error_text(e)))
                continue
            for item in items:
                yield name, item

    def collect(
        self,
        hook: str,
        expected: type,
        builder: Callable[[str, Any], Any] | None = None,
    ) -> list[Any]:
        """Every item of a register hook, type-checked, once per manager."""
        if hook not in self._cache:
            items = []
            for name, item in self.call(hook):
                if not isinstance(item, expected):
                    error = PluginContractError(
                        N_(
                            "plugin {plugin} returned {got} from {hook}, not {expected}"
                        ),
                        plugin=name,
                        got=type(item).__name__,
                        hook=hook,
                        expected=expected.__name__,
                    )
                    if self.strict:
                        raise error
                    self.fail(Failure(name, hook, str(error)))
                    continue
                items.append(builder(name, item) if builder else item)
            self._cache[hook] = items
        return list(self._cache[hook])

    def collect_by_id(
        self,
        hook: str,
        expected: type,
        duplicate: str,
        error: type[PluginError] = PluginContractError,
    ) -> dict[str, tuple[str, Any]]:
        """Every item of a register hook by its ``id``: id → (plugin, item).

        An id registered twice keeps the built-in's item (else the first
        plugin's) and refuses the other as a failure of its plugin, with the
        message ``duplicate`` (parameters ``id``, ``first``, ``second``);
        ``strict`` raises ``error`` instead. One plugin's clash never hides
        anything else.
        """
        items = self.collect(hook, expected, lambda name, item: (name, item))
        # Built-ins first, whatever the order of registration: they win.
        items.sort(key=lambda pair: pair[0] != BUILTIN)
        found: dict[str, tuple[str, Any]] = {}
        for plugin, item in items:
            if item.id in found:
                refused = error(
                    duplicate, id=item.id, first=found[item.id][0], second=plugin
                )
                if self.strict:
                    raise refused
                self.fail(Failure(plugin, hook, str(refused), item.id))
                continue
            found[item.id] = (plugin, item)
        order = {id(item): n for n, (_, item) in enumerate(self._cache[hook])}
        return dict(sorted(found.items(), key=lambda kv: order[id(kv[1][1])]))

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin, its hooks, and where it comes from."""
        infos = []
        for name, plugin in sorted(self.pm.list_name_plugin(), key=lambda p: p[0]):
            if plugin is None:
                continue
            hooks = tuple(sorted(c.name for c in self.pm.get_hookcallers(plugin) or ()))
            source, version = self.sources.get(name, (_source_of(plugin), None))
            infos.append(PluginInfo(name, hooks, source, version))
        return infos


def _source_of(plugin: object) -> str:
    module = (
        plugin
        if isinstance(plugin, ModuleType)
        else sys.modules.get(type(plugin).__module__)
    )
    return str(getattr(module, "__file__", None) or getattr(module, "__name__", "?"))


def _load_module(spec: str) -> ModuleType:
    """A loose plugin: a dotted module name or a path to a .py file."""
    path = Path(spec)
    if spec.endswith(".py") or path.exists():
        name = f"vetservice_loose_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"cannot load {spec}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def loose_plugin_specs(plugins: Iterable[str] = ()) -> list[str]:
    """Loose plugins named by the caller plus those in ``VETSERVICE_PLUGINS``."""
    specs = [p for p in plugins if p]
    env = os.environ.get("VETSERVICE_PLUGINS", "")
    specs += [p.strip() for p in env.split(",") if p.strip()]
    return specs


def create_plugin_manager(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    strict: bool = False,
) -> Plugins:
    """A plugin manager with the built-ins, installed plugins and ``plugins``.

    ``plugins`` holds objects to register (modules, instances) or loose
    module specs (dotted names, ``.py`` paths). ``strict`` turns any plugin
    failure into a :class:`~vetservice.errors.PluginError`.
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    result = Plugins(pm, strict=strict)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    autoload = load_entrypoints and not os.environ.get(
        "VETSERVICE_DISABLE_PLUGIN_AUTOLOAD"
    )
    if autoload:
        _load_entrypoints(result)
    objects = [p for p in plugins if not isinstance(p, str)]
    specs = loose_plugin_specs(p for p in plugins if isinstance(p, str))
    for spec in specs:
        try:
            module = _load_module(spec)
        except Exception as e:
            _load_failed(result, spec, e)
            continue
        if pm.is_registered(module):
            continue
        if register(result, module, spec):
            result.sources[spec] = (str(getattr(module, "__file__", spec)), None)
    for plugin in objects:
        register(result, plugin, _object_name(pm, plugin))
    return result


def register(result: Plugins, plugin: object, name: str) -> bool:
    """Register one county plugin, or refuse it alone as a named failure.

    pluggy refuses a wrong signature when registering and a hook name that is
    no hook only at ``check_pending`` (for every plugin at once); both are
    checked here for this plugin, so one typo never stops the others. Hook
    wrappers are refused: the register hooks are collected item by item, a
    wrapper would never see them.
    """
    _warn_unmarked(result, plugin, name)
    try:
        result.pm.register(plugin, name=name)
    except Exception as e:
        result.fail(Failure(name, "register", _refusal(e)))
        return False
    problems = []
    for caller in result.pm.get_hookcallers(plugin) or ():
        impls = [i for i in caller.get_hookimpls() if i.plugin is plugin]
        if caller.spec is None and not all(i.optionalhook for i in impls):
            # optionalhook: a hook of the dashboard, whose specs come later.
            problems.append(
                Message(
                    N_("{hook} is not a vetservice hook (did you mean {near}?)"),
                    {"hook": caller.name, "near": _nearest_hook(caller.name)},
                )
            )
        elif any(i.hookwrapper or i.wrapper for i in impls):
            problems.append(
                Message(
                    N_(
                        "{hook} is a hook wrapper; vetservice collects what each "
                        "plugin returns and supports no wrappers: remove "
                        "wrapper/hookwrapper and return the items"
                    ),
                    {"hook": caller.name},
                )
            )
    if problems:
        result.pm.unregister(plugin)
        for problem in problems:
            result.fail(Failure(name, "register", problem.render()))
        return False
    return True


def _hook_names() -> list[str]:
    return [
        n
        for n, _ in inspect.getmembers(hookspecs, inspect.isfunction)
        if n.startswith("vetservice_")
    ]


def _nearest_hook(name: str) -> str:
    found = difflib.get_close_matches(name, _hook_names(), n=1, cutoff=0.5)
    return found[0] if found else "、".join(_hook_names())


def _refusal(error: Exception) -> str:
    """pluggy's refusal of a wrong signature, said with the fix."""
    if isinstance(error, pluggy.PluginValidationError):
        return Message(
            N_(
                "a hook's arguments do not match its specification ({error}); "
                "the register hooks take no arguments"
            ),
            {"error": error_text(error).split(": ", 1)[-1]},
        ).render()
    return error_text(error)


def _warn_unmarked(result: Plugins, plugin: object, name: str) -> None:
    """Functions of a plugin named like hooks but not marked ``@hookimpl``:
    pluggy ignores them without a word, so the county's figures would be
    silently missing."""
    marker = f"{PROJECT}_impl"
    for attr in dir(plugin):
        if not attr.startswith("vetservice_"):
            continue
        function = getattr(plugin, attr, None)
        if callable(function) and not hasattr(function, marker):
            result.warn(
                Failure(
                    name,
                    attr,
                    Message(
                        N_(
                            "{function} looks like a hook but is not marked "
                            "@hookimpl, so it is never called: add @vs.hookimpl "
                            "above it"
                        ),
                        {"function": attr},
                    ).render(),
                )
            )


def _object_name(pm: pluggy.PluginManager, plugin: object) -> str:
    """A readable name for a plugin object: its module and class (or module name)."""
    base = getattr(plugin, "__name__", None) or (
        f"{type(plugin).__module__}.{type(plugin).__qualname__}"
    )
    name, n = base, 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}#{n}"
    return name


def _load_entrypoints(result: Plugins) -> None:
    wanted = {
        n.strip()
        for n in os.environ.get("VETSERVICE_LOAD_PLUGINS", "").split(",")
        if n.strip()
    }
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if wanted and ep.name not in wanted:
            continue
        dist = ep.dist.name if ep.dist else "?"
        version = ep.dist.version if ep.dist else None
        try:
            plugin = ep.load()
        except Exception as e:
            _load_failed(result, f"{ep.name} ({dist} {version}, {ep.value})", e)
            continue
        if result.pm.is_registered(plugin) or result.pm.has_plugin(ep.name):
            continue
        if register(result, plugin, ep.name):
            result.sources[ep.name] = (f"{dist} {version} ({ep.value})", version)


def _load_failed(result: Plugins, name: str, error: Exception) -> None:
    if result.strict:
        raise PluginLoadError(
            N_("plugin {plugin} could not be loaded: {error}"),
            plugin=name,
            error=error_text(error),
        ) from error
    result.fail(Failure(name, "load", error_text(error)))
