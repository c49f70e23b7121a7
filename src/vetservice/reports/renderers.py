"""Renderers: output formats by name, registered through ``vetservice_register_renderers``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from vetservice.markers import hookimpl
from vetservice.reports.full import FullReport


@attrs.frozen
class Renderer:
    """An output format: ``render(report, lang)`` returns text or bytes.

    ``report`` is a :class:`~vetservice.reports.full.FullReport`, which reads
    like its evaluation (``report.unit``, ``report["pet.overdue"]``).
    """

    name: str
    extension: str
    render: Callable[[FullReport, str], str | bytes]
    description: str = ""


# Each format's module is imported when it is first used: openpyxl and
# python-docx take a while to load.


def _json(report: FullReport, lang: str) -> str:
    from vetservice.reports.json_report import to_json

    return to_json(report, lang)


def _markdown(report: FullReport, lang: str) -> str:
    from vetservice.reports.markdown import to_markdown

    return to_markdown(report, lang)


def _html(report: FullReport, lang: str) -> str:
    from vetservice.reports.build import build_report
    from vetservice.reports.html import to_html

    return to_html(build_report(report, lang))


def _xlsx(report: FullReport, lang: str) -> bytes:
    from vetservice.reports.build import build_report
    from vetservice.reports.xlsx import to_xlsx

    return to_xlsx(build_report(report, lang))


def _docx(report: FullReport, lang: str) -> bytes:
    from vetservice.reports.build import build_report
    from vetservice.reports.docx import to_docx

    return to_docx(build_report(report, lang))


@hookimpl
def vetservice_register_renderers() -> Iterable[Renderer]:
    return [
        Renderer("json", "json", _json, "JSON (interfaces.md, schema_version 1)"),
        Renderer("md", "md", _markdown, "Markdown"),
        Renderer("html", "html", _html, "HTML, one self-contained file"),
        Renderer("xlsx", "xlsx", _xlsx, "Excel workbook"),
        Renderer("docx", "docx", _docx, "Word document in 公文 layout"),
    ]
