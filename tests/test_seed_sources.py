"""Every rule comes from the speech: each built-in indicator quotes it.

``fixtures/seed_speech.txt`` is the speech the project comes from, as
stored; an indicator's ``source`` must stand in it word for word (an
elision "……" standing for the words left out).
"""

from __future__ import annotations

import re
from pathlib import Path

from vetservice.indicators.registry import collect_indicators
from vetservice.plugins import create_plugin_manager

SPEECH = Path(__file__).parent / "fixtures" / "seed_speech.txt"


def _speech() -> str:
    text = SPEECH.read_text(encoding="utf-8")
    # The stored speech has ASCII punctuation; the sources use the Chinese forms.
    text = text.translate(str.maketrans(",;?:()", "，；？：（）"))
    return re.sub(r"\s+", "", text)


def quotes(source: str, speech: str) -> bool:
    parts = [re.escape(part) for part in source.split("……")]
    return bool(source) and re.search(".*?".join(parts), speech) is not None


def test_every_built_in_indicator_quotes_the_speech():
    speech = _speech()
    registry = collect_indicators(create_plugin_manager(load_entrypoints=False))
    assert len(registry) == 81  # 68, the new ledgers' 11 (issue 18), 上报 2 (issue 19)
    unquoted = [id for id, (_, i) in registry.items() if not quotes(i.source, speech)]
    assert unquoted == []


def test_a_made_up_or_reordered_source_is_not_a_quote():
    speech = _speech()
    assert not quotes("各级书记要把退役军人工作放在最后", speech)
    assert not quotes("", speech)
    assert quotes("具体要能看到以下内容：一是……十三是本单位特色栏目", speech)
    assert not quotes("十三是本单位特色栏目……具体要能看到以下内容", speech)
