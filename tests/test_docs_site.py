"""The documentation site builds with warnings as errors (this is how CI builds it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _nav_pages(items: list) -> list[str]:
    pages = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_site_builds_strictly(tmp_path: Path):
    # Strict mode fails on any warning: a broken link or anchor, a page left out of
    # the nav, a bad setting. Material's end-of-life banner is not a warning.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not re.search(r"^WARNING", log, re.MULTILINE), log
    assert (tmp_path / "site" / "tutorial" / "index.html").exists()
    assert "插件开发教程" in (tmp_path / "site" / "index.html").read_text(
        encoding="utf-8"
    )


def test_every_page_is_in_the_nav_and_every_nav_entry_exists():
    config = yaml.load(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    nav = _nav_pages(config["nav"])
    assert len(nav) == len(set(nav)), "a page is listed twice in mkdocs.yml"
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(nav) == on_disk
    groups = [next(iter(item)) for item in config["nav"]]
    assert groups == ["首页", "用户指南", "插件开发", "参考", "开发者"]


def _commands(group, path="vetservice"):
    import click

    yield path, group
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            if not command.hidden:
                yield from _commands(command, f"{path} {name}")


def test_every_cli_command_and_option_is_in_the_reference_with_help():
    from vetservice_cli.main import cli

    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    sections = dict(
        (s.split("\n", 1)[0], s)
        for s in re.split(r"^## ", page, flags=re.MULTILINE)[1:]
    )
    commands = list(_commands(cli))
    assert len(commands) >= 20
    for path, command in commands:
        assert command.help, f"{path} has no help"
        assert path in sections, f"{path} is not in docs/reference/cli.md"
        for param in command.params:
            if not getattr(param, "hidden", False):
                names = (
                    param.opts
                    if param.param_type_name == "option"
                    else [param.human_readable_name]
                )
                assert f"`{names[0]}`" in sections[path], (path, names)
    assert set(sections) == {path for path, _ in commands}


def test_every_builtin_indicator_is_in_the_reference():
    from vetservice.indicators.registry import collect_indicators
    from vetservice.plugins import create_plugin_manager

    page = (DOCS / "reference" / "indicators.md").read_text(encoding="utf-8")
    registry = collect_indicators(create_plugin_manager(load_entrypoints=False))
    for indicator_id, (_, indicator) in registry.items():
        assert f"### {indicator_id} {indicator.name.zh}" in page, indicator_id
        assert indicator.source and indicator.source in page, indicator_id
