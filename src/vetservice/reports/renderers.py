"""Renderers: output formats by name, registered through ``vetservice_register_renderers``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from vetservice.markers import hookimpl
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


def _html(evaluation: Evaluation, lang: str) -> str:
    from vetservice.reports.html import to_html
    from vetservice.reports.model import build_report

    return to_html(build_report(evaluation, lang))


def _xlsx(evaluation: Evaluation, lang: str) -> bytes:
    from vetservice.reports.model import build_report
    from vetservice.reports.xlsx import to_xlsx

    return to_xlsx(build_report(evaluation, lang))


def _docx(evaluation: Evaluation, lang: str) -> bytes:
    from vetservice.reports.docx import to_docx
    from vetservice.reports.model import build_report

    return to_docx(build_report(evaluation, lang))


@hookimpl
def vetservice_register_renderers() -> Iterable[Renderer]:
    return [
        Renderer("json", "json", _json, "JSON (interfaces.md, schema_version 1)"),
        Renderer("md", "md", _markdown, "Markdown"),
        Renderer("html", "html", _html, "HTML, one self-contained file"),
        Renderer("xlsx", "xlsx", _xlsx, "Excel workbook"),
        Renderer("docx", "docx", _docx, "Word document in 公文 layout"),
    ]
