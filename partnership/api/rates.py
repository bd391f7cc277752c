"""The rate-limit strings of the API settings ("600/minute"), read by settings.py (which refuses a
malformed one at start-up) and by the throttles. Pure Python: settings.py imports it."""

import re

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day|sec|min|s|m|h|d)\s*$")


def parse_rate(rate: str) -> tuple[int, int] | None:
    """`"600/minute"` → (600, 60); empty → None (no limit). Periods may be s, m, h, d, sec, min.
    Anything else raises ValueError."""
    if not rate or not rate.strip():
        return None
    match = _RATE.match(rate)
    if match is None:
        raise ValueError(f"a rate limit is 'N/second', 'N/minute', 'N/hour', 'N/day' or empty, got {rate!r}")
    period = match.group(2)
    return int(match.group(1)), next(s for name, s in PERIODS.items() if name.startswith(period[0]))
