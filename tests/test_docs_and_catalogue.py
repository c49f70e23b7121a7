"""The catalogue and the generated reference pages keep up with the code."""

from __future__ import annotations

import importlib.util
import re
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest

from vetservice.i18n import Message, catalogue, gettext

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    messages = _script("messages")
    ids = [m.id for m in messages.extract() if m.id]
    zh = catalogue("zh")
    missing = [msgid for msgid in ids if msgid not in zh]
    assert not missing, "run scripts/messages.py and translate: " + "; ".join(missing)
    wrong = [msgid for msgid in ids if _fields(msgid) != _fields(zh[msgid])]
    assert not wrong, wrong


def test_messages_render_in_both_languages():
    message = Message("{file}, row {row}", {"file": "a.csv", "row": 3})
    assert message.render("zh") == "a.csv 第 3 行"
    assert message.render("en") == "a.csv, row 3"
    assert gettext("required", "zh") == "必填"


def test_no_chinese_outside_the_catalogue_in_messages():
    # Message ids are English; Chinese belongs in the catalogue (or is contract data).
    messages = _script("messages")
    chinese = re.compile(r"[\u4e00-\u9fff]")
    allowed = {"延安市", "陕西省", "是", "否", "有", "无", "年", "月", "日", "、"}
    for m in messages.extract():
        if m.id:
            leftover = chinese.sub(lambda c: "" if c.group() in "".join(allowed) else c.group(), m.id)
            assert not chinese.search(leftover), m.id


@pytest.mark.parametrize(
    "page",
    ["records.md", "plugin_hooks.md", "cli.md", "indicators.md", "json_report.md", "python_api.md"],
)
def test_reference_pages_are_current(page: str):
    reference = _script("reference")
    expected = reference.PAGES[page]()
    actual = (ROOT / "docs" / "reference" / page).read_text(encoding="utf-8")
    assert actual == expected, "run python scripts/reference.py"


def test_every_reference_page_is_checked_here():
    assert set(_script("reference").PAGES) == {
        "records.md", "plugin_hooks.md", "cli.md", "indicators.md", "json_report.md", "python_api.md"
    }
