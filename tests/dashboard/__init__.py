"""Tests of the leaders' dashboard: a small database both suites share.

The hand-written ledgers of ``tests/fixtures/records`` (延安市, two counties,
nine units), plus one open petition whose decision was due in the 国庆
sensitive period (overdue on 2026-11-28) and one received on 11-20 whose
decision is due 12-05, so the watch list, the overdue cases and the gap list
all have something to show; figures as of 2026-11-28, period 2026Q3.
"""

from __future__ import annotations

from pathlib import Path

from fixtures import FILES

import vetservice as vs
from vetservice.testing import AS_OF, BAOTA, CITY, LQ, LQC

# What both suites import; the codes and the date are vetservice.testing's.
__all__ = [
    "APP",
    "AS_OF",
    "BAOTA",
    "CITY",
    "LIQU_TOWN",
    "LIQU_VILLAGE",
    "PERIOD",
    "build_database",
]

APP = (
    Path(__file__).resolve().parents[2]
    / "apps"
    / "streamlit"
    / "vetservice_dashboard"
    / "streamlit_app.py"
)
PERIOD = "2026Q3"
LIQU_TOWN, LIQU_VILLAGE = LQ, LQC
WATCHED = (
    "YA2026-0004,610602100001,,2026-09-20,走访,否,县,,,,,,,,,,,,,,,,,,,,\n"
    # Received after E (09-30), decision due 11-20 + 15 = 12-05: 7 days left on
    # 11-28, on the watch list of today whatever the period.
    "YA2026-0005,610602100001,,2026-11-20,走访,否,县,,,,,,,,,,,,,,,,,,,,\n"
)


def build_database(folder: Path, url: str | None = None) -> str:
    """Import the fixture ledgers into the empty database at ``url`` (default:
    a new SQLite file in ``folder``); return its URL."""
    files = []
    for path in FILES:
        if path.name == "petitions.csv":
            text = path.read_text(encoding="utf-8")
            path = folder / "petitions.csv"
            path.write_text(text.rstrip("\n") + "\n" + WATCHED, encoding="utf-8")
        files.append((path.stem, path))
    url = url or f"sqlite:///{(folder / 'dashboard.db').as_posix()}"
    with vs.open(url) as db:
        db.import_files(files, today=AS_OF)
    return url
