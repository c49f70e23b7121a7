"""Refresh the message catalogue: extract message ids, merge them into the Chinese .po.

Run after adding or changing a user-facing message:

    python scripts/messages.py

then translate the new empty entries in
``src/vetservice/locale/zh/LC_MESSAGES/vetservice.po``. A test fails while any
message id has no Chinese translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "src" / "vetservice", ROOT / "apps"]
PO = ROOT / "src" / "vetservice" / "locale" / "zh" / "LC_MESSAGES" / "vetservice.po"
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def extract() -> Catalog:
    template = Catalog(project="vetservice", charset="utf-8")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            source, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            path = (source / filename).relative_to(ROOT).as_posix()
            template.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return template


def main() -> int:
    template = extract()
    if PO.exists():
        with PO.open("rb") as f:
            catalog = read_po(f, locale="zh")
    else:
        PO.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="zh", project="vetservice", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    with PO.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, ignore_obsolete=True, sort_output=False)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{len(catalog)} messages, {len(missing)} without a translation")
    for msgid in missing:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
