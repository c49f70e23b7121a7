"""Calendar: reporting periods, legal deadlines and sensitive periods."""

from vetservice.calendar.periods import Period, today_in_china

__all__ = ["Period", "today_in_china"]
