"""The built-in plugin shipping the example village sheet (``sheets/village_annual.yaml``)."""

from __future__ import annotations

from pathlib import Path

from vetservice.markers import hookimpl
from vetservice.scoring.loader import load_sheet
from vetservice.scoring.model import ScoringSheet

SHEETS = Path(__file__).with_name("sheets")


@hookimpl
def vetservice_register_scoring_sheets() -> list[ScoringSheet]:
    return [load_sheet(path) for path in sorted(SHEETS.glob("*.yaml"))]
