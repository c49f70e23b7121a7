"""Reports: renderers registered through hooks, and writing report files.

Every renderer is handed a :class:`~vetservice.reports.full.FullReport`; a
plain evaluation is rendered as a report without comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from vetservice.errors import ConfigurationError
from vetservice.i18n import N_, get_language
from vetservice.indicators import Evaluation
from vetservice.plugins import Failure, Plugins, error_text
from vetservice.reports.full import FullReport
from vetservice.reports.notice import (
    NoticeParagraphs,
    NoticePart,
    NoticeParts,
    NoticeSettings,
    notice_parts,
)
from vetservice.reports.renderers import Renderer


def notice_parts_of(plugins: Plugins) -> NoticeParts:
    """The plugins' 通报 settings and paragraphs; a ``write`` that raises is the plugin's failure."""
    found = plugins.collect(
        "vetservice_register_notice_parts",
        NoticePart,
        lambda name, item: (name, item),
    )
    owners = {id(item): name for name, item in found}

    def failed(part: NoticeParagraphs, error: Exception) -> None:
        plugins.fail(
            Failure(
                owners.get(id(part), "?"),
                "vetservice_register_notice_parts",
                error_text(error),
            )
        )

    return NoticeParts(
        settings=tuple(i for _n, i in found if isinstance(i, NoticeSettings)),
        paragraphs=tuple(i for _n, i in found if isinstance(i, NoticeParagraphs)),
        failed=failed,
    )


def renderers(plugins: Plugins) -> dict[str, Renderer]:
    """Every output format the plugins offer, by name."""
    return {
        r.name: r for r in plugins.collect("vetservice_register_renderers", Renderer)
    }


def report_file_name(report: Evaluation | FullReport, extension: str) -> str:
    """``<code>-<name>.<ext>``, with characters a file system refuses replaced."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", report.unit.name)
    return f"{report.unit.code}-{name}.{extension}"


def render(
    plugins: Plugins,
    report: Evaluation | FullReport,
    fmt: str,
    lang: str | None = None,
) -> str | bytes:
    available = renderers(plugins)
    if fmt not in available:
        raise ConfigurationError(
            N_("unknown report format '{format}'; choose from: {choices}"),
            format=fmt,
            choices=", ".join(sorted(available)),
        )
    with notice_parts(notice_parts_of(plugins)):
        return available[fmt].render(FullReport.of(report), lang or get_language())


def write(
    plugins: Plugins,
    reports: Iterable[Evaluation | FullReport],
    formats: Iterable[str],
    out_dir: str | Path,
    *,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write each report in each format into ``out_dir``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    available = renderers(plugins)
    formats = list(formats)
    for fmt in formats:
        if fmt not in available:
            raise ConfigurationError(
                N_("unknown report format '{format}'; choose from: {choices}"),
                format=fmt,
                choices=", ".join(sorted(available)),
            )
    written = []
    parts = notice_parts_of(plugins)
    for each in reports:
        report = FullReport.of(each)
        for fmt in formats:
            renderer = available[fmt]
            with notice_parts(parts):
                content = renderer.render(report, lang or get_language())
            path = out / report_file_name(report, renderer.extension)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            written.append(path)
        if progress:
            progress(1)
    return written


__all__ = [
    "FullReport",
    "NoticeParagraphs",
    "NoticeSettings",
    "Renderer",
    "render",
    "renderers",
    "report_file_name",
    "write",
]
