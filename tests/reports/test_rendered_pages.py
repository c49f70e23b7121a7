"""What a leader gets, printed: the Word and HTML reports rendered to PDF.

The demo city (its real hierarchy: 13 counties, 117 townships) is reported
for 2026年第三季度 as of 2026-11-28, for the city and for 宝塔区. The Word
file goes through LibreOffice (headless), the HTML through Chromium's print;
poppler counts the pages and reads their text. A 通报 a leader signs has
2–4 pages of body with every part of a 公文 (GB/T 9704), then 附件1 (the
红黄绿 table), 附件2 (gap counts) and 附件3 (the grades as a bar chart, a
picture) on one landscape page each; the long lists stay out of the Word file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import vetservice as vs
from vetservice.demo import DEMO_END, build_demo
from vetservice.testing import BAOTA, CITY

CHROMIUM = Path("/usr/bin/chromium")
COUNTIES = (
    "宝塔区", "安塞区", "延长县", "延川县", "志丹县", "吴起县", "甘泉县",
    "富县", "洛川县", "宜川县", "黄龙县", "黄陵县", "子长市",
)


def _needs(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        reason = f"{program} is not installed (.ci/run installs it with apt)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The city's and 宝塔区's reports as .docx and .html, rendered to PDF."""
    soffice, _ = _needs("soffice"), _needs("pdfinfo")
    folder = tmp_path_factory.mktemp("rendered")
    with vs.open(f"sqlite:///{(folder / 'demo.db').as_posix()}") as db:
        build_demo(db.engine, seed=2026, veterans_factor=0.1)
        files: dict[str, Path] = {}
        for unit in (CITY, BAOTA):
            report = db.report(unit, "2026Q3", as_of=DEMO_END)
            for fmt in ("docx", "html"):
                path = folder / f"{unit}.{fmt}"
                content = db.render(report, fmt)
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
                files[f"{unit}.{fmt}"] = path
    profile = (folder / "office-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(folder), *(str(p) for k, p in files.items() if k.endswith("docx"))],
        check=True, capture_output=True, timeout=300,
    )
    pdfs = {k: p.with_suffix(".pdf") for k, p in files.items() if k.endswith("docx")}
    yield {**files, **{k.replace(".docx", ".docx.pdf"): v for k, v in pdfs.items()}}


def pages(pdf: Path) -> list[str]:
    """The text of each page, in reading order."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def images_on(pdf: Path, page: int) -> int:
    listed = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    return sum(1 for line in listed[2:] if line.split()[2] == "image")


def starts_with(page: str, words: str) -> bool:
    first = next((line.strip() for line in page.splitlines() if line.strip()), "")
    return first.replace(" ", "") == words


@pytest.mark.parametrize(
    ("unit", "scope", "recipients", "children"),
    [
        (CITY, "全市", "各县区退役军人事务局：", COUNTIES),
        # (five-character names such as 宝塔山街道 wrap in the header)
        (BAOTA, "全区", "各乡镇（街道）退役军人服务站：", ("李渠镇", "姚店镇", "冯庄乡")),
    ],
)
def test_the_word_notice_is_a_short_signed_document_with_three_attachments(
    written: dict[str, Path], unit: str, scope: str, recipients: str, children: tuple[str, ...]
):
    text = pages(written[f"{unit}.docx.pdf"])
    first_attachment = next(i for i, p in enumerate(text) if starts_with(p, "附件1"))
    second_attachment = next(i for i, p in enumerate(text) if starts_with(p, "附件2"))
    third_attachment = next(i for i, p in enumerate(text) if starts_with(p, "附件3"))
    body = "".join(text[:first_attachment]).replace(" ", "")
    # 2–4 pages of body, then each attachment on one page, and nothing else.
    assert 2 <= first_attachment <= 4, len(text)
    assert second_attachment == first_attachment + 1
    assert third_attachment == second_attachment + 1
    assert len(text) == third_attachment + 1
    name = "延安市" if unit == CITY else "宝塔区"
    for part in (
        f"{name}退役军人事务局文件",  # 发文机关标志
        "〔2026〕",  # 发文字号
        f"关于2026年第三季度{scope}",
        "退役军人服务保障体系建设情况的通报",
        recipients,  # 主送
        "一、总体情况", "二、主要成效", "三、存在问题", "四、下步要求",
        "附件：1．",
        "2026年11月28日",  # 成文日期
        "抄送：",
        "2026年11月28日印发",  # 版记
    ):
        assert part in body, part
    # The lists are not in the body: no 序号 column, no village ranking.
    assert "序号" not in body
    grid = text[first_attachment].replace(" ", "")
    assert "红黄绿" in grid and "单位负责人" in grid  # table and its 统计报表 foot
    for child in children:
        assert child in grid, child
    assert "单位负责人" in text[second_attachment].replace(" ", "")
    # 附件3 is the chart, drawn as one picture.
    assert images_on(written[f"{unit}.docx.pdf"], third_attachment + 1) == 1


def test_the_html_report_prints_as_the_same_notice_and_a_few_lists(written: dict[str, Path]):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    html = written[f"{CITY}.html"]
    pdf = html.with_suffix(".html.pdf")
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    text = pages(pdf)
    whole = "".join(text).replace(" ", "")
    for part in ("延安市退役军人事务局文件", "一、总体情况", "四、下步要求", "抄送：", "附件1", "附件2", "附件3"):
        assert part in whole, part
    # The full gap list and village ranking are in the XLSX; the HTML that once
    # printed on 158 pages now prints on a few dozen.
    assert len(text) <= 30, len(text)
