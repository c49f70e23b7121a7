"""Demo data: the real 延安市 (or 陕西省) hierarchy with generated records.

``builder`` runs the stages in order on one ``generator``: ``units`` (the
hierarchy, stations, staff, activities), ``veterans``, ``services`` (what
veterans receive, and each county's fairs, contracts and care fund) and
``petitions``.
"""

from vetservice.demo.builder import DemoSummary, build_demo
from vetservice.demo.generator import DEMO_END

__all__ = ["DEMO_END", "DemoSummary", "build_demo"]
