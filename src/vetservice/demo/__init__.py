"""Demo data: the real 延安市 (or 陕西省) hierarchy with generated records."""

from vetservice.demo.builder import DEMO_END, DemoSummary, build_demo

__all__ = ["DEMO_END", "DemoSummary", "build_demo"]
