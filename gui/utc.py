"""Times as the GUI shows them: always in UTC, and saying so."""
from __future__ import annotations

import datetime as dt


def when(value: object, seconds: bool = False) -> str:
    """`2026-03-01 14:05 UTC` for a datetime or an ISO text (the audit log's); "" for nothing."""
    if value is None or value == "":
        return ""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if moment is None:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)  # the store keeps UTC; SQLite drops the zone
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")
