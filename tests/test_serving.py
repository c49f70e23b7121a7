"""`vetservice dashboard` serves safely by default (issue 19): this machine
only unless --host, no usage statistics, XSRF protection on."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from click.testing import CliRunner

from vetservice_cli.main import cli


def _command(
    monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[list[str], dict[str, str]]:
    seen: dict[str, Any] = {}

    def call(command: list[str], env: dict[str, str]) -> int:
        seen["command"], seen["env"] = command, env
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    result = CliRunner().invoke(cli, ["--db", "sqlite:///unused.db", *args])
    assert result.exit_code == 0, result.output
    return seen["command"], seen["env"]


def _flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_the_dashboard_binds_localhost_without_statistics_with_xsrf(monkeypatch):
    command, env = _command(monkeypatch, "dashboard")
    assert _flag(command, "--server.address") == "127.0.0.1"
    assert _flag(command, "--browser.gatherUsageStats") == "false"
    assert _flag(command, "--server.enableXsrfProtection") == "true"
    assert _flag(command, "--server.port") == "8501"
    assert env["VETSERVICE_DB"] == "sqlite:///unused.db"


def test_host_is_given_on_purpose(monkeypatch):
    command, _ = _command(
        monkeypatch, "dashboard", "--host", "10.0.0.5", "--port", "9000"
    )
    assert (_flag(command, "--server.address"), _flag(command, "--server.port")) == (
        "10.0.0.5",
        "9000",
    )
