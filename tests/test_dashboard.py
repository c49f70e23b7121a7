"""The dashboard's first page, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

import vetservice as vs
from vetservice.testing import SMALL_HIERARCHY, load_records

APP = Path(__file__).resolve().parent.parent / "apps" / "streamlit" / "vetservice_dashboard" / "streamlit_app.py"


def test_overview_shows_the_top_unit_and_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'd.db'}"
    with vs.open(url) as db:
        load_records(db, {"units": SMALL_HIERARCHY})
    monkeypatch.setenv("VETSERVICE_DB", url)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "退役军人服务保障体系"
    assert "延安市（610600000000）" in at.subheader[0].value
    table = at.dataframe[0].value
    assert dict(zip(table["台账"], table["记录数"], strict=True))["单位（行政区划）"] == 11
