"""Renderers: output formats by name, registered through ``vetservice_register_renderers``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from vetservice.hookspecs import hookimpl
from vetservice.indicators import Evaluation


@attrs.frozen
class Renderer:
    """An output format: ``render(evaluation, lang)`` returns text or bytes."""

    name: str
    extension: str
    render: Callable[[Evaluation, str], str | bytes]
    description: str = ""


def _json(evaluation: Evaluation, lang: str) -> str:
    from vetservice.reports.json_report import to_json

    return to_json(evaluation, lang)


def _markdown(evaluation: Evaluation, lang: str) -> str:
    from vetservice.reports.markdown import to_markdown

    return to_markdown(evaluation, lang)


@hookimpl
def vetservice_register_renderers() -> Iterable[Renderer]:
    return [
        Renderer("json", "json", _json, "JSON (interfaces.md, schema_version 1)"),
        Renderer("md", "md", _markdown, "Markdown"),
    ]
