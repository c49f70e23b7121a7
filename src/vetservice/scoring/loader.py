"""Read a scoring sheet from YAML, refusing anything unclear with its line number.

The YAML is composed into nodes (not loaded into plain values) so every
error can name the line a county clerk has to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml

from vetservice.domain import Level
from vetservice.errors import ValidationError
from vetservice.i18n import N_, Bilingual, Message
from vetservice.scoring.model import (
    Count,
    Item,
    ItemKind,
    Line,
    ScoringSheet,
    SheetError,
    VetoScope,
)

E = TypeVar("E")
_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


def load_sheet(path: str | Path) -> ScoringSheet:
    """Load a sheet from a YAML file (UTF-8)."""
    path = Path(path)
    return parse_sheet(path.read_text(encoding="utf-8"), source=str(path))


def parse_sheet(text: str, *, source: str = "<sheet>") -> ScoringSheet:
    """Parse a sheet from YAML text; ``source`` names it in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise SheetError(
            source,
            mark.line + 1 if mark else None,
            Message(N_("not valid YAML: {error}"), {"error": e.problem or str(e)}),
        ) from e
    if root is None:
        raise SheetError(source, None, Message(N_("the file is empty")))
    return _Reader(source).sheet(root)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node, msgid: str, **params: Any) -> SheetError:
        return SheetError(self.source, node.start_mark.line + 1, Message(msgid, params))

    # -- structure ---------------------------------------------------------

    def mapping(
        self, node: yaml.Node, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, N_("expected keys and values here"))
        fields: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = self.text(key)
            if name in fields:
                raise self.fail(key, N_("key {key} appears twice"), key=name)
            if name not in required and name not in optional:
                raise self.fail(
                    key,
                    N_("unknown key {key}; expected one of: {keys}"),
                    key=name,
                    keys=", ".join(required + optional),
                )
            fields[name] = value
        for name in required:
            if name not in fields:
                raise self.fail(node, N_("missing key {key}"), key=name)
        return fields

    def sequence(self, node: yaml.Node) -> Iterator[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, N_("expected a list with at least one entry"))
        return iter(node.value)

    def unique(self, nodes: list[tuple[yaml.Node, str]]) -> None:
        seen: set[str] = set()
        for node, ident in nodes:
            if ident in seen:
                raise self.fail(node, N_("id {id} is used twice"), id=ident)
            seen.add(ident)

    # -- values ------------------------------------------------------------

    def text(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, N_("expected a text"))
        return str(node.value).strip()

    def ident(self, node: yaml.Node) -> str:
        value = self.text(node)
        if not _ID.match(value):
            raise self.fail(
                node,
                N_("id {id} may only hold letters, digits, '_', '.' and '-'"),
                id=value,
            )
        return value

    def number(self, node: yaml.Node) -> Decimal:
        text = self.text(node)
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value <= 0:
            raise self.fail(
                node, N_("expected a number above zero, not {value}"), value=text
            )
        return value

    def choice(self, node: yaml.Node, parse: Callable[[str], E]) -> E:
        try:
            return parse(self.text(node))
        except ValidationError as e:
            raise SheetError(self.source, node.start_mark.line + 1, e.message) from e

    def indicators(self, node: yaml.Node) -> tuple[str, ...]:
        """One id or a list of ids (indicators, or unit codes of a scope)."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(self.ident(n) for n in self.sequence(node))
        return (self.ident(node),)

    # -- the sheet ---------------------------------------------------------

    def sheet(self, node: yaml.Node) -> ScoringSheet:
        f = self.mapping(
            node,
            ("id", "name", "level", "lines"),
            ("name_en", "description", "scope"),
        )
        name = self.text(f["name"])
        lines = [self.line(n) for n in self.sequence(f["lines"])]
        self.unique(list(zip(f["lines"].value, (ln.id for ln in lines), strict=True)))
        return ScoringSheet(
            id=self.ident(f["id"]),
            name=Bilingual(name, self.text(f["name_en"]) if "name_en" in f else name),
            level=self.choice(f["level"], Level.parse),
            lines=lines,
            description=self.text(f["description"]) if "description" in f else "",
            source=self.source,
            scope=self.indicators(f["scope"]) if "scope" in f else (),
        )

    def line(self, node: yaml.Node) -> Line:
        f = self.mapping(node, ("id", "name", "weight", "items"), ())
        items = [self.item(n) for n in self.sequence(f["items"])]
        self.unique(list(zip(f["items"].value, (i.id for i in items), strict=True)))
        return Line(
            id=self.ident(f["id"]),
            name=self.text(f["name"]),
            weight=self.number(f["weight"]),
            items=items,
            lineno=node.start_mark.line + 1,
        )

    def item(self, node: yaml.Node) -> Item:
        f = self.mapping(
            node,
            ("id", "name", "kind", "indicator", "count"),
            ("points", "cap", "veto"),
        )
        kind = self.choice(f["kind"], ItemKind.parse)
        if kind is ItemKind.VETO:
            for key in ("points", "cap"):
                if key in f:
                    raise self.fail(f[key], N_("a veto item takes no {key}"), key=key)
        else:
            if "points" not in f:
                raise self.fail(node, N_("missing key {key}"), key="points")
            if "veto" in f:
                raise self.fail(
                    f["veto"], N_("only a veto item takes {key}"), key="veto"
                )
        return Item(
            id=self.ident(f["id"]),
            kind=kind,
            name=self.text(f["name"]),
            indicators=self.indicators(f["indicator"]),
            count=self.choice(f["count"], Count.parse),
            points=self.number(f["points"]) if "points" in f else Decimal(0),
            cap=self.number(f["cap"]) if "cap" in f else None,
            veto=self.choice(f["veto"], VetoScope.parse)
            if "veto" in f
            else VetoScope.LINE,
            lineno=node.start_mark.line + 1,
        )
