"""Reports: renderers registered through hooks, and writing report files."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from vetservice.errors import ConfigurationError
from vetservice.i18n import N_, get_language
from vetservice.indicators import Evaluation
from vetservice.plugins import Plugins
from vetservice.reports.renderers import Renderer


def renderers(plugins: Plugins) -> dict[str, Renderer]:
    """Every output format the plugins offer, by name."""
    return {
        r.name: r for r in plugins.collect("vetservice_register_renderers", Renderer)
    }


def report_file_name(evaluation: Evaluation, extension: str) -> str:
    """``<code>-<name>.<ext>``, with characters a file system refuses replaced."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", evaluation.unit.name)
    return f"{evaluation.unit.code}-{name}.{extension}"


def render(
    plugins: Plugins, evaluation: Evaluation, fmt: str, lang: str | None = None
) -> str | bytes:
    available = renderers(plugins)
    if fmt not in available:
        raise ConfigurationError(
            N_("unknown report format '{format}'; choose from: {choices}"),
            format=fmt,
            choices=", ".join(sorted(available)),
        )
    return available[fmt].render(evaluation, lang or get_language())


def write(
    plugins: Plugins,
    evaluations: Iterable[Evaluation],
    formats: Iterable[str],
    out_dir: str | Path,
    *,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write each evaluation in each format into ``out_dir``; return the paths."""
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
    for evaluation in evaluations:
        for fmt in formats:
            renderer = available[fmt]
            content = renderer.render(evaluation, lang or get_language())
            path = out / report_file_name(evaluation, renderer.extension)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            written.append(path)
        if progress:
            progress(1)
    return written


__all__ = ["Renderer", "render", "renderers", "report_file_name", "write"]
