"""``vetservice plugins --check``: what a county's plugin would get wrong,
found before a report does.

The plugin is loaded, its indicators, overrides and sheets validated (the
same checks every command makes), then each is dry-run on an empty database
and on a small demo of 延安市: every facts query is run and some of its rows
read (so an SQL error, a wrong column or a value that cannot be converted
shows), the reason asked for rows falling short, every override applied,
every sheet scored and every cross-record check run. Each
problem is said in the reader's language with its fix.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from vetservice import store
from vetservice.calendar import Period
from vetservice.errors import PluginError
from vetservice.i18n import N_, Message
from vetservice.imports.checks import CHECK_FAILED, Check, run_checks
from vetservice.indicators.engine import scoped_facts
from vetservice.indicators.model import Context, Indicator, Override
from vetservice.indicators.personal import mask_facts_row, personal_columns
from vetservice.indicators.registry import (
    collect_indicators,
    collect_plugin_overrides,
)
from vetservice.indicators.validation import checked_reason
from vetservice.plugins import BUILTIN, Plugins, create_plugin_manager, error_text
from vetservice.scoring import ScoringSheet, collect_sheets
from vetservice.store.history import dated_ledgers

# Fact rows read (and reasons asked) per indicator in a dry run.
DRY_ROWS = 200


@attrs.frozen
class Finding:
    """One thing that would fail: which plugin, which item, on which database."""

    plugin: str
    item: str  # the indicator, override or sheet; or the hook
    database: str  # "" (any), or the database it failed on
    problem: str


@attrs.frozen
class PluginCheck:
    plugins: tuple[str, ...]
    indicators: int
    overrides: int
    sheets: int
    findings: tuple[Finding, ...]


def _matches(plugin: str, wanted: str | None) -> bool:
    if plugin == BUILTIN:
        return False
    return wanted is None or plugin == wanted or Path(plugin).stem == wanted


def check_plugins(
    plugins: Iterable[str] = (),
    name: str | None = None,
    *,
    load_entrypoints: bool = True,
    demo_factor: float = 0.05,
) -> PluginCheck:
    """Load, validate and dry-run every county plugin (or the one ``name``d:
    its entry-point name, module, path or file stem)."""
    manager = create_plugin_manager(
        plugins=list(plugins), load_entrypoints=load_entrypoints
    )
    registry = collect_indicators(manager)
    overrides = collect_plugin_overrides(manager, registry)
    sheets = collect_sheets(manager)
    indicators = [(p, i) for p, i in registry.values() if _matches(p, name)]
    local = [(p, o) for p, o in overrides if _matches(p, name)]
    own_sheets = [(p, s) for p, s in sheets.values() if _matches(p, name)]
    checks = [
        (p, c)
        for p, c in manager.collect(
            "vetservice_register_checks", Check, lambda plugin, c: (plugin, c)
        )
        if _matches(p, name)
    ]
    findings = [
        Finding(f.plugin, f.indicator or f.hook, "", f.error)
        for f in manager.failures + manager.warnings
        if _matches(f.plugin, name)
    ]
    with tempfile.TemporaryDirectory() as folder:
        for label, url in _databases(Path(folder), demo_factor):
            findings += _dry_run(
                manager, label, url, indicators, local, own_sheets, registry, checks
            )
    findings = _merged(findings)
    names = {f.plugin for f in findings} | {
        p for p, _ in (*indicators, *local, *own_sheets, *checks)
    }
    return PluginCheck(
        tuple(sorted(names)),
        len(indicators),
        len(local),
        len(own_sheets),
        tuple(findings),
    )


def _merged(findings: list[Finding]) -> list[Finding]:
    """A problem found on both databases is said once, for any database."""
    seen: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        seen.setdefault((f.plugin, f.item, f.problem), []).append(f)
    return [
        same[0] if len(same) == 1 else attrs.evolve(same[0], database="")
        for same in seen.values()
    ]


def _databases(folder: Path, demo_factor: float) -> list[tuple[str, str]]:
    from vetservice.demo import build_demo

    empty = f"sqlite:///{(folder / 'empty.db').as_posix()}"
    demo = f"sqlite:///{(folder / 'demo.db').as_posix()}"
    for url in (empty, demo):
        store.ensure_schema(store.create_engine(url))
    engine = store.create_engine(demo)
    build_demo(engine, veterans_factor=demo_factor)
    engine.dispose()
    return [
        (Message(N_("the empty database"), {}).render(), empty),
        (Message(N_("the demo city"), {}).render(), demo),
    ]


def _dry_run(
    manager: Plugins,
    label: str,
    url: str,
    indicators: list[tuple[str, Indicator]],
    overrides: list[tuple[str, Override]],
    sheets: list[tuple[str, ScoringSheet]],
    registry: Any,
    checks: list[tuple[str, Check]],
) -> list[Finding]:
    from vetservice.api import Database
    from vetservice.demo import DEMO_END

    engine = store.create_engine(url)
    period = Period.parse(str(DEMO_END.year), DEMO_END)
    found: list[Finding] = []
    every = [o for _, o in overrides]
    units = store.TABLES["units"]
    with store.reading(engine) as conn:
        known = set(conn.scalars(sa.select(units.c.code)))
        dated = dated_ledgers(conn, period.end)
    for plugin, indicator in indicators:
        ctx = Context(period, indicator.id, indicator.parameters, tuple(every), dated)
        short: list[dict[str, Any]] = []
        try:
            with store.reading(engine) as conn:
                facts = scoped_facts(indicator, ctx)
                conn.execute(sa.select(sa.func.count()).select_from(facts))
                # Reading the values runs their conversions: a name read as a
                # date fails only then.
                personal = personal_columns(facts, indicator.pii)
                for fact in conn.execute(sa.select(facts).limit(DRY_ROWS)).mappings():
                    num, den = fact["numerator"], fact["denominator"]
                    if num is not None and den is not None and num < den:
                        short.append(mask_facts_row(fact, personal))
        except PluginError as e:  # the contract's own words say the fix
            found.append(Finding(plugin, indicator.id, label, str(e)))
        except Exception as e:
            found.append(Finding(plugin, indicator.id, label, _facts_problem(e)))
        if indicator.reason is not None:
            try:  # as in a report's gap list: the reason sees masked rows
                for row in short:
                    checked_reason(indicator, row)
            except PluginError as e:
                found.append(Finding(plugin, indicator.id, label, str(e)))
            except Exception as e:
                found.append(Finding(plugin, indicator.id, label, _reason_problem(e)))
        missing = [c for c in indicator.scope if known and c not in known]
        if missing:
            found.append(Finding(plugin, indicator.id, label, _no_units(missing)))
    for plugin, override in overrides:
        if known and override.unit not in known:
            item = f"{override.indicator} @ {override.unit}"
            found.append(Finding(plugin, item, label, _no_units([override.unit])))
    for plugin, check in checks:
        with store.reading(engine) as conn:

            def failed(check: Check, error: Exception, plugin: str = plugin) -> None:
                problem = Message(
                    CHECK_FAILED,
                    {"id": check.id, "error": error_text(error)},
                ).render()
                found.append(Finding(plugin, check.id, label, problem))

            run_checks(conn, [check], personal=personal_columns, failed=failed)
    if known:
        db = Database(engine, plugins=manager)
        top = db.top_units()[0].code
        for plugin, sheet in sheets:
            try:
                db.score(sheet, sheet.scope[0] if sheet.scope else top, period)
            except Exception as e:
                found.append(Finding(plugin, sheet.id, label, error_text(e)))
    engine.dispose()
    return found


def _facts_problem(error: Exception) -> str:
    return Message(
        N_(
            "its facts query fails: {error}; run it with 'vetservice explain' "
            "on a unit to see the SQL, and build it with facts(…)"
        ),
        {"error": error_text(error)},
    ).render()


def _reason_problem(error: Exception) -> str:
    return Message(
        N_(
            "its reason fails on a fact falling short: {error}; it gets the "
            "fact's columns by name (personal data masked) and returns a Message"
        ),
        {"error": error_text(error)},
    ).render()


def _no_units(codes: list[str]) -> str:
    return Message(
        N_(
            "no unit {codes} in this database: check the code against "
            "'vetservice records units'"
        ),
        {"codes": "、".join(codes)},
    ).render()
