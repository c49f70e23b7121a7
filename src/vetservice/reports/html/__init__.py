"""The HTML report: one self-contained file that a browser shows and prints on A4.

Nothing is fetched when the file is read: the CSS (``templates/report.css``)
is inlined, the charts are SVG drawn here, there is no script and no web
font. Every text that comes from the data goes through :func:`html.escape`.
The renderer lays out a :class:`~vetservice.reports.model.Report` and
computes no figure; the markup is also well-formed XML.
"""

from vetservice.reports.html.markup import anchor
from vetservice.reports.html.page import to_html

__all__ = ["anchor", "to_html"]
