"""SQL pieces several hand-written statements share."""

from __future__ import annotations

# The roll-up every statement ends with: facts summed over each unit's subtree.
ROLLUP = """
SELECT up.ancestor AS code, SUM(f.numerator) AS numerator, SUM(f.denominator) AS denominator
FROM facts AS f
JOIN unit_closure AS up ON up.descendant = f.unit_code
JOIN units AS a ON a.code = up.ancestor
WHERE a.code = :unit OR a.parent_code = :unit
GROUP BY up.ancestor
"""

# The number of months of P (those beginning on or before :end).
MONTHS = {
    "sqlite": """CASE WHEN :end >= :start THEN
        (CAST(strftime('%Y', :end) AS INTEGER) - CAST(strftime('%Y', :start) AS INTEGER)) * 12
        + CAST(strftime('%m', :end) AS INTEGER) - CAST(strftime('%m', :start) AS INTEGER) + 1
        ELSE 0 END""",
    "postgresql": """CASE WHEN :end >= :start THEN
        CAST((EXTRACT(YEAR FROM :end) - EXTRACT(YEAR FROM :start)) * 12
        + EXTRACT(MONTH FROM :end) - EXTRACT(MONTH FROM :start) + 1 AS INTEGER)
        ELSE 0 END""",
}
