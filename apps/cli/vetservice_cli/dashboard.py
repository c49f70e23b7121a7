"""The leaders' dashboard: start Streamlit on the same database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from vetservice.i18n import N_
from vetservice_cli.common import Context, h, handle_errors, pass_context


@click.command(
    help=h(N_("Start the leaders' dashboard (Streamlit) on the same database."))
)
@click.option("--port", type=int, default=8501, show_default=True)
@pass_context
@handle_errors
def dashboard(obj: Context, port: int) -> None:
    import subprocess

    import vetservice_dashboard
    from vetservice.store import database_url

    app = Path(vetservice_dashboard.__file__).resolve().parent / "streamlit_app.py"
    env = {**os.environ, "VETSERVICE_DB": database_url(obj.db_url)}
    if obj.scope:
        env["VETSERVICE_SCOPE"] = obj.scope  # the dashboard reads within it
    if obj.as_of:
        env["VETSERVICE_AS_OF"] = obj.as_of.isoformat()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.exit(subprocess.call(command, env=env))
