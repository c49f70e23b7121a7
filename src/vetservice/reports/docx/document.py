"""The Word package: styles, page, properties, the sections, and the font table."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

import docx
from lxml import etree

from vetservice.i18n import N_, gettext
from vetservice.reports.docx.layout import FALLBACKS, FONT_TABLE
from vetservice.reports.docx.notice import write_notice
from vetservice.reports.docx.styles import page, styles
from vetservice.reports.notice import notice

if TYPE_CHECKING:
    from docx.document import Document

    from vetservice.reports.model import Report


def _properties(document: Document, report: Report) -> None:
    props = document.core_properties
    props.title = report.title
    props.subject = report.period_text
    props.author = report.unit.name
    props.last_modified_by = report.unit.name
    props.keywords = report.period
    props.language = "zh-CN" if report.lang == "zh" else "en-US"
    moment = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = moment
    props.revision = 1
    fallbacks = "; ".join(f"{font} → {alt}" for font, alt in FALLBACKS.items())
    props.comments = gettext(N_("Font fallbacks: {fonts}"), report.lang).format(
        fonts=fallbacks
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _font_table(xml: bytes) -> bytes:
    """Declare the 公文 fonts, with their alternatives (see ``FALLBACKS``)."""
    root = etree.fromstring(xml)
    for name, family in FONT_TABLE.items():
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", name)
        if name in FALLBACKS:
            etree.SubElement(font, f"{{{W}}}altName").set(
                f"{{{W}}}val", FALLBACKS[name]
            )
        etree.SubElement(font, f"{{{W}}}charset").set(f"{{{W}}}val", "86")
        etree.SubElement(font, f"{{{W}}}family").set(f"{{{W}}}val", family)
        etree.SubElement(font, f"{{{W}}}pitch").set(f"{{{W}}}val", "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(data: bytes) -> bytes:
    """The saved package with the font table amended (python-docx has no API for it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/fontTable.xml":
                content = _font_table(content)
            target.writestr(info, content)
    return out.getvalue()


def to_docx(report: Report) -> bytes:
    """The report's 通报 as a Word 公文 (GB/T 9704-2012), with its attachments."""
    document = docx.Document()
    styles(document)
    page(document)
    _properties(document, report)
    # The template's body starts empty but for the section properties.
    write_notice(document, report, notice(report))
    buffer = io.BytesIO()
    document.save(buffer)
    return _rewrite(buffer.getvalue())
