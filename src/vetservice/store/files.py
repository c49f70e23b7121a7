"""The SHA-256 of a file the store takes in or writes out (imports, backups),
as the audit log keeps it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file, as the audit log keeps it."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
