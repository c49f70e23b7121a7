"""Rows of figures or facts as a pandas DataFrame or an Arrow table.

pandas and pyarrow are optional (``pip install vetservice[analysis]``); they
are imported when a conversion is asked for, never by the library itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vetservice.errors import ConfigurationError
from vetservice.i18n import N_


def _missing(package: str) -> ConfigurationError:
    return ConfigurationError(
        N_("{package} is not installed: pip install 'vetservice[analysis]'"),
        package=package,
    )


def to_pandas(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Any:
    """A DataFrame with ``columns`` in order (money stays Decimal)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise _missing("pandas") from e
    return pd.DataFrame.from_records(
        [[row.get(c) for c in columns] for row in rows], columns=list(columns)
    )


def to_arrow(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Any:
    """A pyarrow Table with ``columns`` in order (money as decimal128)."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
    except ImportError as e:
        raise _missing("pyarrow") from e
    return pa.Table.from_pylist(
        [{c: row.get(c) for c in columns} for row in rows] or [],
        schema=None if rows else pa.schema([(c, pa.null()) for c in columns]),
    )
