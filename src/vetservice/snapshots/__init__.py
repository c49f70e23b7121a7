"""Report snapshots (报表留痕): the figures of a report as it was written.

A snapshot keeps the JSON report (:func:`vetservice.reports.json_report.report_dict`)
with a digest of the records it was computed from
(:mod:`vetservice.snapshots.digest`) and the versions of vetservice and of
every plugin, so that later anyone can recompute the same unit, period and
as-of date and see exactly what changed and why (:mod:`vetservice.snapshots.diff`):
the records (the digest, table by table) or the code (the versions).
"""

from vetservice.snapshots.diff import (
    FigureChange,
    PluginChange,
    SnapshotDiff,
    TableChange,
    compare,
)
from vetservice.snapshots.digest import InputDigest, TableDigest, input_digest
from vetservice.snapshots.frozen import Snapshot, freeze, snapshot, snapshots

__all__ = [
    "FigureChange",
    "InputDigest",
    "PluginChange",
    "Snapshot",
    "SnapshotDiff",
    "TableChange",
    "TableDigest",
    "compare",
    "freeze",
    "input_digest",
    "snapshot",
    "snapshots",
]
