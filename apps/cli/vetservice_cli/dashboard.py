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
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=h(
        N_(
            "Address to listen on; serve the counties through an HTTPS reverse proxy, "
            "not by listening on every address (docs/deploy.md)."
        )
    ),
)
@pass_context
@handle_errors
def dashboard(obj: Context, port: int, host: str) -> None:
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
        # Safe defaults for a server others reach: this machine only unless
        # --host says otherwise, no usage statistics sent to Streamlit,
        # forms protected against cross-site requests.
        "--server.address",
        host,
        "--browser.gatherUsageStats",
        "false",
        "--server.enableXsrfProtection",
        "true",
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.exit(subprocess.call(command, env=env))
