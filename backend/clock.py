"""Time, decided once for the whole portal.

- Timestamps (when something happened) are aware datetimes in UTC, stored as such.
- Customs deadlines and validity dates (a mandate's first and last day, a due date) are French calendar days: the
  day it is in Europe/Paris. A mandate valid until 31 March still holds at 23:30 in Paris that day (21:30 or 22:30 UTC)
  and has ended at 00:30 in Paris on 1 April, whatever the server's own time zone.
- "now" is passed in wherever a rule depends on it, so tests move the clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The time zone of customs days. Europe/Paris must resolve (the `tzdata` package ships it where the system has no
# zone database): failing loudly beats silently counting days in UTC.
PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def french_day(moment: dt.datetime) -> dt.date:
    """The calendar day in France at an aware `moment`."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: use an aware UTC datetime")
    return moment.astimezone(PARIS).date()


def paris_today(now: dt.datetime | None = None) -> dt.date:
    """Today in France (at `now`, by default the current time)."""
    return french_day(now or utcnow())
